"""Tasks for vtcode-exec-events: code generation, checks, tests and release builds.

Run `nox -l` to list the sessions. Default sessions use the running interpreter, so CI
(Python 3.11 only) never trips over a missing one.
"""

from __future__ import annotations

import sys

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = False
nox.options.sessions = [
    "lint",
    "typecheck",
    "check_generated",
    "check_docs",
    "freeze",
    "tests",
    "compat",
]

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


@nox.session(default=False)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from schema/ with datamodel-code-generator (pinned)."""
    session.install(*_group("codegen"))
    session.run("python", "codegen/generate.py")


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail if generated/ differs from what `nox -s generate` would write."""
    session.install(*_group("codegen"))
    session.run("python", "codegen/generate.py", "--check")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (check and format) and the schema lint."""
    session.install(*_group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.install("-e", ".")
    session.run("python", "-m", "vtcode_exec_events.lint")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over src/."""
    session.install("-e", ".[trace]", *_group("typecheck"))
    session.run("mypy")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (bounded property tests included)."""
    session.install("-e", ".[otel,trace]", *_group("test"), *_group("codegen"))
    session.run("pytest", "--junitxml=.nox/pytest-junit.xml", *session.posargs)


@nox.session(python=False)
def freeze(session: nox.Session) -> None:
    """Fail if a released schema folder changed; `-- --release V` adds folder V to the lock."""
    session.run(sys.executable, "codegen/freeze.py", *session.posargs)


@nox.session(python=False, default=False)
def new_version(session: nox.Session) -> None:
    """Start the next schema version: `nox -s new_version -- 0.12.0` (default: next minor)."""
    session.run(sys.executable, "codegen/new_version.py", *session.posargs)


@nox.session
def compat(session: nox.Session) -> None:
    """The schema gate: every adjacent pair in schema/ and whether its version bump fits."""
    session.install("-e", ".")
    session.run(
        "python",
        "-m",
        "vtcode_exec_events.compat.versioning",
        "schema",
        "--expect",
        "tests/data/compat/released-steps.json",
        *session.posargs,
    )


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """Long fuzz runs: compat soundness (COMPAT_FUZZ_EXAMPLES) and the log validator
    (VALIDATE_FUZZ_EXAMPLES: random bytes and mutated lines)."""
    session.install("-e", ".", *_group("test"))
    session.env.setdefault("COMPAT_FUZZ_EXAMPLES", "3000")
    session.env.setdefault("VALIDATE_FUZZ_EXAMPLES", "5000")
    session.env.setdefault("HYPOTHESIS_PROFILE", "fuzz")  # random even under CI=true
    session.run(
        "pytest",
        "tests/compat/test_soundness.py",
        "tests/validate/test_fuzz.py",
        "-p",
        "no:cacheprovider",
        *session.posargs,
    )


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Regenerate docs/vocabulary.md (the vocabulary reference) from schema/ and examples/logs/."""
    session.run("python", "codegen/docs.py")


@nox.session
def check_docs(session: nox.Session) -> None:
    """Fail if docs/vocabulary.md differs from what `nox -s docs` would write."""
    session.run("python", "codegen/docs.py", "--check")


@nox.session(default=False)
def build(session: nox.Session) -> None:
    """Build sdist and wheel into dist/, twine-check them, smoke-test the wheel in a clean venv."""
    import glob
    import shutil

    session.install(*_group("release"))
    shutil.rmtree("dist", ignore_errors=True)
    session.run("uv", "build", "--out-dir", "dist", external=True)
    session.run("twine", "check", "--strict", *sorted(glob.glob("dist/*")))
    session.run("python", "codegen/check_dist.py")


@nox.session(default=False)
def bench_emit(session: nox.Session) -> None:
    """JsonlEmitter's cost per event as a ratio to orjson.dumps (pass --check, --stream output)."""
    session.install("-e", ".", *_group("bench"))
    session.run("python", "benchmarks/emit/bench_emit.py", *session.posargs)


