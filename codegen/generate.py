"""Generate generated/vtcode_exec_events/{models,dicts}/ from schema/ (via `nox -s generate`).

Each released version folder is bundled into one self-contained document (the generator
splits dotted file names such as ``thread-event.schema.json`` into packages, so it gets a
single file), then datamodel-code-generator writes one module per version and output kind
in place: pydantic models in ``models/`` and TypedDicts in ``dicts/``. ``models/newest.py``
re-exports the newest version's models and names that version: the one place hand-written
code learns which version is newest.
``--check`` regenerates nothing and fails on any drift, naming the command to run.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema"
GENERATED = ROOT / "generated" / "vtcode_exec_events"
MODELS = GENERATED / "models"
FIX = "nox -s generate"

#: The generator's options for the pydantic models. The preset is dated and immutable;
#: together with the exact pin in pyproject.toml it fixes the output. Changing either
#: means regenerating.
OPTIONS = [
    "--input-file-type=jsonschema",
    "--output-model-type=pydantic_v2.BaseModel",
    "--preset=standard-py310-20261027",
    "--no-collapse-root-models",
    "--use-double-quotes",
    "--use-one-literal-as-default",
    "--use-schema-description",
    "--use-field-description",
    "--ignore-pyproject",
]

#: The options for the TypedDicts: the same preset and documentation options, except
#: - no ``--use-one-literal-as-default``: on a model it lets callers omit ``type`` (the
#:   model fills the default in and writes it); a TypedDict has no defaults, so there it
#:   only turns the tag into ``NotRequired[Literal[...]]``, and a dict without its tag is
#:   not a valid wire event. The event and item tags stay required keys.
#: - ``TypedDict`` from typing_extensions (``NotRequired`` already comes from there for
#:   Python 3.10): pydantic's TypeAdapter refuses ``typing.TypedDict`` before Python 3.12,
#:   and the tests check the dicts against the samples through it.
#: - PEP 728 ``closed=`` is left at the generator's default: no schema sets
#:   ``additionalProperties``, so every TypedDict is a plain (open) one.
DICTS_OPTIONS = [
    option
    for option in OPTIONS
    if option not in {"--output-model-type=pydantic_v2.BaseModel", "--use-one-literal-as-default"}
] + [
    "--output-model-type=typing.TypedDict",
    '--import-overrides={"TypedDict": "typing_extensions"}',
]


@dataclass(frozen=True)
class Output:
    """One kind of generated code: a package with one module per released schema version."""

    name: str
    options: list[str]
    docstring: str
    #: Whether the package re-exports the newest version's names.
    reexport: bool

    @property
    def directory(self) -> Path:
        return GENERATED / self.name


OUTPUTS = {
    "models": Output(
        "models",
        OPTIONS,
        "Generated pydantic models, one module per released schema version.",
        reexport=False,
    ),
    "dicts": Output(
        "dicts",
        DICTS_OPTIONS,
        "Generated TypedDicts, one module per released schema version; the newest is re-exported.",
        reexport=True,
    ),
}


@functools.cache
def _import_library() -> types.ModuleType:
    """Import the package's registry and bundler without running the package __init__,
    which imports the very models this script writes."""
    name = "vtcode_exec_events"
    ours = [k for k in sys.modules if k == name or k.startswith(name + ".")]
    saved = {k: sys.modules.pop(k) for k in ours}
    package = types.ModuleType(name)
    package.__path__ = [str(ROOT / "src" / name)]
    sys.modules[name] = package
    try:
        from vtcode_exec_events import bundle, registry
    finally:
        # Leave sys.modules as it was, so an in-process caller (a test) keeps the real package.
        for k in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[k]
        sys.modules.update(saved)
    package.bundle = bundle  # type: ignore[attr-defined]
    package.registry = registry  # type: ignore[attr-defined]
    return package


def _generator() -> str:
    """The pinned generator: next to this interpreter (a nox or venv run), else on PATH."""
    beside = Path(sys.executable).with_name("datamodel-codegen")
    return str(beside) if beside.exists() else "datamodel-codegen"


#: The module of the models package that re-exports the newest version.
NEWEST = "newest"


def module_name(version: str) -> str:
    return "v" + version.replace(".", "_")


def public_names(module: Path) -> list[str]:
    """The classes and type aliases a generated module defines, sorted."""
    if not module.exists():
        return []
    tree = ast.parse(module.read_text("utf-8"))
    names = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    names += [
        node.target.id
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]
    return sorted(names)


def _union_names(node: ast.expr) -> list[str]:
    """The names of ``A | B | C``, left to right."""
    if isinstance(node, ast.BinOp):
        return _union_names(node.left) + _union_names(node.right)
    return [node.id] if isinstance(node, ast.Name) else []


def event_members(module: Path) -> list[str]:
    """The event classes of a generated module: ``KnownThreadEvent``'s members, in order."""
    tree = ast.parse(module.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "KnownThreadEvent":
            base = node.bases[0]
            if isinstance(base, ast.Subscript):  # RootModel[A | B | ...]
                return _union_names(base.slice)
    raise SystemExit(f"{module}: no KnownThreadEvent(RootModel[...]) to take the events from")


def init_source(versions: list[str], output: Output = OUTPUTS["models"]) -> str:
    names = [module_name(v) for v in versions]
    lines = [
        "# generated by codegen/generate.py (nox -s generate); do not edit.",
        f'"""{output.docstring}"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    exported = ["LATEST", "MODULES"]
    if output.reexport:
        reexported = public_names(output.directory / (names[-1] + ".py"))
        lines += [
            f"from .{names[-1]} import (",
            *[f"    {name}," for name in reexported],
            ")",
            "",
        ]
        exported = sorted(exported + reexported)
    lines += [
        "#: Schema version -> module name in this package, oldest first.",
        "MODULES: dict[str, str] = {",
        *[f'    "{v}": "{n}",' for v, n in zip(versions, names, strict=True)],
        "}",
        "",
        f'LATEST = "{versions[-1]}"',
        "",
        *_all(exported),
        "",
    ]
    return "\n".join(lines)


def _all(names: list[str]) -> list[str]:
    """``__all__`` on one line when it fits, else one name a line (as ruff would format it)."""
    one = "__all__ = [" + ", ".join(f'"{n}"' for n in names) + "]"
    return [one] if len(one) <= 100 else ["__all__ = [", *[f'    "{n}",' for n in names], "]"]


def generate_module(
    folder: Path, version: str, target: Path, *, check: bool = False, kind: str = "models"
) -> bool:
    """Bundle one version folder and run the generator on it; False on failure or drift."""
    lib = _import_library()
    schemas = lib.registry.load_folder(folder, version)
    doc = lib.bundle.bundle(schemas, lib.registry.VERSIONED_THREAD_EVENT)
    with tempfile.TemporaryDirectory(prefix="vtcode-codegen-") as tmp:
        source = Path(tmp) / f"vtcode-exec-events-{version}.schema.json"
        source.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
        cmd = [_generator(), f"--input={source}", f"--output={target}", *OUTPUTS[kind].options]
        if check:
            cmd.append("--check")
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        return False
    return True


def newest_source(versions: list[str], output: Output = OUTPUTS["models"]) -> str:
    """``newest.py``: the newest version's names re-exported, and that version.

    Hand-written modules import the newest models from here, never from a versioned module,
    so ``nox -s new_version`` plus ``nox -s generate`` move every one of them.
    """
    module = output.directory / (module_name(versions[-1]) + ".py")
    names = public_names(module)
    events = [*event_members(module), "UnknownThreadEvent"] if names else []
    lines = [
        "# generated by codegen/generate.py (nox -s generate); do not edit.",
        '"""The newest schema version\'s models: what hand-written modules import."""',
        "",
        "from __future__ import annotations",
        "",
        f"from .{module_name(versions[-1])} import (",
        *[f"    {name}," for name in names],
        ")",
        "",
        "#: The schema version these models are.",
        f'SCHEMA_VERSION = "{versions[-1]}"',
        "",
        *(
            [
                "#: Every event of this version as one type: a known event or the unknown one.",
                "Event = (",
                *[f"    {'| ' if i else ''}{name}" for i, name in enumerate(events)],
                ")",
                "",
            ]
            if events
            else []
        ),
        *_all(sorted([*names, "SCHEMA_VERSION", *(["Event"] if events else [])])),
        "",
    ]
    return "\n".join(lines)


def _package_files(output: Output, versions: list[str]) -> dict[str, str]:
    """The hand-off modules of a package, by file name: its __init__ (and newest.py)."""
    files = {"__init__.py": init_source(versions, output)}
    if not output.reexport:
        files[NEWEST + ".py"] = newest_source(versions, output)
    return files


def finish_package(output: Output, versions: list[str], check: bool) -> list[str]:
    """Write (or, with ``check``, compare) a package's __init__ and newest.py; report
    stale modules."""
    files = _package_files(output, versions)
    if not check:
        for name, text in files.items():
            (output.directory / name).write_text(text, "utf-8")
        return []
    failures = []
    for name, expected in files.items():
        path = output.directory / name
        if not path.exists() or path.read_text("utf-8") != expected:
            failures.append(str(path.relative_to(ROOT)))
    present = (
        {p.name for p in output.directory.glob("*.py")} if output.directory.exists() else set()
    )
    wanted = set(files) | {module_name(v) + ".py" for v in versions}
    where = output.directory.relative_to(ROOT)
    failures += [f"{where}/{name} (stale)" for name in sorted(present - wanted)]
    return failures


def typed_marker(check: bool) -> list[str]:
    """Write (or check) ``generated/vtcode_exec_events/py.typed``: in an editable install the
    generated half is its own directory on the path, and mypy reads a module there as typed
    only when that directory has the PEP 561 marker too (the wheel ships one marker)."""
    marker = GENERATED / "py.typed"
    if not check:
        marker.write_text("", "utf-8")
        return []
    return [] if marker.is_file() else [f"{marker.relative_to(ROOT)} (missing)"]


def run(check: bool) -> int:
    registry = _import_library().registry
    versions = [p.name for p in sorted(SCHEMA.iterdir(), key=lambda p: _key(registry, p.name))]
    versions = [v for v in versions if _key(registry, v) != (-1,)]
    if not check:
        for output in OUTPUTS.values():
            if output.directory.exists():
                shutil.rmtree(output.directory)
            output.directory.mkdir(parents=True)
    jobs = [
        (kind, version, output.directory / (module_name(version) + ".py"))
        for kind, output in OUTPUTS.items()
        for version in versions
    ]

    def job(kind: str, version: str, target: Path) -> bool:
        return generate_module(SCHEMA / version, version, target, check=check, kind=kind)

    # Each job is a generator subprocess, so threads keep every core busy.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = list(pool.map(lambda j: job(*j), jobs))
    failures = [str(j[2].relative_to(ROOT)) for j, ok in zip(jobs, done, strict=True) if not ok]
    for output in OUTPUTS.values():
        failures += finish_package(output, versions, check)
    failures += typed_marker(check)
    if failures:
        print("generated/ is out of date with schema/:", *failures, sep="\n  ", file=sys.stderr)
        print(f"Run `{FIX}` and commit the result.", file=sys.stderr)
        return 1
    kinds = " and ".join(OUTPUTS)
    print(f"{'checked' if check else 'generated'} {kinds} for {', '.join(versions)}")
    return 0


def _key(registry: types.ModuleType, name: str) -> tuple[int, ...]:
    try:
        return tuple(registry.version_key(name))
    except ValueError:
        return (-1,)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on drift; write nothing")
    return run(parser.parse_args().check)


if __name__ == "__main__":
    sys.exit(main())
