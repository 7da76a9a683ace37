"""Shared helpers for the emitter tests: the sample events every emitter is checked with."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

import vtcode_exec_events as vee

DATA = Path(__file__).resolve().parents[1] / "data"
#: One line per event kind, exact VT Code output (the foundation's sample corpus).
SAMPLES = DATA / "foundation" / "samples.jsonl"


def sample_lines() -> list[str]:
    return [line for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_events() -> list[BaseModel]:
    return [vee.parse_line(line).event for line in sample_lines()]


@pytest.fixture
def events() -> list[BaseModel]:
    return sample_events()
