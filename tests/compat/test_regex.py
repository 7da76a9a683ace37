"""ECMA-262 patterns: the automaton agrees with regress; inclusion comes with a counterexample."""

from __future__ import annotations

import itertools

import pytest
import regress
from hypothesis import given, settings
from hypothesis import strategies as st

from vtcode_exec_events.compat.algebra.regex import (
    compile_automaton,
    counterexample,
    regex_error,
    search,
)
from vtcode_exec_events.compat.validation import check_schema
from vtcode_exec_events.errors import SchemaError

_CRON = "^(((\\d+,)+\\d+|((\\d+|\\*)\\/\\d+)|(\\d+-\\d+)|\\d+|\\*) ?){5,7}$"
_CRON_NAMES = (
    "^(((\\d+,)+\\d+|((\\d+|\\*)\\/\\d+|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
    "|(\\d+-\\d+)|\\d+|\\*|MON|TUE|WED|THU|FRI|SAT|SUN) ?){5,7}$"
)

PATTERNS = [
    "^(a+)+b$",
    "^[a-z]+$",
    "abc",
    "^abc",
    "abc$",
    "^(foo|bar)$",
    "^\\d{3}-\\d{4}$",
    "a{2,3}",
    "^[^a-c]*$",
    "^$",
    "^a?b+c*$",
    "(ab|cd)+e",
    "^v[0-9]+(\\.[0-9]+)*$",
    "[\\w.-]+@[\\w-]+",
    "^\\s*$",
    "a.c",
    "^[A-Z][a-z]{0,5}$",
    "^(?:a|b)(?:c|d)$",
    "\\cC",
    "(?<n>ab)c",
    "^\\u00e9+$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_listed_pattern_is_in_the_automaton_subset(pattern: str) -> None:
    assert compile_automaton(pattern) is not None


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.sampled_from(PATTERNS),
    text=st.text(alphabet="abcdefxyzABZ019-. @\n\r\u00e9\x03\u2028", max_size=12),
)
def test_the_automaton_matches_as_regress_does(pattern: str, text: str) -> None:
    assert search(pattern, text) is (regress.Regex(pattern, "u").find(text) is not None)


@pytest.mark.parametrize(
    ("old", "new", "included", "witness"),
    [
        ("^[a-z]+$", "^[a-z0-9]+$", True, None),
        ("^[a-z0-9]+$", "^[a-z]+$", False, "0"),
        ("^(foo|bar)$", "^(foo|bar|baz)$", True, None),
        ("^(foo|bar|baz)$", "^(foo|bar)$", False, "baz"),
        ("^abc", "abc", True, None),
        ("^a+$", "^a*$", True, None),
        ("^\\d{3}$", "^[0-9]{3}$", True, None),
        ("^v\\d+$", "^v[0-9]+(\\.[0-9]+)*$", True, None),
        # GitHub workflow's cron pattern (SchemaStore), before and after month/day names
        (_CRON, _CRON_NAMES, True, None),
        (_CRON_NAMES, _CRON, False, "****APR"),
    ],
)
def test_inclusion_is_decided_with_a_shortest_counterexample(
    old: str, new: str, included: bool, witness: str | None
) -> None:
    assert counterexample(old, new) == (included, witness)


def test_what_the_automaton_does_not_cover_is_not_decided() -> None:
    assert counterexample("(?=a)a", "a") is None
    assert counterexample("\\p{L}+", "a") is None
    assert search("\\p{L}+", "é") is True
    assert search("(?=a)a", "x" * 1000) is None  # too long for the backtracking engine


def test_ecma_validity() -> None:
    assert regex_error("\\p{L}") is None
    assert regex_error("\\cC") is None
    assert regex_error("[a-") == "Unbalanced bracket"


#: valid in ECMA-262 without the u flag (Annex B), as browsers and jsonschema-rs' regress run them
ANNEX_B = ["^\\${{.*}}$", "]", "^[a-z]{2}]?$", "\\@", "^{[0-9]{8}}$", "a{,2}"]


@pytest.mark.parametrize("dialect", ["draft4", "draft7", "draft2020-12", "draft3"])
@pytest.mark.parametrize("pattern", ANNEX_B)
def test_annex_b_patterns_are_valid_schemas(dialect: str, pattern: str) -> None:
    assert regex_error(pattern) is None
    schema = {"properties": {"a": {"type": "string", "pattern": pattern}}}
    check_schema("s.json", schema, dialect)  # no SchemaError
    check_schema("s.json", {"patternProperties": {pattern: {"type": "string"}}}, dialect)


@pytest.mark.parametrize("dialect", ["draft4", "draft7", "draft2020-12"])
def test_an_invalid_pattern_beside_an_annex_b_one_is_still_reported(dialect: str) -> None:
    schema = {"properties": {"a": {"pattern": "]"}, "b": {"pattern": "(a"}}}
    with pytest.raises(SchemaError) as caught:
        check_schema("s.json", schema, dialect)
    assert "s.json#/properties/b/pattern" in str(caught.value)
    assert "'(a'" in str(caught.value) or '"(a"' in str(caught.value)


_ALPHABET = "abcxz0-. "


@settings(max_examples=80, deadline=None)
@given(old=st.sampled_from(PATTERNS), new=st.sampled_from(PATTERNS))
def test_inclusion_agrees_with_regress_on_short_strings(old: str, new: str) -> None:
    """A counterexample is matched by ``old`` and not by ``new`` (regress decides); an
    inclusion has no such string among all short strings over a small alphabet."""
    found = counterexample(old, new)
    if found is None:
        return
    included, witness = found

    def matches(pattern: str, text: str) -> bool:
        return regress.Regex(pattern, "u").find(text) is not None

    if not included:
        assert witness is not None
        assert matches(old, witness)
        assert not matches(new, witness)
        return
    texts = ["".join(chars) for n in range(4) for chars in itertools.product(_ALPHABET, repeat=n)]
    assert not [t for t in texts if matches(old, t) and not matches(new, t)]
