"""Thompson automata for a subset of ECMA-262 regular expressions, parsed straight from text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

__all__ = [
    "MAX_CODE",
    "Automaton",
    "Parser",
    "Ranges",
    "RegexError",
    "Unsupported",
    "contains_code",
]

MAX_CODE = 0x10FFFF
_MAX_STATES = 4_000

Ranges = tuple[tuple[int, int], ...]


class RegexError(ValueError):
    """A pattern that is not a valid ECMA-262 regular expression."""


class Unsupported(Exception):
    """A valid pattern outside the automaton subset."""


def _norm(ranges: list[tuple[int, int]]) -> Ranges:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _negate(ranges: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    nxt = 0
    for lo, hi in ranges:
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_CODE:
        out.append((nxt, MAX_CODE))
    return tuple(out)


_DIGIT: Ranges = ((48, 57),)
_WORD: Ranges = _norm([(48, 57), (65, 90), (95, 95), (97, 122)])
_SPACE: Ranges = _norm(
    [
        *((9, 13), (32, 32), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A)),
        *((0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)),
        (0xFEFF, 0xFEFF),
    ]
)
_LINE_END: Ranges = _norm([(10, 10), (13, 13), (0x2028, 0x2029)])
_DOT = _negate(_LINE_END)
_ANY: Ranges = ((0, MAX_CODE),)
_CLASS_ESCAPES = {
    "d": _DIGIT,
    "D": _negate(_DIGIT),
    "w": _WORD,
    "W": _negate(_WORD),
    "s": _SPACE,
    "S": _negate(_SPACE),
}
_CONTROL = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13, "0": 0}
_SYNTAX = set("^$\\.*+?()[]{}|/-")


# ---- the automaton ------------------------------------------------------------------------
@dataclass
class Automaton:
    """A Thompson NFA: ``edges[s]`` are (ranges, target); ``eps[s]`` are (kind, target) with
    kind "" (free), "^" (only at the start) or "$" (only at the end)."""

    edges: list[list[tuple[Ranges, int]]] = field(default_factory=list)
    eps: list[list[tuple[str, int]]] = field(default_factory=list)
    start: int = 0
    accept: int = 0
    #: anchors only at the ends of top-level alternatives: inclusion is decidable
    simple_anchors: bool = True

    def state(self) -> int:
        self.edges.append([])
        self.eps.append([])
        if len(self.edges) > _MAX_STATES:
            raise Unsupported("too many states")
        return len(self.edges) - 1

    def closure(self, states: set[int], *, at_start: bool, at_end: bool) -> frozenset[int]:
        seen = set(states)
        todo = list(states)
        while todo:
            s = todo.pop()
            for kind, t in self.eps[s]:
                if t in seen or (kind == "^" and not at_start) or (kind == "$" and not at_end):
                    continue
                seen.add(t)
                todo.append(t)
        return frozenset(seen)

    def step(self, states: frozenset[int], code: int) -> set[int]:
        out: set[int] = set()
        for s in states:
            for ranges, t in self.edges[s]:
                if contains_code(ranges, code):
                    out.add(t)
        return out

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in ``text`` (linear in its length)."""
        n = len(text)
        current = self.closure({self.start}, at_start=True, at_end=n == 0)
        if self.accept in current:
            return True
        for i, ch in enumerate(text):
            nxt = self.step(current, ord(ch))
            nxt.add(self.start)
            current = self.closure(nxt, at_start=False, at_end=i + 1 == n)
            if self.accept in current:
                return True
        return False


def contains_code(ranges: Ranges, code: int) -> bool:
    """Whether ``code`` lies in one of the sorted disjoint ``ranges``."""
    i = bisect_right(ranges, (code, MAX_CODE + 1)) - 1
    return i >= 0 and ranges[i][0] <= code <= ranges[i][1]


