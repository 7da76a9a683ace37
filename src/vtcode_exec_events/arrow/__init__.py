"""The events table in Arrow (extra ``arrow``): one row per line read, validate's verdict included.

    >>> from vtcode_exec_events.arrow import lines_to_batch
    >>> batch = lines_to_batch([b'{"type":"thread.started","thread_id":"t1"}', b'{"type":1}'])
    >>> batch.column("valid").to_pylist(), batch.column("thread_id").to_pylist()
    ([True, False], ['t1', 't1'])

:data:`SCHEMA` is fixed (docs/analytics.md describes each column). :func:`map_batches`
turns whole files into rows, as Ray Data's ``map_batches(fn, batch_format="pyarrow")``
and Spark's ``DataFrame.mapInArrow(fn, SPARK_DDL)`` call it.
"""

from __future__ import annotations

from vtcode_exec_events.arrow.mapping import map_batches, map_batches_with, read_files_with
from vtcode_exec_events.arrow.schema import SCHEMA, SPARK_DDL
from vtcode_exec_events.arrow.sources import Source, expand, file_batches
from vtcode_exec_events.arrow.table import EventTable, lines_to_batch

__all__ = [
    "SCHEMA",
    "SPARK_DDL",
    "EventTable",
    "Source",
    "expand",
    "file_batches",
    "lines_to_batch",
    "map_batches",
    "map_batches_with",
    "read_files_with",
]
