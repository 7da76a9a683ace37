"""Byte sizes on the command line: ``65536``, ``64K``, ``64MiB``, ``1G`` (binary multiples)."""

from __future__ import annotations

import re

import click

__all__ = ["byte_size"]

_SIZE = re.compile(r"\s*(\d+)\s*(?:([KMG])(?:I?B)?|B)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def byte_size(value: str | int, param: click.Parameter | None = None) -> int:
    """A positive number of bytes; a usage error (exit 2) for anything else."""
    if isinstance(value, int):
        number = value
    else:
        match = _SIZE.fullmatch(value)
        if match is None:
            raise click.BadParameter(
                f"{value!r} is not a size (a number of bytes, or with K, M or G)", param=param
            )
        number = int(match[1]) * _UNITS[(match[2] or "").upper()]
    if number < 1:
        raise click.BadParameter("the size must be at least 1 byte", param=param)
    return number
