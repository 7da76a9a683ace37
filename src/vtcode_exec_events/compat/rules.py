"""The rule catalogue: one record per rule id (Confluent's ``Difference.Type`` names where apt)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ANNOTATION_RULES", "CATALOGUE", "CONFLUENT_TYPES", "LENIENT_RULES", "RULES", "Rule"]


@dataclass(frozen=True)
class Rule:
    """A rule: its id, what it means, its default verdict per direction, its message template.

    A verdict of None means the call site decides (it depends on a nested comparison or on
    the policy). ``message`` is a ``str.format`` template filled by the call site's fields.
    """

    id: str
    summary: str
    message: str
    backward: bool | None = None
    forward: bool | None = None
    confluent: bool = True  # Confluent's name with Confluent's meaning
    annotation: bool = False  # never breaks a reader (drives a patch bump)
    lenient: bool = False  # the lenient policy accepts it in both directions


_ANNOTATION = "{keyword} changed from {old} to {new} (annotation only)"
_BOUND = "{keyword} {verb}{values}"
_NUMBER = "{side} bound changed from {old} to {new}"
_DETAIL = "{detail}"


def _ann(rule_id: str, summary: str, *, confluent: bool = False) -> Rule:
    return Rule(rule_id, summary, _ANNOTATION, True, True, confluent=confluent, annotation=True)


_RECORDS = (
    # annotations
    _ann("TITLE_CHANGED", "title changed", confluent=True),
    _ann("DESCRIPTION_CHANGED", "description changed", confluent=True),
    _ann("DEFAULT_CHANGED", "default value changed", confluent=True),
    _ann("EXAMPLES_CHANGED", "examples changed"),
    _ann("DEPRECATED_CHANGED", "deprecated flag changed"),
    _ann("READ_ONLY_CHANGED", "readOnly changed"),
    _ann("WRITE_ONLY_CHANGED", "writeOnly changed"),
    _ann("COMMENT_CHANGED", "$comment changed"),
    _ann("CONTENT_ANNOTATION_CHANGED", "contentEncoding/contentMediaType/contentSchema changed"),
    Rule(
        "UNKNOWN_KEYWORD_CHANGED",
        "a keyword unknown to JSON Schema changed (an annotation)",
        "a keyword JSON Schema does not define changed (validators ignore it)",
        True,
        True,
        confluent=False,
        annotation=True,
    ),
    # whole schema
    Rule(
        "FALSE_SCHEMA_ADDED",
        "the schema now accepts nothing",
        "the new schema accepts nothing",
        False,
        True,
        confluent=False,
    ),
    Rule(
        "FALSE_SCHEMA_REMOVED",
        "the schema accepted nothing and now accepts something",
        "the old schema accepted nothing; the new one accepts values",
        True,
        False,
        confluent=False,
    ),
    Rule("TYPE_EXTENDED", "integer widened to number", _DETAIL, True, False),
    Rule("TYPE_NARROWED", "number narrowed to integer, or any type narrowed", _DETAIL),
    Rule("TYPE_CHANGED", "the set of JSON types changed", _DETAIL),
    Rule("SUM_TYPE_EXTENDED", "a type or a union branch was added", _DETAIL),
    Rule("SUM_TYPE_NARROWED", "a type or a union branch was removed", _DETAIL),
    Rule(
        "PRODUCT_TYPE_EXTENDED",
        "an allOf member was added (more constraints)",
        "new constraint {constraint} is not implied by the old schema",
        False,
        True,
    ),
    Rule(
        "PRODUCT_TYPE_NARROWED",
        "an allOf member was removed (fewer constraints)",
        "old constraint {constraint} is not implied by the new schema",
        True,
        False,
    ),
    Rule(
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        "union branches changed without a compatible pairing",
        _DETAIL,
        False,
        False,
    ),
    Rule(
        "ONEOF_EXCLUSIVITY_UNPROVEN",
        "oneOf branches may overlap: an instance may match two",
        "{side} oneOf branches {first} and {second} may both match one instance{consequence}",
        confluent=False,
    ),
    Rule(
        "NOT_TYPE_EXTENDED",
        "the `not` schema grew (fewer instances valid)",
        "the excluded set (`not`) changed",
    ),
    Rule(
        "NOT_TYPE_NARROWED",
        "the `not` schema shrank (more instances valid)",
        "the excluded set (`not`) changed",
    ),
    Rule(
        "NOT_TYPE_CHANGED",
        "the `not` schema changed incomparably",
        "the excluded set (`not`) changed",
        confluent=False,
    ),
    Rule(
        "NOT_ADDED",
        "a `not` constraint was added",
        "`not` {schema} added: some old values may be excluded",
        False,
        True,
        confluent=False,
    ),
    Rule(
        "NOT_REMOVED",
        "a `not` constraint was removed",
        "`not` {schema} removed: values it excluded are accepted",
        True,
        False,
        confluent=False,
    ),
    Rule(
        "CONDITIONAL_ADDED",
        "if/then/else added",
        "if/then/else added: some old values may now be rejected",
        False,
        True,
        confluent=False,
    ),
    Rule(
        "CONDITIONAL_REMOVED",
        "if/then/else removed",
        "if/then/else removed: new values may break old readers",
        True,
        False,
        confluent=False,
    ),
    Rule(
        "CONDITIONAL_CHANGED",
        "if/then/else changed",
        "the `if` condition changed; compatibility is not decided",
        False,
        False,
        confluent=False,
    ),
    Rule(
        "REMOTE_REF_CHANGED",
        "a reference to a document outside the schema set changed",
        "$ref {old} changed to {new}; remote documents are never fetched, so this is not decided",
        False,
        False,
        confluent=False,
    ),
    # enum / const
    Rule("ENUM_ARRAY_EXTENDED", "enum gained values", _DETAIL, True, False),
    Rule("ENUM_ARRAY_NARROWED", "enum lost values", _DETAIL, False, True),
    Rule("ENUM_ARRAY_CHANGED", "enum (or const) changed: values both added and removed", _DETAIL),
    Rule("ENUM_ADDED", "an enum or const was introduced", _DETAIL, confluent=False),
    Rule("ENUM_REMOVED", "an enum or const was dropped", _DETAIL, confluent=False),
    # strings
    Rule("MAX_LENGTH_ADDED", "maxLength added", _BOUND, False, True),
    Rule("MAX_LENGTH_REMOVED", "maxLength removed", _BOUND, True, False),
    Rule("MAX_LENGTH_INCREASED", "maxLength increased", _BOUND, True, False),
    Rule("MAX_LENGTH_DECREASED", "maxLength decreased", _BOUND, False, True),
    Rule("MIN_LENGTH_ADDED", "minLength added", _BOUND, False, True),
    Rule("MIN_LENGTH_REMOVED", "minLength removed", _BOUND, True, False),
    Rule("MIN_LENGTH_INCREASED", "minLength increased", _BOUND, False, True),
    Rule("MIN_LENGTH_DECREASED", "minLength decreased", _BOUND, True, False),
    Rule("PATTERN_ADDED", "pattern added", "pattern {pattern!r} added", False, True),
    Rule("PATTERN_REMOVED", "pattern removed", "pattern {pattern!r} removed", True, False),
    Rule("PATTERN_CHANGED", "pattern changed", _DETAIL),
    Rule("FORMAT_ADDED", "format added", "format {format!r} added", None, True, confluent=False),
    Rule(
        "FORMAT_REMOVED", "format removed", "format {format!r} removed", True, None, confluent=False
    ),
    Rule(
        "FORMAT_CHANGED",
        "format changed",
        "format changed from {old!r} to {new!r}",
        confluent=False,
    ),
    # numbers
    Rule("MAXIMUM_ADDED", "maximum added", _NUMBER, False, True),
    Rule("MAXIMUM_REMOVED", "maximum removed", _NUMBER, True, False),
    Rule("MAXIMUM_INCREASED", "maximum increased", _NUMBER, True, False),
    Rule("MAXIMUM_DECREASED", "maximum decreased", _NUMBER, False, True),
    Rule("MINIMUM_ADDED", "minimum added", _NUMBER, False, True),
    Rule("MINIMUM_REMOVED", "minimum removed", _NUMBER, True, False),
    Rule("MINIMUM_INCREASED", "minimum increased", _NUMBER, False, True),
    Rule("MINIMUM_DECREASED", "minimum decreased", _NUMBER, True, False),
    Rule("EXCLUSIVE_MAXIMUM_ADDED", "exclusive maximum added", _NUMBER, False, True),
    Rule("EXCLUSIVE_MAXIMUM_REMOVED", "exclusive maximum removed", _NUMBER, True, False),
    Rule("EXCLUSIVE_MAXIMUM_INCREASED", "exclusive maximum increased", _NUMBER, True, False),
    Rule("EXCLUSIVE_MAXIMUM_DECREASED", "exclusive maximum decreased", _NUMBER, False, True),
    Rule("EXCLUSIVE_MINIMUM_ADDED", "exclusive minimum added", _NUMBER, False, True),
    Rule("EXCLUSIVE_MINIMUM_REMOVED", "exclusive minimum removed", _NUMBER, True, False),
    Rule("EXCLUSIVE_MINIMUM_INCREASED", "exclusive minimum increased", _NUMBER, False, True),
    Rule("EXCLUSIVE_MINIMUM_DECREASED", "exclusive minimum decreased", _NUMBER, True, False),
    Rule("MULTIPLE_OF_ADDED", "multipleOf added", "multipleOf {new} added", False, True),
    Rule("MULTIPLE_OF_REMOVED", "multipleOf removed", "multipleOf {old} removed", True, False),
    Rule(
        "MULTIPLE_OF_EXPANDED",
        "multipleOf became a multiple of the old one (fewer values)",
        "multipleOf {old} → {new}: fewer values allowed",
        False,
        True,
    ),
    Rule(
        "MULTIPLE_OF_REDUCED",
        "multipleOf became a divisor of the old one (more values)",
        "multipleOf {old} → {new}: more values allowed",
        True,
        False,
    ),
    Rule(
        "MULTIPLE_OF_CHANGED",
        "multipleOf changed, neither divides the other",
        "multipleOf changed from {old} to {new}",
        False,
        False,
    ),
    # objects
    Rule(
        "REQUIRED_ATTRIBUTE_ADDED",
        "a property became required",
        "{name!r} became required: old data without it is rejected",
        False,
        True,
    ),
    Rule(
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
        "a property with a default became required",
        "{name!r} became required: old data without it is rejected",
        None,
        True,
    ),
    Rule(
        "REQUIRED_ATTRIBUTE_REMOVED",
        "a property is no longer required",
        "{name!r} is no longer required: new data may omit it",
        True,
        False,
    ),
    Rule(
        "REQUIRED_UNDECLARED_ADDED",
        "a name that is not a declared property became required",
        "{name!r} became required: old data without it is rejected",
        False,
        True,
        confluent=False,
    ),
    Rule(
        "REQUIRED_UNDECLARED_REMOVED",
        "a name that is not a declared property is no longer required",
        "{name!r} is no longer required: new data may omit it",
        True,
        False,
        confluent=False,
    ),
    Rule("MAX_PROPERTIES_ADDED", "max properties added", _BOUND, False, True),
    Rule("MAX_PROPERTIES_REMOVED", "max properties removed", _BOUND, True, False),
    Rule("MAX_PROPERTIES_INCREASED", "max properties increased", _BOUND, True, False),
    Rule("MAX_PROPERTIES_DECREASED", "max properties decreased", _BOUND, False, True),
    Rule("MIN_PROPERTIES_ADDED", "min properties added", _BOUND, False, True),
    Rule("MIN_PROPERTIES_REMOVED", "min properties removed", _BOUND, True, False),
    Rule("MIN_PROPERTIES_INCREASED", "min properties increased", _BOUND, False, True),
    Rule("MIN_PROPERTIES_DECREASED", "min properties decreased", _BOUND, True, False),
    Rule(
        "ADDITIONAL_PROPERTIES_ADDED",
        "additionalProperties went from false to allowed",
        "undeclared properties are now allowed",
        True,
        False,
        lenient=True,
    ),
    Rule(
        "ADDITIONAL_PROPERTIES_REMOVED",
        "additionalProperties went from allowed to false",
        "undeclared properties are no longer allowed",
        False,
        True,
        lenient=True,
    ),
    Rule(
        "ADDITIONAL_PROPERTIES_EXTENDED",
        "additionalProperties schema loosened",
        "undeclared properties may now hold any value",
        True,
        None,
        lenient=True,
    ),
    Rule(
        "ADDITIONAL_PROPERTIES_NARROWED",
        "additionalProperties schema tightened",
        "undeclared properties must now match {schema}",
        None,
        True,
        lenient=True,
    ),
    Rule(
        "UNEVALUATED_PROPERTIES_ADDED",
        "unevaluatedProperties went from false to allowed",
        "undeclared properties are now allowed",
        True,
        False,
        lenient=True,
    ),
    Rule(
        "UNEVALUATED_PROPERTIES_REMOVED",
        "unevaluatedProperties went from allowed to false",
        "undeclared properties are no longer allowed",
        False,
        True,
        lenient=True,
    ),
    Rule(
        "UNEVALUATED_PROPERTIES_EXTENDED",
        "unevaluatedProperties schema loosened",
        "undeclared properties may now hold any value",
        True,
        None,
        lenient=True,
    ),
    Rule(
        "UNEVALUATED_PROPERTIES_NARROWED",
        "unevaluatedProperties schema tightened",
        "undeclared properties must now match {schema}",
        None,
        True,
        lenient=True,
    ),
    Rule("DEPENDENCY_ARRAY_ADDED", "a property dependency was added", "{detail}", False, True),
    Rule("DEPENDENCY_ARRAY_REMOVED", "a property dependency was removed", "{detail}", True, False),
    Rule(
        "DEPENDENCY_ARRAY_EXTENDED", "a property dependency gained names", "{detail}", False, True
    ),
    Rule("DEPENDENCY_ARRAY_NARROWED", "a property dependency lost names", "{detail}", True, False),
    Rule("DEPENDENCY_ARRAY_CHANGED", "a property dependency changed", "{detail}", False, False),
    Rule(
        "DEPENDENCY_SCHEMA_ADDED",
        "a schema dependency was added",
        "a schema dependency on {name!r} was added",
        False,
        True,
    ),
    Rule(
        "DEPENDENCY_SCHEMA_REMOVED",
        "a schema dependency was removed",
        "the schema dependency on {name!r} was removed",
        True,
        False,
    ),
    Rule(
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "new required property, old object open",
        "new required property {name!r}: old data without it is rejected",
        False,
        True,
    ),
    Rule(
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "new required property with a default, old object open",
        "new required property {name!r}: old data without it is rejected",
        None,
        True,
    ),
    Rule(
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "new optional typed property, old object open",
        "optional property {name!r} added to an open object: old data may carry {name!r} with "
        "any value",
        None,
        True,
        lenient=True,
    ),
    Rule(
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "new property accepting anything, old object open",
        "property {name!r} added (accepts anything)",
        True,
        True,
    ),
    Rule(
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "new required property, old object closed",
        "new required property {name!r}: old data without it is rejected",
        False,
        True,
    ),
    Rule(
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "new required property with a default, old object closed",
        "new required property {name!r}: old data without it is rejected",
        None,
        True,
    ),
    Rule(
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "new optional property, old object closed",
        "optional property {name!r} added; old readers reject it (the old object was closed)",
        True,
        None,
        lenient=True,
    ),
    Rule(
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "property dropped, new object open",
        "property {name!r} removed; the new object is open, so new data may carry {name!r} with "
        "any value",
        True,
        None,
        lenient=True,
    ),
    Rule(
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "forbidden property dropped, new object closed",
        "forbidden property {name!r} removed",
        True,
        True,
    ),
    Rule(
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "property dropped, new object closed",
        "property {name!r} removed from a closed object: old data carrying {name!r} is rejected",
        False,
        True,
        lenient=True,
    ),
    Rule(
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "dropped property still accepted by a pattern/additional schema",
        "property {name!r} removed; the new schema governs it through {through}",
    ),
    Rule(
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "dropped property not covered by the new pattern/additional schema",
        "property {name!r} removed; the new schema governs it through {through}",
        lenient=True,
    ),
    Rule(
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "new property covered by the old pattern/additional schema",
        "property {name!r} added where the old schema allowed it through {through}",
    ),
    Rule(
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "new property narrower than the old pattern/additional schema",
        "property {name!r} added where the old schema allowed it through {through}",
        lenient=True,
    ),
    Rule(
        "PATTERN_PROPERTIES_CHANGED",
        "the set of patternProperties changed",
        _DETAIL,
        confluent=False,
    ),
    Rule(
        "PROPERTY_NAMES_CHANGED",
        "propertyNames changed",
        "the allowed property names changed",
        confluent=False,
    ),
    # arrays
    Rule("MAX_ITEMS_ADDED", "max items added", _BOUND, False, True),
    Rule("MAX_ITEMS_REMOVED", "max items removed", _BOUND, True, False),
    Rule("MAX_ITEMS_INCREASED", "max items increased", _BOUND, True, False),
    Rule("MAX_ITEMS_DECREASED", "max items decreased", _BOUND, False, True),
    Rule("MIN_ITEMS_ADDED", "min items added", _BOUND, False, True),
    Rule("MIN_ITEMS_REMOVED", "min items removed", _BOUND, True, False),
    Rule("MIN_ITEMS_INCREASED", "min items increased", _BOUND, False, True),
    Rule("MIN_ITEMS_DECREASED", "min items decreased", _BOUND, True, False),
    Rule("MAX_CONTAINS_ADDED", "max contains added", _BOUND, False, True),
    Rule("MAX_CONTAINS_REMOVED", "max contains removed", _BOUND, True, False),
    Rule("MAX_CONTAINS_INCREASED", "max contains increased", _BOUND, True, False),
    Rule("MAX_CONTAINS_DECREASED", "max contains decreased", _BOUND, False, True),
    Rule("MIN_CONTAINS_INCREASED", "min contains increased", _BOUND, False, True),
    Rule("MIN_CONTAINS_DECREASED", "min contains decreased", _BOUND, True, False),
    Rule(
        "UNIQUE_ITEMS_ADDED", "uniqueItems turned on", "array items must now be unique", False, True
    ),
    Rule(
        "UNIQUE_ITEMS_REMOVED", "uniqueItems turned off", "array items may now repeat", True, False
    ),
    Rule(
        "ADDITIONAL_ITEMS_ADDED",
        "items after the tuple went from false to allowed",
        "items beyond the tuple are now allowed",
        True,
        False,
    ),
    Rule(
        "ADDITIONAL_ITEMS_REMOVED",
        "items after the tuple went from allowed to false",
        "items beyond the tuple are no longer allowed",
        False,
        True,
    ),
    Rule(
        "ADDITIONAL_ITEMS_EXTENDED",
        "items schema loosened",
        "array items may now hold any value",
        True,
        None,
    ),
    Rule(
        "ADDITIONAL_ITEMS_NARROWED",
        "items schema tightened",
        "array items must now match {schema}",
        None,
        True,
    ),
    Rule(
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        "tuple grew a typed position, old tuple open",
        "tuple position {position} added",
    ),
    Rule(
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "tuple grew an untyped position",
        "tuple position {position} added",
    ),
    Rule(
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
        "tuple grew a position, old tuple closed",
        "tuple position {position} added",
    ),
    Rule(
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "tuple shrank, new tuple open",
        "tuple position {position} removed",
    ),
    Rule(
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "forbidden position dropped",
        "tuple position {position} removed",
    ),
    Rule(
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "tuple shrank, new tuple closed",
        "tuple position {position} removed",
    ),
    Rule(
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "dropped position covered by the items schema",
        "tuple position {position} removed",
    ),
    Rule(
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "dropped position not covered by the items schema",
        "tuple position {position} removed",
    ),
    Rule(
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "new position covered by the old items schema",
        "tuple position {position} added",
    ),
    Rule(
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "new position narrower than the old items schema",
        "tuple position {position} added",
    ),
    Rule(
        "CONTAINS_ADDED",
        "contains added",
        "arrays must now contain a matching item",
        False,
        True,
        confluent=False,
    ),
    Rule(
        "CONTAINS_REMOVED",
        "contains removed",
        "arrays no longer need a matching item",
        True,
        False,
        confluent=False,
    ),
    Rule("CONTAINS_CHANGED", "contains changed", "the contains schema changed", confluent=False),
)

#: id → its record.
CATALOGUE: dict[str, Rule] = {r.id: r for r in _RECORDS}

#: id → what it means (the summary), for configuration checks and report formats.
RULES: dict[str, str] = {r.id: r.summary for r in _RECORDS}

#: Ids that are Confluent's names with Confluent's meaning.
CONFLUENT_TYPES = frozenset(r.id for r in _RECORDS if r.confluent)

#: Annotation-only rules: never break a reader (they drive a patch bump).
ANNOTATION_RULES = frozenset(r.id for r in _RECORDS if r.annotation)

#: Rules the lenient policy accepts in both directions (optional properties come and go;
#: additional properties may be narrowed), as Confluent's LENIENT policy does.
LENIENT_RULES = frozenset(r.id for r in _RECORDS if r.lenient)
