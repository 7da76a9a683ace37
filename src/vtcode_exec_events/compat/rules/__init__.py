"""The rule catalogue: one record per rule id, one table per keyword family, one lookup here.

The records live in ``schema.py`` (annotations, types, combinators, enum), ``scalars.py``
(strings, numbers), ``objects.py`` and ``arrays.py``; every id is a string literal there and at
the call sites that emit it (Confluent's ``Difference.Type`` names where apt).
"""

from __future__ import annotations

from vtcode_exec_events.compat.rules import arrays, objects, scalars, schema
from vtcode_exec_events.compat.rules.record import Rule

__all__ = ["ANNOTATION_RULES", "CATALOGUE", "CONFLUENT_TYPES", "LENIENT_RULES", "RULES", "Rule"]

_RECORDS = (*schema.RECORDS, *scalars.RECORDS, *objects.RECORDS, *arrays.RECORDS)

#: id → its record.
CATALOGUE: dict[str, Rule] = {r.id: r for r in _RECORDS}
if len(CATALOGUE) != len(_RECORDS):  # pragma: no cover - a table edited by hand
    raise ImportError("a rule id is defined twice in compat/rules/")

#: id → what it means (the summary), for configuration checks and report formats.
RULES: dict[str, str] = {r.id: r.summary for r in _RECORDS}

#: Ids that are Confluent's names with Confluent's meaning.
CONFLUENT_TYPES = frozenset(r.id for r in _RECORDS if r.confluent)

#: Annotation-only rules: never break a reader (they drive a patch bump).
ANNOTATION_RULES = frozenset(r.id for r in _RECORDS if r.annotation)

#: Rules the lenient policy accepts in both directions (optional properties come and go;
#: additional properties may be narrowed), as Confluent's LENIENT policy does.
LENIENT_RULES = frozenset(r.id for r in _RECORDS if r.lenient)
