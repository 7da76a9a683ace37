"""ECMA-262 regular expressions: validated and matched without catastrophic backtracking.

Patterns in a common subset (literals, classes, escapes, groups, alternation, quantifiers,
``^``/``$``) compile to a Thompson automaton (``automaton.py``): matching is linear in the
string, and the language inclusion of two such patterns is decided on their product (a
counterexample comes with it). Anything else (lookaround, backreferences, ``\\p{..}``,
``\\b``) is matched by ``regress``, the ECMA-262 engine jsonschema-rs uses, on strings of
bounded length.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict, deque
from functools import lru_cache
from itertools import pairwise

import regress

from vtcode_exec_events.compat.algebra.automaton import (
    MAX_CODE,
    Automaton,
    Parser,
    RegexError,
    Unsupported,
)

__all__ = [
    "MAX_BACKTRACK_SUBJECT",
    "RegexError",
    "compile_automaton",
    "counterexample",
    "regex_error",
    "search",
]

_MAX_PRODUCT = 5_000
#: longest string handed to the backtracking engine (patterns outside the automaton subset)
MAX_BACKTRACK_SUBJECT = 256


# ---- the public entry points -------------------------------------------------------------
@lru_cache(maxsize=4096)
def _flags(pattern: str) -> str | None:
    """The flags ``pattern`` compiles with (unicode mode first), or None when it is invalid."""
    for flags in ("u", ""):
        try:
            regress.Regex(pattern, flags)
        except regress.RegressError:
            continue
        return flags
    return None


@lru_cache(maxsize=4096)
def regex_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid ECMA-262 regular expression, or None when it is."""
    if _flags(pattern) is not None:
        return None
    try:
        regress.Regex(pattern, "u")
    except regress.RegressError as err:
        return str(err) or "invalid regular expression"
    return "invalid regular expression"  # pragma: no cover - valid in unicode mode after all


class _Automata:
    """The most recently used automata, up to ``budget`` pattern characters in all (an
    automaton takes ~0.5 KB a character: a count of entries would not bound memory, 4,096
    patterns of 5,000 characters are GBs)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.chars = 0
        self.kept: OrderedDict[str, Automaton | None] = OrderedDict()

    def get(self, pattern: str) -> Automaton | None:
        if pattern in self.kept:
            self.kept.move_to_end(pattern)
            return self.kept[pattern]
        auto = self.kept[pattern] = _compile(pattern)
        self.chars += len(pattern)
        while self.chars > self.budget and len(self.kept) > 1:
            self.chars -= len(self.kept.popitem(last=False)[0])
        return auto


_AUTOMATA = _Automata(50_000)


def compile_automaton(pattern: str) -> Automaton | None:
    """The automaton of a valid pattern in the supported subset, else None."""
    return _AUTOMATA.get(pattern)


def _compile(pattern: str) -> Automaton | None:
    if regex_error(pattern) is not None:
        return None
    try:
        return Parser(pattern).parse()
    except (Unsupported, RegexError, RecursionError):
        return None


@lru_cache(maxsize=4096)
def _backtracking(pattern: str) -> regress.Regex:
    return regress.Regex(pattern, _flags(pattern) or "")


@lru_cache(maxsize=65536)
def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text``: None when the pattern is invalid, or
    when it is outside the automaton subset and ``text`` is too long to match safely."""
    auto = compile_automaton(pattern)
    if auto is not None:
        return auto.search(text)
    if regex_error(pattern) is not None or len(text) > MAX_BACKTRACK_SUBJECT:
        return None
    return _backtracking(pattern).find(text) is not None


