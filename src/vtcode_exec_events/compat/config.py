"""Per-project policy from ``[tool.vtcode-exec-events.compat]``: severities and ignores."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vtcode_exec_events.compat.report import UNDECIDED
from vtcode_exec_events.compat.rules import RULES
from vtcode_exec_events.errors import VtcodeExecEventsError


def _toml_loads(text: str) -> dict[str, Any]:
    for name in ("tomllib", "tomli"):  # tomllib from 3.11; tomli when installed on 3.10
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        data: dict[str, Any] = module.loads(text)
        return data
    raise ConfigError("reading pyproject.toml needs Python 3.11+ or the tomli package")


__all__ = ["ConfigError", "IgnoreEntry", "Policy", "find_pyproject", "load_policy"]

SEVERITIES = ("error", "warning", "info", "off")
POLICIES = ("strict", "lenient")


class ConfigError(VtcodeExecEventsError, ValueError):
    """The compat configuration in pyproject.toml is invalid."""


@dataclass(frozen=True)
class IgnoreEntry:
    """Accept one known change: a rule id at a pointer (``*`` suffix: a pointer prefix)."""

    rule: str
    pointer: str
    reason: str

    def matches(self, rule: str, old_pointer: str, new_pointer: str) -> bool:
        if rule != self.rule:
            return False
        if self.pointer.endswith("*"):
            prefix = self.pointer[:-1]
            return old_pointer.startswith(prefix) or new_pointer.startswith(prefix)
        return self.pointer in (old_pointer, new_pointer)


@dataclass
class Policy:
    """How changes are judged: strict or lenient semantics, severities, accepted changes."""

    name: str = "strict"
    severity: dict[str, str] = field(default_factory=dict)
    ignore: list[IgnoreEntry] = field(default_factory=list)
    #: None: ``format`` asserts only where a schema's ``$vocabulary`` says so (else an annotation)
    format_assertion: bool | None = None
    required_with_default_ok: bool = False
    witnesses: bool = True
    undecided: str = "breaking"
    #: where ``name`` came from, for people: ``"--policy"``, a pyproject.toml path, ``"default"``
    origin: str = "default"

    def __post_init__(self) -> None:
        if self.name not in POLICIES:
            raise ConfigError(f"unknown policy {self.name!r} (choose {' or '.join(POLICIES)})")
        if self.undecided not in UNDECIDED:
            raise ConfigError(
                f"undecided changes count as {' or '.join(UNDECIDED)}, not {self.undecided!r}"
            )

    @property
    def lenient(self) -> bool:
        return self.name == "lenient"


def find_pyproject(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_policy(
    name: str | None = None,
    pyproject: Path | None = None,
    *,
    search: bool = True,
    undecided: str | None = None,
) -> Policy:
    """The policy from pyproject.toml (if any); ``name`` and ``undecided`` override its keys."""
    table: dict[str, Any] = {}
    path = pyproject or (find_pyproject() if search else None)
    if path is not None:
        try:
            data = _toml_loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            if isinstance(err, ConfigError):
                raise
            raise ConfigError(f"{path}: cannot read the compat configuration: {err}") from None
        table = data.get("tool", {}).get("vtcode-exec-events", {}).get("compat", {})
    return policy_from_table(
        table, name, source=_shown(path) if path else "configuration", undecided=undecided
    )


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it (as people type it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def policy_from_table(
    table: dict[str, Any],
    name: str | None = None,
    *,
    source: str = "",
    undecided: str | None = None,
) -> Policy:
    """A policy from a ``[tool.vtcode-exec-events.compat]`` table; ``name`` overrides."""
    where = f"{source}: [tool.vtcode-exec-events.compat]"
    severity: dict[str, str] = {}
    for rule, level in dict(table.get("severity", {})).items():
        if rule not in RULES:
            raise ConfigError(f"{where}.severity: unknown rule id {rule!r}")
        if level not in SEVERITIES:
            raise ConfigError(
                f"{where}.severity.{rule}: {level!r} is not one of {', '.join(SEVERITIES)}"
            )
        severity[rule] = level
    ignore: list[IgnoreEntry] = []
    for i, entry in enumerate(table.get("ignore", [])):
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}.ignore[{i}]: expected a table")
        missing = [k for k in ("rule", "pointer", "reason") if not entry.get(k)]
        if missing:
            raise ConfigError(f"{where}.ignore[{i}]: missing {', '.join(missing)}")
        if entry["rule"] not in RULES:
            raise ConfigError(f"{where}.ignore[{i}]: unknown rule id {entry['rule']!r}")
        ignore.append(IgnoreEntry(str(entry["rule"]), str(entry["pointer"]), str(entry["reason"])))
    fmt = table.get("format")
    if fmt is not None and fmt not in ("assertion", "annotation"):
        raise ConfigError(f"{where}.format: 'assertion' or 'annotation', not {fmt!r}")
    for key, allowed in (("policy", POLICIES), ("undecided", UNDECIDED)):
        if key in table and table[key] not in allowed:
            raise ConfigError(
                f"{where}.{key}: unknown {key} value {table[key]!r} (choose {' or '.join(allowed)})"
            )
    if name:
        origin = "--policy"
    elif "policy" in table:
        origin = source
    else:
        origin = "default"
    return Policy(
        name=name or str(table.get("policy", "strict")),
        severity=severity,
        ignore=ignore,
        format_assertion=None if fmt is None else fmt == "assertion",
        required_with_default_ok=bool(table.get("required-with-default-ok", False)),
        undecided=undecided or str(table.get("undecided", "breaking")),
        origin=origin,
    )
