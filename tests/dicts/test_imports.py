"""The TypedDict modules are pure typing: they import without pydantic or the package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DICTS = Path(__file__).resolve().parents[2] / "generated" / "vtcode_exec_events" / "dicts"

# Loads the dicts package from its folder under another name, so that the parent package
# (whose __init__ imports the pydantic models) stays out; pydantic imports are refused.
PROBE = """
import importlib, importlib.util, json, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"pydantic", "pydantic_core", "vtcode_exec_events"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
before = set(sys.modules)
folder = sys.argv[1]
spec = importlib.util.spec_from_file_location(
    "probe", folder + "/__init__.py", submodule_search_locations=[folder]
)
package = importlib.util.module_from_spec(spec)
sys.modules["probe"] = package
spec.loader.exec_module(package)
for name in package.MODULES.values():
    importlib.import_module("probe." + name)
top = {m.split(".")[0] for m in set(sys.modules) - before} - set(sys.stdlib_module_names)
print(json.dumps({"third_party": sorted(top - {"__main__", "probe"}), "n": len(package.MODULES)}))
"""


def test_every_dicts_module_imports_with_nothing_but_typing_extensions() -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(DICTS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report["third_party"]) <= {"typing_extensions"}
    assert report["n"] == len(list(DICTS.glob("v*.py")))