# ---- the parser (builds the automaton directly) ------------------------------------------
class Parser:
    """Parses an ECMA-262 pattern of the subset straight into an automaton."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.a = Automaton()

    def peek(self) -> str:
        return self.p[self.i] if self.i < len(self.p) else ""

    def take(self) -> str:
        ch = self.peek()
        self.i += 1
        return ch

    def parse(self) -> Automaton:
        a = self.a
        start, end = self.alternation(top=True)
        if self.i != len(self.p):
            raise RegexError("unbalanced parenthesis")
        a.start, a.accept = start, end
        a.edges[end].append((_ANY, end))  # a match found: the rest does not matter
        return a

    def alternation(self, *, top: bool = False) -> tuple[int, int]:
        a = self.a
        s, e = a.state(), a.state()
        while True:
            bs, be = self.sequence(top=top)
            a.eps[s].append(("", bs))
            a.eps[be].append(("", e))
            if self.peek() != "|":
                return s, e
            self.take()

    def sequence(self, *, top: bool) -> tuple[int, int]:
        a = self.a
        s = a.state()
        cur = s
        first = True
        while self.peek() not in ("", "|", ")"):
            ch = self.peek()
            if ch in "^$":
                self.take()
                last = self.peek() in ("", "|", ")")
                if not top or (ch == "^" and not first) or (ch == "$" and not last):
                    a.simple_anchors = False
                nxt = a.state()
                a.eps[cur].append((ch, nxt))
                cur = nxt
                first = False
                continue
            fs, fe = self.quantified()
            a.eps[cur].append(("", fs))
            cur = fe
            first = False
        return s, cur

    def quantified(self) -> tuple[int, int]:
        begin = self.i
        atom = self.atom()
        atom_text = self.p[begin : self.i]
        ch = self.peek()
        braces = self._brace() if ch == "{" else None
        if ch in "*+?" and ch:
            self.take()
            lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[ch]
        elif braces is not None:
            lo, hi = braces
        else:
            return atom
        if self.peek() == "?":
            self.take()  # laziness does not change what matches
        if hi is not None and hi < lo:
            raise RegexError("numbers out of order in {} quantifier")
        if lo > 200 or (hi is not None and hi > 200):
            raise Unsupported("large counted repetition")
        return self._repeat(atom, atom_text, lo, hi)

    def _brace(self) -> tuple[int, int | None] | None:
        """A ``{n}``, ``{n,}`` or ``{n,m}`` quantifier at the cursor (consumed), or None."""
        j = self.p.find("}", self.i)
        if self.peek() != "{" or j < 0:
            return None
        parts = self.p[self.i + 1 : j].split(",")
        if len(parts) > 2 or not parts[0].isdigit():
            return None
        if len(parts) == 2 and parts[1] and not parts[1].isdigit():
            return None
        self.i = j + 1
        lo = int(parts[0])
        hi = lo if len(parts) == 1 else (int(parts[1]) if parts[1] else None)
        return lo, hi

    def _repeat(self, atom: tuple[int, int], text: str, lo: int, hi: int | None) -> tuple[int, int]:
        a = self.a
        spare = [atom]

        def copy() -> tuple[int, int]:
            if spare:
                return spare.pop()
            sub = Parser(text)  # a fresh copy of the atom (its own states)
            sub.a = a
            return sub.atom()

        s = a.state()
        cur = s
        for _ in range(lo):
            c = copy()
            a.eps[cur].append(("", c[0]))
            cur = c[1]
        e = a.state()
        a.eps[cur].append(("", e))
        if hi is None:
            c = copy()
            a.eps[cur].append(("", c[0]))
            a.eps[c[1]].append(("", c[0]))
            a.eps[c[1]].append(("", e))
        else:
            for _ in range(hi - lo):
                c = copy()
                a.eps[cur].append(("", c[0]))
                cur = c[1]
                a.eps[cur].append(("", e))
        return s, e

    def atom(self) -> tuple[int, int]:
        ch = self.take()
        if ch == "(":
            if self.p.startswith("?:", self.i):
                self.i += 2
            elif self.p.startswith("?<", self.i) and self.p[self.i + 2 : self.i + 3] not in "=!":
                j = self.p.find(">", self.i)
                if j < 0:
                    raise RegexError("invalid group name")
                self.i = j + 1
            elif self.peek() == "?":
                raise Unsupported("lookaround")
            s, e = self.alternation()
            if self.take() != ")":
                raise RegexError("unbalanced parenthesis")
            return s, e
        if ch == "[":
            return self._single(self._class())
        if ch == ".":
            return self._single(_DOT)
        if ch == "\\":
            return self._single(self._escape(in_class=False))
        if ch in ("", ")", "]", "}", "*", "+", "?", "{"):
            if ch in ("]", "}"):
                return self._single(((ord(ch), ord(ch)),))  # Annex B: a lone bracket is itself
            if ch == "{":
                self.i -= 1
                if self._brace() is None:
                    self.i += 1
                    return self._single(((ord(ch), ord(ch)),))
            raise RegexError(f"nothing to repeat at offset {self.i - 1}")
        return self._single(((ord(ch), ord(ch)),))

    def _single(self, ranges: Ranges) -> tuple[int, int]:
        a = self.a
        s, e = a.state(), a.state()
        a.edges[s].append((ranges, e))
        return s, e

    def _escape(self, *, in_class: bool) -> Ranges:
        ch = self.take()
        if not ch:
            raise RegexError("\\ at end of pattern")
        if ch in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[ch]
        if ch in _CONTROL and not (ch == "0" and self.peek().isdigit()):
            c = _CONTROL[ch]
            return ((c, c),)
        if ch == "c" and self.peek().isalpha():
            c = ord(self.take()) % 32
            return ((c, c),)
        if ch == "x" and _hex(self.p[self.i : self.i + 2], 2):
            c = int(self.p[self.i : self.i + 2], 16)
            self.i += 2
            return ((c, c),)
        if ch == "u":
            if _hex(self.p[self.i : self.i + 4], 4):
                c = int(self.p[self.i : self.i + 4], 16)
                self.i += 4
                return ((c, c),)
            if self.peek() == "{":
                j = self.p.find("}", self.i)
                body = self.p[self.i + 1 : j] if j > 0 else ""
                if body and _hex(body, len(body)) and int(body, 16) <= MAX_CODE:
                    self.i = j + 1
                    c = int(body, 16)
                    return ((c, c),)
        if ch == "b" and in_class:
            return ((8, 8),)
        if ch in "bBpPk" or ch.isdigit():
            raise Unsupported(f"\\{ch}")
        return ((ord(ch), ord(ch)),)  # an identity escape

    def _class(self) -> Ranges:
        negate = self.peek() == "^"
        if negate:
            self.take()
        parts: list[tuple[int, int]] = []
        first = True
        while True:
            ch = self.take()
            if ch == "":
                raise RegexError("unterminated character class")
            if ch == "]" and not first:
                break
            if ch == "]":  # ECMA: an empty class []
                return _negate(_ANY) if not negate else _ANY
            first = False
            lo_set = self._escape(in_class=True) if ch == "\\" else ((ord(ch), ord(ch)),)
            if self.peek() == "-" and self.p[self.i + 1 : self.i + 2] not in ("]", ""):
                self.take()
                ch2 = self.take()
                hi_set = self._escape(in_class=True) if ch2 == "\\" else ((ord(ch2), ord(ch2)),)
                if _single_char(lo_set) and _single_char(hi_set):
                    if hi_set[0][0] < lo_set[0][0]:
                        raise RegexError("range out of order in character class")
                    parts.append((lo_set[0][0], hi_set[0][0]))
                    continue
                parts += [*lo_set, (45, 45), *hi_set]  # Annex B: \d-x is three items
                continue
            parts += lo_set
        ranges = _norm(parts)
        return _negate(ranges) if negate else ranges


def _single_char(ranges: Ranges) -> bool:
    return len(ranges) == 1 and ranges[0][0] == ranges[0][1]


def _hex(text: str, n: int) -> bool:
    return len(text) == n and all(c in "0123456789abcdefABCDEF" for c in text)
