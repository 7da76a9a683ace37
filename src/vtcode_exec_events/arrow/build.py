"""Arrow arrays from Python lists, without making pyarrow import pandas.

``pa.array`` of Python objects converts in C (several times faster than anything built
from Python), but when numpy is present it first asks pyarrow's pandas shim whether the
input is a pandas object, which imports pandas (about a second on a cold start) wherever
it is installed (Ray installs it). So :func:`column` calls ``pa.array`` only where that
costs nothing: numpy absent (``export`` keeps it out of its process), pandas already
imported (Ray's workers) or not installed; elsewhere it builds the array from buffers
(:func:`from_buffers`): strings, binary, int64, float64, bool, and the ``issues`` list of
structs; ``None`` is null.
"""

from __future__ import annotations

import importlib.util
import sys
from array import array
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import accumulate
from itertools import repeat as repeat_
from operator import sub
from typing import Any

import pyarrow as pa

__all__ = ["binary", "children", "column", "from_buffers", "repeat"]


def _bits(flags: Sequence[bool]) -> pa.Buffer:
    """An Arrow bitmap of ``flags`` (bytes of 0/1 cast to bool, in C)."""
    import pyarrow.compute as pc  # only here: importing it costs about what pyarrow does

    ones = pa.Array.from_buffers(pa.uint8(), len(flags), [None, pa.py_buffer(bytes(flags))])
    return pc.cast(ones, pa.bool_()).buffers()[1]


def _validity(values: Sequence[Any]) -> tuple[pa.Buffer | None, int]:
    nulls = values.count(None)
    if not nulls:
        return None, 0
    return _bits([v is not None for v in values]), nulls


def _offsets(sizes: Iterable[int]) -> pa.Buffer:
    return pa.py_buffer(array("i", accumulate(sizes, initial=0)))


def _variable(
    type: pa.DataType, raw: Sequence[bytes], validity: pa.Buffer | None, nulls: int
) -> tuple[pa.Array, bytes]:
    data = b"".join(raw)
    buffers = [validity, _offsets(map(len, raw)), pa.py_buffer(data)]
    return pa.Array.from_buffers(type, len(raw), buffers, null_count=nulls), data


def binary(values: Sequence[bytes], *, ended: bool = False) -> pa.Array:
    """``values`` (none null) as a binary array, each without the newline it may end in.

    ``ended``: every value but the last ends in one newline and holds no other (lines as
    ``reader.blocks(newlines=True)`` hands them over): the newlines are taken out in one
    pass and the offsets follow from the lengths, with no step per value.
    """
    if ended and values:
        data = b"".join(values).replace(b"\n", b"")
        ends = array("i", map(sub, accumulate(map(len, values), initial=0), range(len(values) + 1)))
        if not values[-1].endswith(b"\n"):
            ends[-1] += 1
        if ends[-1] == len(data):  # else not as promised: the general way below
            buffers = [None, pa.py_buffer(ends), pa.py_buffer(data)]
            return pa.Array.from_buffers(pa.binary(), len(values), buffers, null_count=0)
    if any(map(bytes.endswith, values, repeat_(b"\n"))):
        values = [value.removesuffix(b"\n") for value in values]
    return _variable(pa.binary(), values, None, 0)[0]


def repeat(value: Any, n: int, type: pa.DataType) -> pa.Array:
    """``value`` ``n`` times."""
    return pa.repeat(column([value], type)[0], n)


@cache
def _pandas_installed() -> bool:
    return importlib.util.find_spec("pandas") is not None


def direct() -> bool:
    """Whether ``pa.array`` converts Python values here without importing pandas."""
    return sys.modules.get("numpy") is None or "pandas" in sys.modules or not _pandas_installed()


def column(values: Sequence[Any], type: pa.DataType) -> pa.Array:
    """``values`` as an array of ``type`` (string, binary, int64, float64, bool, or a list
    of a struct of such), without importing pandas."""
    if direct():
        return pa.array(values, type)
    return from_buffers(values, type)


def children(
    rows: Sequence[tuple[Any, ...]], type: pa.StructType, *, buffers: bool = False
) -> list[pa.Array]:
    """The columns of ``rows`` (tuples in the order of the fields of ``type``), one array
    per field (``buffers``: built as :func:`from_buffers` builds them, wherever it runs)."""
    if not buffers and direct():
        struct = pa.array(rows, type)
        return [struct.field(i) for i in range(type.num_fields)]
    columns = list(zip(*rows, strict=True)) if rows else [()] * type.num_fields
    return [from_buffers(c, f.type) for c, f in zip(columns, type, strict=True)]


def from_buffers(values: Sequence[Any], type: pa.DataType) -> pa.Array:
    """:func:`column` through Arrow buffers (slower, but never near pandas)."""
    n = len(values)
    validity, nulls = _validity(values)
    if nulls == n and n:
        return pa.nulls(n, type)
    if pa.types.is_string(type) or pa.types.is_binary(type):
        raw = values if nulls == 0 else [b"" if v is None else v for v in values]
        if pa.types.is_string(type):
            raw = list(map(str.encode, [v or "" for v in raw] if nulls else raw))
        return _variable(type, raw, validity, nulls)[0]
    if pa.types.is_int64(type) or pa.types.is_float64(type):
        code, zero = ("q", 0) if pa.types.is_int64(type) else ("d", 0.0)
        data = array(code, values if not nulls else [zero if v is None else v for v in values])
        return pa.Array.from_buffers(type, n, [validity, pa.py_buffer(data)], null_count=nulls)
    if pa.types.is_boolean(type):
        data = _bits([bool(v) for v in values] if nulls else values)
        return pa.Array.from_buffers(type, n, [validity, data], null_count=nulls)
    if pa.types.is_list(type) and pa.types.is_struct(type.value_type):
        items = [item for v in values if v is not None for item in v]
        fields = list(type.value_type)
        children = [from_buffers([item[f.name] for item in items], f.type) for f in fields]
        struct = pa.StructArray.from_arrays(children, fields=fields)
        sizes = [0 if v is None else len(v) for v in values]
        buffers = [validity, _offsets(sizes)]
        return pa.Array.from_buffers(type, n, buffers, null_count=nulls, children=[struct])
    raise TypeError(f"no builder for {type}")
