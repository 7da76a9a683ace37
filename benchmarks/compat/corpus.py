"""Rebuild the real-world compat corpus: consecutive versions of public schemas, from git mirrors.

Run: ``python benchmarks/compat/corpus.py [--mirrors DIR] [--out DIR]``. Every source below is a
public repository under a permissive licence; ``--mirrors`` holds bare git mirrors named
``owner+name/repo`` (the layout the ``fetch`` tool writes). For each schema file the script walks
``git log --follow`` and writes every pair of consecutive versions whose parsed JSON differs as
``OUT/pairs/<id>/{old,new}/<name>.json`` plus one manifest line (``OUT/manifest.jsonl``) naming
the repository, the commits, the paths and the licence. The selection is deterministic: the same
mirrors give the same corpus.

Multi-file schemas (octokit's webhook payloads refer to ``common/*.schema.json`` by ``$id``) are
bundled the way octokit's own build does: each document the entry reaches is embedded under
``definitions`` with its ``$id`` (made absolute in one namespace), so every reference resolves
inside one file. YAML schemas
(the OpenAPI 3.x ones) are converted to JSON (needs PyYAML, in the ``bench`` dependency group).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "benchmarks" / ".data" / "compat-corpus"
DEFAULT_MIRRORS = Path("/work/.mirror")
NS = "https://corpus.invalid/"


@dataclass(frozen=True)
class Source:
    """One public repository and the schema files taken from its history."""

    repo: str  # owner/name on GitHub
    licence: str
    branch: str = "HEAD"
    paths: tuple[str, ...] = ()  # exact paths (followed through renames)
    globs: tuple[str, ...] = ()  # path patterns at the branch tip (fnmatch on the repo path)
    bundle: bool = False  # embed referenced local documents (octokit layout)
    cap: int = 0  # at most this many pairs, evenly spread over the source's (0: no cap)


# The popular SchemaStore schemas first (every pair of theirs is taken), then the rest by globs.
_SCHEMASTORE_POPULAR = (
    "github-workflow",
    "github-action",
    "github-issue-forms",
    "dependabot-2.0",
    "package",
    "tsconfig",
    "jsconfig",
    "pyproject",
    "ruff",
    "eslintrc",
    "prettierrc",
    "cargo",
    "gitlab-ci",
    "circleciconfig",
    "travis",
    "sarif",
    "pre-commit-config",
    "kustomization",
    "composer",
    "appsettings",
    "launchsettings",
    "golangci-lint",
    "drone",
    "appveyor",
    "web-manifest",
    "stylelintrc",
    "chrome-manifest",
    "host",
    "hugo",
    "claude-code-settings",
    "uv",
    "ty",
    "pnpm-workspace",
    "partial-poetry",
    "partial-pyright",
    "partial-mypy",
    "cloudbuild",
    "prometheus",
    "clangd",
    "clang-format",
    "swcrc",
    "nest-cli",
    "pubspec",
    "traefik-v2",
    "webextension",
)

SOURCES: tuple[Source, ...] = (
    Source(
        "SchemaStore/schemastore",
        "Apache-2.0",
        paths=tuple(f"src/schemas/json/{n}.json" for n in _SCHEMASTORE_POPULAR),
        cap=700,
    ),
    Source(
        "octokit/webhooks",
        "MIT",
        globs=("payload-schemas/api.github.com/*/*.schema.json",),
        bundle=True,
        cap=300,
    ),
    Source(
        "asyncapi/spec-json-schemas",
        "Apache-2.0",
        globs=("schemas/[0-9]*.json",),
    ),
    Source(
        "cloudevents/spec",
        "Apache-2.0",
        paths=("cloudevents/formats/cloudevents.json",),
    ),
    Source(
        "OAI/OpenAPI-Specification",
        "Apache-2.0",
        paths=("_archive_/schemas/v2.0/schema.json", "_archive_/schemas/v3.0/schema.yaml"),
    ),
    Source(
        "OAI/OpenAPI-Specification",
        "Apache-2.0",
        branch="v3.3-dev",
        paths=(
            "src/schemas/validation/schema.yaml",
            "src/schemas/validation/schema-base.yaml",
            "src/schemas/validation/meta.yaml",
            "src/schemas/validation/dialect.yaml",
        ),
    ),
)


@dataclass
class Built:
    """What a build wrote and what it left out (and why)."""

    pairs: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


class Git:
    """Read-only access to one bare mirror."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._trees: dict[str, set[str]] = {}

    def run(self, *args: str) -> str:
        out = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, check=False)
        return out.stdout.decode("utf-8", "replace")

    def show(self, commit: str, path: str) -> bytes | None:
        out = subprocess.run(
            ["git", "-C", str(self.path), "show", f"{commit}:{path}"],
            capture_output=True,
            check=False,
        )
        return out.stdout if out.returncode == 0 else None

    def files(self, commit: str) -> set[str]:
        if commit not in self._trees:
            listing = self.run("ls-tree", "-r", "--name-only", commit)
            self._trees[commit] = set(listing.splitlines())
        return self._trees[commit]

    def history(self, branch: str, path: str) -> list[tuple[str, str, str]]:
        """``(commit, date, path at that commit)``, oldest first, following renames."""
        log = self.run("log", branch, "--follow", "--format=@%H %cs", "--name-only", "--", path)
        out: list[tuple[str, str, str]] = []
        commit = date = ""
        for line in log.splitlines():
            if line.startswith("@"):
                commit, date = line[1:].split(" ", 1)
            elif line.strip() and commit:
                out.append((commit, date, line.strip()))
                commit = ""
        return out[::-1]


