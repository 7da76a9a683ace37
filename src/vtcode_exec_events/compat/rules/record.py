"""The rule record and the shorthands the family tables (``rules/*.py``) are written with."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ANNOTATION",
    "BOUND",
    "BROKEN",
    "CALL_SITE",
    "DETAIL",
    "LOOSER",
    "NUMBER",
    "SAFE",
    "TIGHTER",
    "Rule",
    "annotation",
    "rule",
]


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


Verdicts = tuple[bool | None, bool | None]

#: Default verdicts (backward, forward): fewer instances valid (breaks old data under new readers).
TIGHTER: Verdicts = (False, True)
#: More instances valid (new data may break old readers).
LOOSER: Verdicts = (True, False)
#: Breaks neither direction.
SAFE: Verdicts = (True, True)
#: Breaks both directions.
BROKEN: Verdicts = (False, False)
#: No default: the call site passes both verdicts.
CALL_SITE: Verdicts = (None, None)

# Message templates several rules share.
ANNOTATION = "{keyword} changed from {old} to {new} (annotation only)"
BOUND = "{keyword} {verb}{values}"
NUMBER = "{side} bound changed from {old} to {new}"
DETAIL = "{detail}"


def rule(
    rule_id: str,
    summary: str,
    message: str,
    verdicts: Verdicts = CALL_SITE,
    *,
    confluent: bool = True,
    lenient: bool = False,
) -> Rule:
    """One rule's record: id, summary, message template, default (backward, forward) verdicts."""
    backward, forward = verdicts
    return Rule(rule_id, summary, message, backward, forward, confluent=confluent, lenient=lenient)


def annotation(
    rule_id: str, summary: str, message: str = ANNOTATION, *, confluent: bool = False
) -> Rule:
    """An annotation's record: compatible both ways, drives a patch bump."""
    return Rule(rule_id, summary, message, True, True, confluent=confluent, annotation=True)
