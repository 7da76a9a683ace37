"""ATIF trajectories from event streams: the crate's exact output, or valid ATIF by default.

``AtifBuilder`` is an emitter (``builder(event)``) that follows VT Code's
``AtifTrajectoryBuilder`` rule by rule; ``finish()`` gives a valid :class:`Trajectory`
(the crate's violations repaired, each repair recorded in ``extra``), ``crate_document()``
the crate's own document. ``check`` validates any ATIF document with the upstream rules.
See docs/atif.md.
"""

from __future__ import annotations

from vtcode_exec_events.atif.builder import (
    ATIF_SCHEMA_VERSION,
    CRATE_VERSION,
    AtifBuilder,
    StepOrigin,
    rfc3339,
    wire_event,
)
from vtcode_exec_events.atif.check import Problem, problems
from vtcode_exec_events.atif.io import dumps, dumps_crate, read_document, safe_name
from vtcode_exec_events.atif.models import (
    ATIF_VERSIONS,
    Agent,
    FinalMetrics,
    Metrics,
    Observation,
    ObservationResult,
    Step,
    ToolCall,
    Trajectory,
)
from vtcode_exec_events.atif.repair import EXTRA_KEY, EmptyTrajectoryError, repair

__all__ = [
    "ATIF_SCHEMA_VERSION",
    "ATIF_VERSIONS",
    "CRATE_VERSION",
    "EXTRA_KEY",
    "Agent",
    "AtifBuilder",
    "EmptyTrajectoryError",
    "FinalMetrics",
    "Metrics",
    "Observation",
    "ObservationResult",
    "Problem",
    "Step",
    "StepOrigin",
    "ToolCall",
    "Trajectory",
    "dumps",
    "dumps_crate",
    "problems",
    "read_document",
    "repair",
    "rfc3339",
    "safe_name",
    "wire_event",
]
