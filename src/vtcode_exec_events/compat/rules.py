"""The rule catalogue: stable rule ids (Confluent's ``Difference.Type`` names where one fits)."""

from __future__ import annotations

__all__ = ["ANNOTATION_RULES", "CONFLUENT_TYPES", "LENIENT_RULES", "RULES"]

#: id → what it means. Ids in ``CONFLUENT_TYPES`` are Confluent's names with Confluent's meaning.
RULES: dict[str, str] = {
    # annotations
    "ID_CHANGED": "$id changed",
    "TITLE_CHANGED": "title changed",
    "DESCRIPTION_CHANGED": "description changed",
    "DEFAULT_CHANGED": "default value changed",
    "EXAMPLES_CHANGED": "examples changed",
    "DEPRECATED_CHANGED": "deprecated flag changed",
    "READ_ONLY_CHANGED": "readOnly changed",
    "WRITE_ONLY_CHANGED": "writeOnly changed",
    "COMMENT_CHANGED": "$comment changed",
    "CONTENT_ANNOTATION_CHANGED": "contentEncoding/contentMediaType/contentSchema changed",
    "UNKNOWN_KEYWORD_CHANGED": "a keyword unknown to JSON Schema changed (an annotation)",
    # whole schema
    "SCHEMA_ADDED": "a sub-schema slot was added",
    "SCHEMA_REMOVED": "a sub-schema slot was removed",
    "FALSE_SCHEMA_ADDED": "the schema now accepts nothing",
    "FALSE_SCHEMA_REMOVED": "the schema accepted nothing and now accepts something",
    "TYPE_EXTENDED": "integer widened to number",
    "TYPE_NARROWED": "number narrowed to integer, or any type narrowed",
    "TYPE_CHANGED": "the set of JSON types changed",
    "SUM_TYPE_EXTENDED": "a type or a union branch was added",
    "SUM_TYPE_NARROWED": "a type or a union branch was removed",
    "PRODUCT_TYPE_EXTENDED": "an allOf member was added (more constraints)",
    "PRODUCT_TYPE_NARROWED": "an allOf member was removed (fewer constraints)",
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED": "union branches changed without a compatible pairing",
    "ONEOF_EXCLUSIVITY_UNPROVEN": "oneOf branches may overlap: an instance may match two",
    "NOT_TYPE_EXTENDED": "the `not` schema grew (fewer instances valid)",
    "NOT_TYPE_NARROWED": "the `not` schema shrank (more instances valid)",
    "NOT_TYPE_CHANGED": "the `not` schema changed incomparably",
    "NOT_ADDED": "a `not` constraint was added",
    "NOT_REMOVED": "a `not` constraint was removed",
    "CONDITIONAL_ADDED": "if/then/else added",
    "CONDITIONAL_REMOVED": "if/then/else removed",
    "CONDITIONAL_CHANGED": "if/then/else changed",
    # enum / const
    "ENUM_ARRAY_EXTENDED": "enum gained values",
    "ENUM_ARRAY_NARROWED": "enum lost values",
    "ENUM_ARRAY_CHANGED": "enum (or const) changed: values both added and removed",
    "ENUM_ADDED": "an enum or const was introduced",
    "ENUM_REMOVED": "an enum or const was dropped",
    # strings
    "MAX_LENGTH_ADDED": "maxLength added",
    "MAX_LENGTH_REMOVED": "maxLength removed",
    "MAX_LENGTH_INCREASED": "maxLength increased",
    "MAX_LENGTH_DECREASED": "maxLength decreased",
    "MIN_LENGTH_ADDED": "minLength added",
    "MIN_LENGTH_REMOVED": "minLength removed",
    "MIN_LENGTH_INCREASED": "minLength increased",
    "MIN_LENGTH_DECREASED": "minLength decreased",
    "PATTERN_ADDED": "pattern added",
    "PATTERN_REMOVED": "pattern removed",
    "PATTERN_CHANGED": "pattern changed",
    "FORMAT_ADDED": "format added",
    "FORMAT_REMOVED": "format removed",
    "FORMAT_CHANGED": "format changed",
    # numbers
    **{
        f"{kw}_{what}": f"{kw.lower().replace('_', ' ')} {what.lower()}"
        for kw in ("MAXIMUM", "MINIMUM", "EXCLUSIVE_MAXIMUM", "EXCLUSIVE_MINIMUM")
        for what in ("ADDED", "REMOVED", "INCREASED", "DECREASED")
    },
    "MULTIPLE_OF_ADDED": "multipleOf added",
    "MULTIPLE_OF_REMOVED": "multipleOf removed",
    "MULTIPLE_OF_EXPANDED": "multipleOf became a multiple of the old one (fewer values)",
    "MULTIPLE_OF_REDUCED": "multipleOf became a divisor of the old one (more values)",
    "MULTIPLE_OF_CHANGED": "multipleOf changed, neither divides the other",
    # objects
    "REQUIRED_ATTRIBUTE_ADDED": "a property became required",
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED": "a property with a default became required",
    "REQUIRED_ATTRIBUTE_REMOVED": "a property is no longer required",
    "REQUIRED_UNDECLARED_ADDED": "a name that is not a declared property became required",
    "REQUIRED_UNDECLARED_REMOVED": "a name that is not a declared property is no longer required",
    **{
        f"{kw}_{what}": f"{kw.lower().replace('_', ' ')} {what.lower()}"
        for kw in (
            "MAX_PROPERTIES",
            "MIN_PROPERTIES",
            "MAX_ITEMS",
            "MIN_ITEMS",
            "MAX_CONTAINS",
            "MIN_CONTAINS",
        )
        for what in ("ADDED", "REMOVED", "INCREASED", "DECREASED")
    },
    "ADDITIONAL_PROPERTIES_ADDED": "additionalProperties went from false to allowed",
    "ADDITIONAL_PROPERTIES_REMOVED": "additionalProperties went from allowed to false",
    "ADDITIONAL_PROPERTIES_EXTENDED": "additionalProperties schema loosened",
    "ADDITIONAL_PROPERTIES_NARROWED": "additionalProperties schema tightened",
    "UNEVALUATED_PROPERTIES_ADDED": "unevaluatedProperties went from false to allowed",
    "UNEVALUATED_PROPERTIES_REMOVED": "unevaluatedProperties went from allowed to false",
    "UNEVALUATED_PROPERTIES_EXTENDED": "unevaluatedProperties schema loosened",
    "UNEVALUATED_PROPERTIES_NARROWED": "unevaluatedProperties schema tightened",
    "DEPENDENCY_ARRAY_ADDED": "a property dependency was added",
    "DEPENDENCY_ARRAY_REMOVED": "a property dependency was removed",
    "DEPENDENCY_ARRAY_EXTENDED": "a property dependency gained names",
    "DEPENDENCY_ARRAY_NARROWED": "a property dependency lost names",
    "DEPENDENCY_ARRAY_CHANGED": "a property dependency changed",
    "DEPENDENCY_SCHEMA_ADDED": "a schema dependency was added",
    "DEPENDENCY_SCHEMA_REMOVED": "a schema dependency was removed",
    "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": "new required property, old object open",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL": (
        "new required property with a default, old object open"
    ),
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": "new optional typed property, old object open",
    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL": (
        "new property accepting anything, old object open"
    ),
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": "new required property, old object closed",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL": (
        "new required property with a default, old object closed"
    ),
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": "new optional property, old object closed",
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL": "property dropped, new object open",
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL": (
        "forbidden property dropped, new object closed"
    ),
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": "property dropped, new object closed",
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "dropped property still accepted by a pattern/additional schema"
    ),
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "dropped property not covered by the new pattern/additional schema"
    ),
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "new property covered by the old pattern/additional schema"
    ),
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "new property narrower than the old pattern/additional schema"
    ),
    "PATTERN_PROPERTIES_CHANGED": "the set of patternProperties changed",
    "PROPERTY_NAMES_CHANGED": "propertyNames changed",
    # arrays
    "UNIQUE_ITEMS_ADDED": "uniqueItems turned on",
    "UNIQUE_ITEMS_REMOVED": "uniqueItems turned off",
    "ADDITIONAL_ITEMS_ADDED": "items after the tuple went from false to allowed",
    "ADDITIONAL_ITEMS_REMOVED": "items after the tuple went from allowed to false",
    "ADDITIONAL_ITEMS_EXTENDED": "items schema loosened",
    "ADDITIONAL_ITEMS_NARROWED": "items schema tightened",
    "ITEM_ADDED_TO_OPEN_CONTENT_MODEL": "tuple grew a typed position, old tuple open",
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL": "tuple grew an untyped position",
    "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL": "tuple grew a position, old tuple closed",
    "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL": "tuple shrank, new tuple open",
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL": "forbidden position dropped",
    "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL": "tuple shrank, new tuple closed",
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "dropped position covered by the items schema"
    ),
    "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "dropped position not covered by the items schema"
    ),
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "new position covered by the old items schema"
    ),
    "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": (
        "new position narrower than the old items schema"
    ),
    "CONTAINS_ADDED": "contains added",
    "CONTAINS_REMOVED": "contains removed",
    "CONTAINS_CHANGED": "contains changed",
}

