"""Rules about arrays: item counts, items and tuples, contains, uniqueItems."""

from __future__ import annotations

from vtcode_exec_events.compat.rules.record import BOUND, LOOSER, TIGHTER, Rule, rule

RECORDS: tuple[Rule, ...] = (
    # arrays
    rule("MAX_ITEMS_ADDED", "max items added", BOUND, TIGHTER),
    rule("MAX_ITEMS_REMOVED", "max items removed", BOUND, LOOSER),
    rule("MAX_ITEMS_INCREASED", "max items increased", BOUND, LOOSER),
    rule("MAX_ITEMS_DECREASED", "max items decreased", BOUND, TIGHTER),
    rule("MIN_ITEMS_ADDED", "min items added", BOUND, TIGHTER),
    rule("MIN_ITEMS_REMOVED", "min items removed", BOUND, LOOSER),
    rule("MIN_ITEMS_INCREASED", "min items increased", BOUND, TIGHTER),
    rule("MIN_ITEMS_DECREASED", "min items decreased", BOUND, LOOSER),
    rule("MAX_CONTAINS_ADDED", "max contains added", BOUND, TIGHTER),
    rule("MAX_CONTAINS_REMOVED", "max contains removed", BOUND, LOOSER),
    rule("MAX_CONTAINS_INCREASED", "max contains increased", BOUND, LOOSER),
    rule("MAX_CONTAINS_DECREASED", "max contains decreased", BOUND, TIGHTER),
    rule("MIN_CONTAINS_INCREASED", "min contains increased", BOUND, TIGHTER),
    rule("MIN_CONTAINS_DECREASED", "min contains decreased", BOUND, LOOSER),
    rule("UNIQUE_ITEMS_ADDED", "uniqueItems turned on", "array items must now be unique", TIGHTER),
    rule("UNIQUE_ITEMS_REMOVED", "uniqueItems turned off", "array items may now repeat", LOOSER),
    rule(
        "ADDITIONAL_ITEMS_ADDED",
        "items after the tuple went from false to allowed",
        "items beyond the tuple are now allowed",
        LOOSER,
    ),
    rule(
        "ADDITIONAL_ITEMS_REMOVED",
        "items after the tuple went from allowed to false",
        "items beyond the tuple are no longer allowed",
        TIGHTER,
    ),
    rule(
        "ADDITIONAL_ITEMS_EXTENDED",
        "items schema loosened",
        "array items may now hold any value",
        (True, None),
    ),
    rule(
        "ADDITIONAL_ITEMS_NARROWED",
        "items schema tightened",
        "array items must now match {schema}",
        (None, True),
    ),
    rule(
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        "tuple grew a typed position, old tuple open",
        "tuple position {position} added",
    ),
    rule(
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "tuple grew an untyped position",
        "tuple position {position} added",
    ),
    rule(
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
        "tuple grew a position, old tuple closed",
        "tuple position {position} added",
    ),
    rule(
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "tuple shrank, new tuple open",
        "tuple position {position} removed",
    ),
    rule(
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "forbidden position dropped",
        "tuple position {position} removed",
    ),
    rule(
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "tuple shrank, new tuple closed",
        "tuple position {position} removed",
    ),
    rule(
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "dropped position covered by the items schema",
        "tuple position {position} removed",
    ),
    rule(
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "dropped position not covered by the items schema",
        "tuple position {position} removed",
    ),
    rule(
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "new position covered by the old items schema",
        "tuple position {position} added",
    ),
    rule(
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "new position narrower than the old items schema",
        "tuple position {position} added",
    ),
    rule(
        "CONTAINS_ADDED",
        "contains added",
        "arrays must now contain a matching item",
        TIGHTER,
        confluent=False,
    ),
    rule(
        "CONTAINS_REMOVED",
        "contains removed",
        "arrays no longer need a matching item",
        LOOSER,
        confluent=False,
    ),
    rule("CONTAINS_CHANGED", "contains changed", "the contains schema changed", confluent=False),
)
