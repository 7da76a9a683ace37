"""VT Code exec events for Python: the versioned event vocabulary, its models and tools."""

from __future__ import annotations

from pkgutil import extend_path

# The generated models live in generated/vtcode_exec_events/models; they join this package.
__path__ = extend_path(__path__, __name__)

__version__ = "0.1.0"
EVENT_SCHEMA_VERSION = "0.11.0"

__all__ = ["EVENT_SCHEMA_VERSION", "__version__"]