CONFLUENT_TYPES = frozenset(
    k
    for k in RULES
    if k
    not in {
        "EXAMPLES_CHANGED",
        "DEPRECATED_CHANGED",
        "READ_ONLY_CHANGED",
        "WRITE_ONLY_CHANGED",
        "COMMENT_CHANGED",
        "CONTENT_ANNOTATION_CHANGED",
        "UNKNOWN_KEYWORD_CHANGED",
        "FALSE_SCHEMA_ADDED",
        "FALSE_SCHEMA_REMOVED",
        "ONEOF_EXCLUSIVITY_UNPROVEN",
        "NOT_TYPE_CHANGED",
        "NOT_ADDED",
        "NOT_REMOVED",
        "CONDITIONAL_ADDED",
        "CONDITIONAL_REMOVED",
        "CONDITIONAL_CHANGED",
        "ENUM_ADDED",
        "ENUM_REMOVED",
        "FORMAT_ADDED",
        "FORMAT_REMOVED",
        "FORMAT_CHANGED",
        "REQUIRED_UNDECLARED_ADDED",
        "REQUIRED_UNDECLARED_REMOVED",
        "PATTERN_PROPERTIES_CHANGED",
        "PROPERTY_NAMES_CHANGED",
        "CONTAINS_ADDED",
        "CONTAINS_REMOVED",
        "CONTAINS_CHANGED",
    }
)

