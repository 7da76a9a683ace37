"""Content hashes for Agent Trace ranges, byte for byte as VT Code's crate computes them."""

from __future__ import annotations

from typing import Literal

__all__ = ["Algorithm", "content_hash"]

#: ``murmur3`` (MurmurHash3 x86_32, seed 0: the specification's recommendation and the
#: crate's default) or ``fnv1a`` (64-bit FNV-1a, the crate's fallback).
Algorithm = Literal["murmur3", "fnv1a"]

_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK64 = (1 << 64) - 1


def _fnv1a(data: bytes) -> int:
    # Not in any well-kept library with the crate's exact output; four lines of arithmetic.
    h = _FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * _FNV_PRIME) & _MASK64
    return h


def content_hash(content: str, algorithm: Algorithm = "murmur3") -> str:
    """``murmur3:9f2e8a1b``-style hash of ``content``'s UTF-8 bytes, as the crate writes it.

    MurmurHash3 comes from the ``mmh3`` package (the ``trace`` extra).
    """
    data = content.encode("utf-8", "surrogatepass")
    if algorithm == "murmur3":
        try:
            import mmh3
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError(
                "murmur3 content hashes need the 'trace' extra: "
                "pip install 'vtcode-exec-events[trace]'"
            ) from exc
        return f"murmur3:{mmh3.hash(data, 0, signed=False):08x}"
    if algorithm == "fnv1a":
        return f"fnv1a:{_fnv1a(data):016x}"
    raise ValueError(f"unknown hash algorithm {algorithm!r} (choose murmur3 or fnv1a)")
