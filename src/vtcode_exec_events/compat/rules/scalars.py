"""Rules about strings and numbers: lengths, patterns, formats, bounds, multipleOf."""

from __future__ import annotations

from vtcode_exec_events.compat.rules.record import (
    BOUND,
    BROKEN,
    DETAIL,
    LOOSER,
    NUMBER,
    TIGHTER,
    Rule,
    rule,
)

RECORDS: tuple[Rule, ...] = (
    # strings
    rule("MAX_LENGTH_ADDED", "maxLength added", BOUND, TIGHTER),
    rule("MAX_LENGTH_REMOVED", "maxLength removed", BOUND, LOOSER),
    rule("MAX_LENGTH_INCREASED", "maxLength increased", BOUND, LOOSER),
    rule("MAX_LENGTH_DECREASED", "maxLength decreased", BOUND, TIGHTER),
    rule("MIN_LENGTH_ADDED", "minLength added", BOUND, TIGHTER),
    rule("MIN_LENGTH_REMOVED", "minLength removed", BOUND, LOOSER),
    rule("MIN_LENGTH_INCREASED", "minLength increased", BOUND, TIGHTER),
    rule("MIN_LENGTH_DECREASED", "minLength decreased", BOUND, LOOSER),
    rule("PATTERN_ADDED", "pattern added", "pattern {pattern!r} added", TIGHTER),
    rule("PATTERN_REMOVED", "pattern removed", "pattern {pattern!r} removed", LOOSER),
    rule("PATTERN_CHANGED", "pattern changed", DETAIL),
    rule("FORMAT_ADDED", "format added", "format {format!r} added", (None, True), confluent=False),
    rule(
        "FORMAT_REMOVED",
        "format removed",
        "format {format!r} removed",
        (True, None),
        confluent=False,
    ),
    rule(
        "FORMAT_CHANGED",
        "format changed",
        "format changed from {old!r} to {new!r}",
        confluent=False,
    ),
    # numbers
    rule("MAXIMUM_ADDED", "maximum added", NUMBER, TIGHTER),
    rule("MAXIMUM_REMOVED", "maximum removed", NUMBER, LOOSER),
    rule("MAXIMUM_INCREASED", "maximum increased", NUMBER, LOOSER),
    rule("MAXIMUM_DECREASED", "maximum decreased", NUMBER, TIGHTER),
    rule("MINIMUM_ADDED", "minimum added", NUMBER, TIGHTER),
    rule("MINIMUM_REMOVED", "minimum removed", NUMBER, LOOSER),
    rule("MINIMUM_INCREASED", "minimum increased", NUMBER, TIGHTER),
    rule("MINIMUM_DECREASED", "minimum decreased", NUMBER, LOOSER),
    rule("EXCLUSIVE_MAXIMUM_ADDED", "exclusive maximum added", NUMBER, TIGHTER),
    rule("EXCLUSIVE_MAXIMUM_REMOVED", "exclusive maximum removed", NUMBER, LOOSER),
    rule("EXCLUSIVE_MAXIMUM_INCREASED", "exclusive maximum increased", NUMBER, LOOSER),
    rule("EXCLUSIVE_MAXIMUM_DECREASED", "exclusive maximum decreased", NUMBER, TIGHTER),
    rule("EXCLUSIVE_MINIMUM_ADDED", "exclusive minimum added", NUMBER, TIGHTER),
    rule("EXCLUSIVE_MINIMUM_REMOVED", "exclusive minimum removed", NUMBER, LOOSER),
    rule("EXCLUSIVE_MINIMUM_INCREASED", "exclusive minimum increased", NUMBER, TIGHTER),
    rule("EXCLUSIVE_MINIMUM_DECREASED", "exclusive minimum decreased", NUMBER, LOOSER),
    rule("MULTIPLE_OF_ADDED", "multipleOf added", "multipleOf {new} added", TIGHTER),
    rule("MULTIPLE_OF_REMOVED", "multipleOf removed", "multipleOf {old} removed", LOOSER),
    rule(
        "MULTIPLE_OF_EXPANDED",
        "multipleOf became a multiple of the old one (fewer values)",
        "multipleOf {old} → {new}: fewer values allowed",
        TIGHTER,
    ),
    rule(
        "MULTIPLE_OF_REDUCED",
        "multipleOf became a divisor of the old one (more values)",
        "multipleOf {old} → {new}: more values allowed",
        LOOSER,
    ),
    rule(
        "MULTIPLE_OF_CHANGED",
        "multipleOf changed, neither divides the other",
        "multipleOf changed from {old} to {new}",
        BROKEN,
    ),
)