def parse(raw: bytes, path: str) -> Any:
    text = raw.decode("utf-8-sig")
    if path.endswith((".yaml", ".yml")):
        import yaml  # the bench group installs PyYAML

        return json.loads(json.dumps(yaml.safe_load(text)))
    return json.loads(text)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for key, value in node.items():
            if key not in ("enum", "const", "default", "examples"):
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _namespace(git: Git, commit: str, path: str) -> str:
    """The folder octokit's ``$id`` values are relative to: the one holding ``common/``."""
    folder = PurePosixPath(path).parent
    files = git.files(commit)
    for candidate in (folder, *folder.parents):
        prefix = "" if str(candidate) == "." else f"{candidate}/"
        if any(f.startswith(prefix + "common/") for f in files):
            return prefix
    return f"{folder}/"


def bundle(git: Git, commit: str, path: str, doc: Any) -> Any:
    """Embed every local document ``doc`` reaches (by ``$id``-relative refs) under definitions."""
    if not isinstance(doc, dict):
        return doc
    prefix = _namespace(git, commit, path)
    files = git.files(commit)

    def base_of(d: Any, rel: str) -> str:
        ident = d.get("$id") if isinstance(d, dict) else None
        return urljoin(NS, ident) if isinstance(ident, str) else NS + rel

    embedded: dict[str, Any] = {}
    queue = [(doc, base_of(doc, path[len(prefix) :]))]
    seen: set[str] = set()
    while queue:
        node, base = queue.pop()
        for ref in _refs(node):
            target = urljoin(base, ref).split("#", 1)[0]
            if not target.startswith(NS) or target in seen:
                continue
            seen.add(target)
            rel = target[len(NS) :]
            if prefix + rel not in files:
                continue
            raw = git.show(commit, prefix + rel)
            if raw is None:
                continue
            try:
                sub = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(sub, dict):
                continue
            sub.setdefault("$id", rel)
            embedded[rel] = sub
            queue.append((sub, base_of(sub, rel)))
    if not embedded:
        return doc
    # Every ``$id`` made absolute in the namespace octokit's ajv resolves them in, so the
    # references resolve the same way whatever the root's own ``$id`` looks like.
    out = dict(doc)
    out["$id"] = base_of(doc, path[len(prefix) :])
    defs = dict(out.get("definitions", {}))
    for rel in sorted(embedded):
        sub = dict(embedded[rel])
        sub["$id"] = base_of(sub, rel)
        defs[rel.removesuffix(".schema.json").replace("/", "-")] = sub
    out["definitions"] = defs
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")