@nox.session(default=False)
def bench_otel(session: nox.Session) -> None:
    """OtelEmitter(mode="gen_ai"): cost per event as a ratio to one bare SDK span per event."""
    session.install("-e", ".[otel-export]")
    session.run("python", "benchmarks/otel/bench_genai.py", *session.posargs)


@nox.session(default=False)
def bench_emit_output(session: nox.Session) -> None:
    """Bytes of events CommandRunner writes per byte of command output, 1 KB to 256 MB."""
    session.install("-e", ".")
    session.run("python", "benchmarks/emit/bench_output.py", *session.posargs)


@nox.session(default=False)
def bench_validate(session: nox.Session) -> None:
    """validate: events/s and ratios to the orjson.loads floor, 1 and 2 processes (minutes)."""
    session.install("-e", ".")
    session.run("python", "benchmarks/validate/run.py", *session.posargs)


@nox.session(default=False)
def hostile(session: nox.Session) -> None:
    """Hostile inputs at full size (a 1 GiB gzip bomb with the default line size), in
    capped subprocesses."""
    session.install("-e", ".", *_group("test"))
    session.env["VALIDATE_HOSTILE_FULL"] = "1"
    session.run(
        "pytest",
        "tests/validate/test_hostile.py",
        "tests/validate/test_hostile_fast.py",
        "tests/arrow/test_export_hostile.py",
        *session.posargs,
    )


@nox.session(default=False)
def bounds(session: nox.Session) -> None:
    """validate's memory bound in every report format, with and without workers (minutes)."""
    session.install("-e", ".", *_group("test"))
    session.env["VTCODE_BOUNDS_FULL"] = "1"
    session.run("pytest", "tests/output/test_bounds.py", *session.posargs)


@nox.session(default=False)
def compat_hostile(session: nox.Session) -> None:
    """Hostile schema pairs for the compat checker, the heavy ones included (minutes)."""
    session.install("-e", ".", "pytest>=8.3", "hypothesis>=6.120")
    session.run(
        "pytest",
        "tests/compat/test_hostile.py",
        *session.posargs,
        env={"COMPAT_HOSTILE_HEAVY": "1"},
    )


@nox.session(default=False)
def bench_compat(session: nox.Session) -> None:
    """compat's cost as a ratio to load+resolve on synthetic graphs and schema/ (pass --quick)."""
    session.install("-e", ".")
    session.run("python", "benchmarks/compat/bench_compat.py", *session.posargs)


@nox.session(default=False)
def bench_compat_corpus(session: nox.Session) -> None:
    """compat over real public schema histories: crashes, timeouts, time and ratio per pair.

    Builds the corpus from git mirrors (COMPAT_MIRRORS, default /work/.mirror) into
    benchmarks/.data/ unless it is there, then runs every pair (pass --label, --limit, ...).
    """
    import os
    from pathlib import Path

    session.install("-e", ".", *_group("bench"))
    if not Path("benchmarks/.data/compat-corpus/manifest.jsonl").is_file():
        mirrors = os.environ.get("COMPAT_MIRRORS", "/work/.mirror")
        session.run("python", "benchmarks/compat/corpus.py", "--mirrors", mirrors)
    session.run("python", "benchmarks/compat/bench_corpus.py", *session.posargs)


@nox.session(default=False)
def scale(session: nox.Session) -> None:
    """Ray Data on a local 2-CPU cluster, S3 through a moto server over HTTP, Spark mapInArrow."""
    session.install("-e", ".", *_group("scale"))
    session.run("pytest", "tests/scale", "-p", "no:cacheprovider", *session.posargs)


@nox.session(default=False)
def bench_scale(session: nox.Session) -> None:
    """Events/s per core for the local and Ray engines, Ray's fixed costs, export/validate."""
    session.install("-e", ".[arrow,ray]")
    session.run("python", "benchmarks/scale/run.py", *session.posargs)
