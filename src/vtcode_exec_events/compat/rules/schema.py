"""Rules about a whole schema: annotations, types, combinators, conditionals, references, enum."""

from __future__ import annotations

from vtcode_exec_events.compat.rules.record import (
    BROKEN,
    DETAIL,
    LOOSER,
    TIGHTER,
    Rule,
    annotation,
    rule,
)

RECORDS: tuple[Rule, ...] = (
    # annotations
    annotation("TITLE_CHANGED", "title changed", confluent=True),
    annotation("DESCRIPTION_CHANGED", "description changed", confluent=True),
    annotation("DEFAULT_CHANGED", "default value changed", confluent=True),
    annotation("EXAMPLES_CHANGED", "examples changed"),
    annotation("DEPRECATED_CHANGED", "deprecated flag changed"),
    annotation("READ_ONLY_CHANGED", "readOnly changed"),
    annotation("WRITE_ONLY_CHANGED", "writeOnly changed"),
    annotation("COMMENT_CHANGED", "$comment changed"),
    annotation(
        "CONTENT_ANNOTATION_CHANGED", "contentEncoding/contentMediaType/contentSchema changed"
    ),
    annotation(
        "UNKNOWN_KEYWORD_CHANGED",
        "a keyword unknown to JSON Schema changed (an annotation)",
        "a keyword JSON Schema does not define changed (validators ignore it)",
    ),
    # whole schema
    rule(
        "FALSE_SCHEMA_ADDED",
        "the schema now accepts nothing",
        "the new schema accepts nothing",
        TIGHTER,
        confluent=False,
    ),
    rule(
        "FALSE_SCHEMA_REMOVED",
        "the schema accepted nothing and now accepts something",
        "the old schema accepted nothing; the new one accepts values",
        LOOSER,
        confluent=False,
    ),
    rule("TYPE_EXTENDED", "integer widened to number", DETAIL, LOOSER),
    rule("TYPE_NARROWED", "number narrowed to integer, or any type narrowed", DETAIL),
    rule("TYPE_CHANGED", "the set of JSON types changed", DETAIL),
    rule("SUM_TYPE_EXTENDED", "a type or a union branch was added", DETAIL),
    rule("SUM_TYPE_NARROWED", "a type or a union branch was removed", DETAIL),
    rule(
        "PRODUCT_TYPE_EXTENDED",
        "an allOf member was added (more constraints)",
        "new constraint {constraint} is not implied by the old schema",
        TIGHTER,
    ),
    rule(
        "PRODUCT_TYPE_NARROWED",
        "an allOf member was removed (fewer constraints)",
        "old constraint {constraint} is not implied by the new schema",
        LOOSER,
    ),
    rule(
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        "union branches changed without a compatible pairing",
        DETAIL,
        BROKEN,
    ),
    rule(
        "ONEOF_EXCLUSIVITY_UNPROVEN",
        "oneOf branches may overlap: an instance may match two",
        "{side} oneOf branches {first} and {second} may both match one instance{consequence}",
        confluent=False,
    ),
    rule(
        "NOT_TYPE_EXTENDED",
        "the `not` schema grew (fewer instances valid)",
        "the excluded set (`not`) changed",
    ),
    rule(
        "NOT_TYPE_NARROWED",
        "the `not` schema shrank (more instances valid)",
        "the excluded set (`not`) changed",
    ),
    rule(
        "NOT_TYPE_CHANGED",
        "the `not` schema changed incomparably",
        "the excluded set (`not`) changed",
        confluent=False,
    ),
    rule(
        "NOT_ADDED",
        "a `not` constraint was added",
        "`not` {schema} added: some old values may be excluded",
        TIGHTER,
        confluent=False,
    ),
    rule(
        "NOT_REMOVED",
        "a `not` constraint was removed",
        "`not` {schema} removed: values it excluded are accepted",
        LOOSER,
        confluent=False,
    ),
    rule(
        "CONDITIONAL_ADDED",
        "if/then/else added",
        "if/then/else added: some old values may now be rejected",
        TIGHTER,
        confluent=False,
    ),
    rule(
        "CONDITIONAL_REMOVED",
        "if/then/else removed",
        "if/then/else removed: new values may break old readers",
        LOOSER,
        confluent=False,
    ),
    rule(
        "CONDITIONAL_CHANGED",
        "if/then/else changed",
        "the `if` condition changed; compatibility is not decided",
        BROKEN,
        confluent=False,
    ),
    rule(
        "REMOTE_REF_CHANGED",
        "a reference to a document outside the schema set changed",
        "$ref {old} changed to {new}; remote documents are never fetched, so this is not decided",
        BROKEN,
        confluent=False,
    ),
    # enum / const
    rule("ENUM_ARRAY_EXTENDED", "enum gained values", DETAIL, LOOSER),
    rule("ENUM_ARRAY_NARROWED", "enum lost values", DETAIL, TIGHTER),
    rule("ENUM_ARRAY_CHANGED", "enum (or const) changed: values both added and removed", DETAIL),
    rule("ENUM_ADDED", "an enum or const was introduced", DETAIL, confluent=False),
    rule("ENUM_REMOVED", "an enum or const was dropped", DETAIL, confluent=False),
)
