"""The semantic diff: compares two canonical schema graphs and classifies each change.

``engine`` walks the two graphs (memo, cycles, fixpoint); ``results`` links the outcomes;
one module per keyword family (``annotation``, ``scalars``, ``enums``, ``objects``,
``object_rest``, ``arrays``, ``unions``, ``logic``) says what changed and how it breaks.
"""

from __future__ import annotations

from vtcode_exec_events.compat.diff.change import Change, Step
from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["Change", "Differ", "Step"]
