"""Test-wide settings: under CI, hypothesis runs derandomized so a run is reproducible."""

from __future__ import annotations

import os

from hypothesis import settings

# Locally every run explores new examples; in CI (CI=true) the examples are fixed, so a red
# build is reproducible from its commit alone. `nox -s fuzz` asks for "fuzz" (random, many
# more examples) through HYPOTHESIS_PROFILE.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("fuzz", derandomize=False, print_blob=True)
profile = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else None)
if profile:
    settings.load_profile(profile)