def pairs_of(
    git: Git, source: Source, branch: str, path: str, built: Built
) -> Iterator[dict[str, Any]]:
    """Consecutive versions of one file whose parsed content differs."""
    previous: tuple[str, str, str, Any] | None = None
    for commit, date, at in git.history(branch, path):
        raw = git.show(commit, at)
        if raw is None:
            built.skip("blob missing from the mirror")
            continue
        try:
            doc = parse(raw, at)
        except (ValueError, UnicodeDecodeError):
            built.skip("version is not valid JSON/YAML")
            continue
        except Exception:
            built.skip("version is not valid JSON/YAML")
            continue
        if source.bundle:
            doc = bundle(git, commit, at, doc)
        if previous is not None and previous[3] != doc:
            yield {
                "repo": source.repo,
                "licence": source.licence,
                "old_commit": previous[0],
                "old_date": previous[1],
                "old_path": previous[2],
                "new_commit": commit,
                "new_date": date,
                "new_path": at,
                "bundled": source.bundle,
                "old": previous[3],
                "new": doc,
            }
        elif previous is not None:
            built.skip("no change after parsing (formatting only)")
        previous = (commit, date, at, doc)


def _glob(git: Git, branch: str, patterns: tuple[str, ...]) -> list[str]:
    from fnmatch import fnmatchcase

    listing = git.run("ls-tree", "-r", "--name-only", branch).splitlines()
    return sorted(p for p in listing if any(fnmatchcase(p, g) for g in patterns))


def _spread(items: list[dict[str, Any]], cap: int) -> list[dict[str, Any]]:
    """At most ``cap`` items, evenly spaced over the (sorted) list."""
    if cap <= 0 or len(items) <= cap:
        return items
    step = len(items) / cap
    return [items[int(i * step)] for i in range(cap)]


def build(mirrors: Path, out: Path) -> Built:
    built = Built()
    seen: set[str] = set()
    if out.exists():
        shutil.rmtree(out)
    (out / "pairs").mkdir(parents=True)
    manifest = []
    for source in SOURCES:
        git = Git(mirrors / source.repo.replace("/", "+") / "repo")
        if not git.path.is_dir():
            print(f"skip {source.repo}: no mirror at {git.path}", file=sys.stderr)
            continue
        branch = source.branch
        found: list[dict[str, Any]] = []
        for path in (*source.paths, *_glob(git, branch, source.globs)):
            found.extend(pairs_of(git, source, branch, path, built))
        taken = _spread(found, source.cap)
        if len(found) > len(taken):
            built.skipped[f"{source.repo}: beyond the cap of {source.cap}"] = len(found) - len(
                taken
            )
        for pair in taken:
            old_text = json.dumps(pair["old"], sort_keys=True)
            new_text = json.dumps(pair["new"], sort_keys=True)
            digest = hashlib.sha256((old_text + "\0" + new_text).encode()).hexdigest()[:10]
            if digest in seen:
                built.skip("same pair reached twice (branches, renames)")
                continue
            seen.add(digest)
            name = PurePosixPath(pair["new_path"]).name
            name = re.sub(r"\.(ya?ml)$", ".json", name)
            pid = _slug(
                f"{source.repo.split('/')[1]}-{PurePosixPath(pair['new_path']).parent.name}-"
                f"{PurePosixPath(name).stem}-{pair['new_commit'][:8]}-{digest}"
            )
            for side in ("old", "new"):
                folder = out / "pairs" / pid / side
                folder.mkdir(parents=True)
                (folder / name).write_text(
                    json.dumps(pair[side], indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
                )
            entry = {k: v for k, v in pair.items() if k not in ("old", "new")}
            entry.update(
                id=pid,
                old=f"pairs/{pid}/old/{name}",
                new=f"pairs/{pid}/new/{name}",
                bytes=len(old_text) + len(new_text),
            )
            manifest.append(entry)
    built.pairs = manifest
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as fh:
        for entry in manifest:
            fh.write(json.dumps(entry, sort_keys=True) + "\n")
    (out / "skipped.json").write_text(json.dumps(built.skipped, indent=1, sort_keys=True) + "\n")
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    built = build(args.mirrors, args.out)
    by_repo: dict[str, int] = {}
    for p in built.pairs:
        by_repo[p["repo"]] = by_repo.get(p["repo"], 0) + 1
    for repo, n in sorted(by_repo.items()):
        print(f"{n:6d}  {repo}")
    print(f"{len(built.pairs):6d}  pairs in {args.out}")
    for why, n in sorted(built.skipped.items()):
        print(f"{n:6d}  skipped: {why}")


if __name__ == "__main__":
    main()
