"""ficshelf: keep, find and understand fan fiction, offline."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
