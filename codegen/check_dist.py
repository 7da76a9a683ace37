"""Check the built sdist and wheel, then install the wheel in a clean venv and smoke-test it.

Run by `nox -s build` after the build and `twine check`. Fails (exit 1) with a message
naming what is wrong: a schema version or `py.typed` missing from the wheel, a command that
does not run, an import that does not work outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
PACKAGE = "vtcode_exec_events"


class Failed(Exception):
    """A release check that did not pass."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def versions() -> list[str]:
    folders = [p for p in (ROOT / "schema").iterdir() if p.is_dir() and p.name.count(".") == 2]
    return sorted((p.name for p in folders), key=lambda v: tuple(map(int, v.split("."))))


def one(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    expect(len(found) == 1, f"expected one {pattern} in dist/, found {[p.name for p in found]}")
    return found[0]


def check_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expect(f"{PACKAGE}/py.typed" in names, f"{wheel.name} has no {PACKAGE}/py.typed")
    for version in versions():
        for document in sorted((ROOT / "schema" / version).glob("*.json")):
            path = f"{PACKAGE}/schema/{version}/{document.name}"
            expect(path in names, f"{wheel.name} lacks {path}")
        for kind in ("models", "dicts"):
            module = f"{PACKAGE}/{kind}/v{version.replace('.', '_')}.py"
            expect(module in names, f"{wheel.name} lacks the generated {kind} {module}")
    entry_points = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    expect(bool(entry_points), f"{wheel.name} declares no console script")
    print(f"ok: {wheel.name} carries schema {', '.join(versions())}, models, dicts, py.typed")


def check_sdist(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed_paths = ("pyproject.toml", "README.md", "CHANGELOG.md", "MIGRATION.md", "schema")
    for needed in (*needed_paths, "generated", "src", "docs", "examples", "tests"):
        expect(
            any(n == needed or n.startswith(needed + "/") for n in names),
            f"{sdist.name} lacks {needed}",
        )
    print(f"ok: {sdist.name} carries the sources, schema, generated models, docs and examples")


def run(argv: list[str], cwd: Path, stdin: bytes | None = None) -> str:
    result = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        raise Failed(
            f"`{' '.join(argv)}` exited {result.returncode}:\n"
            + result.stdout.decode(errors="replace")
            + result.stderr.decode(errors="replace")
        )
    return result.stdout.decode()


def smoke(wheel: Path) -> None:
    uv = shutil.which("uv")
    with tempfile.TemporaryDirectory(prefix="vtcode-wheel-") as tmp:
        work = Path(tmp)
        venv = work / "venv"
        if uv:
            run([uv, "venv", "-q", "-p", sys.executable, str(venv)], work)
        else:
            run([sys.executable, "-m", "venv", str(venv)], work)
        bindir = venv / ("Scripts" if os.name == "nt" else "bin")
        python = bindir / "python"
        if uv:
            run([uv, "pip", "install", "-q", "--python", str(python), str(wheel)], work)
        else:
            run([str(python), "-m", "pip", "install", "-q", str(wheel)], work)
        cli = str(bindir / "vtcode-exec-events")
        logs = ROOT / "examples" / "logs"
        shutil.copytree(logs, work / "logs")

        version = run([cli, "--version"], work)
        expect("schema 0.11.0" in version, f"unexpected --version output: {version!r}")
        listed = run([cli, "schema", "versions"], work).split()
        expect(listed == versions(), f"the wheel lists versions {listed}, expected {versions()}")
        bundled = json.loads(run([cli, "schema", "export", "--bundle"], work))
        expect(bundled.get("title") == "ThreadEvent", "schema export --bundle: not a ThreadEvent")
        run([cli, "schema", "export", "--version", "0.1.0", "-o", "schema-0.1.0"], work)
        report = json.loads(run([cli, "stats", "--format", "json", "logs/session.jsonl"], work))
        expect(report["invalid"] == 0 and report["lines"] > 0, "stats found invalid lines")
        run([cli, "replay", "logs/session.jsonl"], work)
        printed = run(
            [str(python), "-c", "import vtcode_exec_events as v; print(v.EVENT_SCHEMA_VERSION)"],
            work,
        ).strip()
        expect(printed == "0.11.0", f"EVENT_SCHEMA_VERSION is {printed!r}, expected '0.11.0'")
        located = run(
            [str(python), "-c", "import vtcode_exec_events as v; print(v.__file__)"], work
        ).strip()
        expect(str(ROOT) not in located, f"the smoke test imported the checkout: {located}")
        parsed = run(
            [
                str(python),
                "-c",
                "import sys, vtcode_exec_events as v\n"
                "for line in open('logs/session.jsonl', 'rb'):\n"
                "    v.parse_line(line)\n"
                "print('parsed')",
            ],
            work,
        ).strip()
        expect(parsed == "parsed", "parsing the sample log with the models failed")
        emitted = run(
            [
                str(python),
                "-c",
                "import sys\n"
                "from vtcode_exec_events.dicts import TurnStartedEvent\n"
                "from vtcode_exec_events.emit import JsonlEmitter\n"
                "event: TurnStartedEvent = {'type': 'turn.started'}\n"
                "JsonlEmitter(sys.stdout)(event)",
            ],
            work,
        ).strip()
        expect(emitted == '{"type":"turn.started"}', f"emitting a dict event wrote {emitted!r}")
        run([cli, "validate", "logs/session.jsonl", "logs/exec.jsonl"], work)
        newest = versions()[-1]  # a released version name comes from the wheel's schema data
        compat = json.loads(run([cli, "compat", newest, newest, "--format", "json"], work))
        expect(
            compat["inputs"] == {"old": newest, "new": newest} and compat["changes"] == [],
            f"compat {newest} {newest} from the wheel: {compat}",
        )
        otel = "from vtcode_exec_events.emit import OtelEmitter; print(OtelEmitter.__name__)"
        missing = subprocess.run([str(python), "-c", otel], cwd=work, capture_output=True)
        expect(
            missing.returncode != 0 and b"vtcode-exec-events[otel]" in missing.stderr,
            "without the otel extra, importing OtelEmitter must fail naming the extra",
        )
        install = (
            [uv, "pip", "install", "-q", "--python", str(python)]
            if uv
            else [str(python), "-m", "pip", "install", "-q"]
        )
        run([*install, f"{wheel}[otel]"], work)
        expect(run([str(python), "-c", otel], work).strip() == "OtelEmitter", "otel extra broken")
        print("ok: the otel extra installs opentelemetry-api and enables OtelEmitter")
    print(f"ok: {wheel.name} installs in a clean venv; the CLI and the import work")


def main() -> int:
    try:
        wheel, sdist = one("*.whl"), one("*.tar.gz")
        check_wheel(wheel)
        check_sdist(sdist)
        smoke(wheel)
    except Failed as exc:
        print(f"release check failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