#: Annotation-only rules: never break a reader (they drive a patch bump).
ANNOTATION_RULES = frozenset(
    {
        "ID_CHANGED",
        "TITLE_CHANGED",
        "DESCRIPTION_CHANGED",
        "DEFAULT_CHANGED",
        "EXAMPLES_CHANGED",
        "DEPRECATED_CHANGED",
        "READ_ONLY_CHANGED",
        "WRITE_ONLY_CHANGED",
        "COMMENT_CHANGED",
        "CONTENT_ANNOTATION_CHANGED",
        "UNKNOWN_KEYWORD_CHANGED",
    }
)

#: Rules the lenient policy accepts in both directions (optional properties come and go;
#: additional properties may be narrowed), as Confluent's LENIENT policy does.
LENIENT_RULES = frozenset(
    {
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ADDITIONAL_PROPERTIES_REMOVED",
        "ADDITIONAL_PROPERTIES_ADDED",
        "ADDITIONAL_PROPERTIES_NARROWED",
        "ADDITIONAL_PROPERTIES_EXTENDED",
        "UNEVALUATED_PROPERTIES_REMOVED",
        "UNEVALUATED_PROPERTIES_ADDED",
        "UNEVALUATED_PROPERTIES_NARROWED",
        "UNEVALUATED_PROPERTIES_EXTENDED",
    }
)