@lru_cache(maxsize=4096)
def counterexample(p: str, q: str) -> tuple[bool, str | None] | None:
    """Whether every string ``p`` matches, ``q`` matches too (and if not, a shortest string
    ``p`` matches and ``q`` does not); None when that is not decided here."""
    a, b = compile_automaton(p), compile_automaton(q)
    if a is None or b is None or not (a.simple_anchors and b.simple_anchors):
        return None
    bounds = {0, MAX_CODE + 1}
    for auto in (a, b):
        for edges in auto.edges:
            for ranges, _ in edges:
                for lo, hi in ranges:
                    bounds.update((lo, hi + 1))
    cuts = sorted(bounds)
    reps = [_representative(lo, hi - 1) for lo, hi in pairwise(cuts)]
    da, db = _Subsets(a, cuts), _Subsets(b, cuts)
    start = (_AT_START, _AT_START)
    seen = {start: ""}
    todo = deque([start])
    while todo:
        sa, sb = todo.popleft()
        text = seen[(sa, sb)]
        if da.accepts(sa) and not db.accepts(sb):
            return False, text
        # the successors on every character class at once; a successor first reached by the
        # class ``k`` gets its representative (breadth first: a shortest string)
        pairs = list(zip(da.row(sa), db.row(sb), strict=True))
        for key in dict.fromkeys(pairs):
            if key not in seen:
                if len(seen) > _MAX_PRODUCT:
                    return None
                seen[key] = text + chr(reps[pairs.index(key)])
                todo.append(key)
    return True, None


#: the kernel of the subset automaton before the first character (``^`` still holds)
_AT_START: frozenset[int] = frozenset({-1})


class _Subsets:
    """The subset construction of an unanchored search, built lazily. A state is a *kernel*:
    the NFA states a character led to, plus the search start (``-1`` before the text, where
    ``^`` holds). The alphabet is cut into classes (``cuts``: every range bound of both
    patterns), so a range covers whole classes; the moves of each kernel state (through its
    free moves), each kernel's successors and each acceptance test are computed once, and
    only on the classes a state has moves on."""

    def __init__(self, auto: Automaton, cuts: list[int]) -> None:
        self.auto = auto
        self.cuts = cuts
        self._interned: dict[frozenset[int], frozenset[int]] = {}
        start = frozenset({auto.start})
        self._start = self._interned.setdefault(start, start)
        self._rows: dict[frozenset[int], list[frozenset[int]]] = {}
        self._accepts: dict[frozenset[int], bool] = {}
        self._moves: dict[int, dict[int, frozenset[int]]] = {}

    def row(self, kernel: frozenset[int]) -> list[frozenset[int]]:
        """The successor kernel on each character class."""
        found = self._rows.get(kernel)
        if found is None:
            grown: dict[int, set[int]] = {}
            for s in kernel:
                for k, targets in self._state_moves(s).items():
                    if k in grown:
                        grown[k] |= targets
                    else:
                        grown[k] = {self.auto.start, *targets}
            found = [self._start] * (len(self.cuts) - 1)
            for k, states in grown.items():
                nxt = frozenset(states)
                found[k] = self._interned.setdefault(nxt, nxt)
            self._rows[kernel] = found
        return found

    def _state_moves(self, s: int) -> dict[int, frozenset[int]]:
        """Where kernel state ``s`` goes, by character class (only classes it moves on)."""
        found = self._moves.get(s)
        if found is None:
            auto, cuts = self.auto, self.cuts
            free = auto.closure({auto.start if s < 0 else s}, at_start=s < 0, at_end=False)
            moves: dict[int, set[int]] = {}
            for u in free:
                for ranges, t in auto.edges[u]:
                    for lo, hi in ranges:
                        for k in range(bisect_left(cuts, lo), bisect_left(cuts, hi + 1)):
                            moves.setdefault(k, set()).add(t)
            found = self._moves[s] = {k: frozenset(v) for k, v in moves.items()}
        return found

    def accepts(self, kernel: frozenset[int]) -> bool:
        found = self._accepts.get(kernel)
        if found is None:
            auto = self.auto
            states = {auto.start if s < 0 else s for s in kernel}
            closed = auto.closure(states, at_start=kernel == _AT_START, at_end=True)
            found = self._accepts[kernel] = auto.accept in closed
        return found


def _representative(lo: int, hi: int) -> int:
    """A readable character of the interval (a letter or digit where there is one)."""
    for c in (*range(97, 123), *range(48, 58), *range(65, 91), 95, 45, 32):
        if lo <= c <= hi:
            return int(c)
    if 0xD800 <= lo <= 0xDFFF:  # surrogates are not characters: take the first after them
        return int(min(hi, 0xE000)) if hi >= 0xE000 else lo
    return lo
