"""Shared test fixtures.

The stories in ``../shared`` belong to their authors: tests read them from there
(or from ``$FICSHELF_SHARED``) and never copy them into the repository.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FICSHELF_SHARED", REPO.parent / "shared")).resolve()
SEEDS = SHARED / "seeds"
SAMPLES = SHARED / "corpus" / "ao3-samples"
FANFIC = SHARED / "corpus" / "fanfic"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need_shared(path: Path) -> Path:
    """The path under ../shared, or a skip (a failure in CI, where it must exist)."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the repository")
        pytest.skip(f"{path} not present (run with ../shared beside the repository)")
    return path


def need_tool(name: str) -> str:
    """The path of a command-line tool; missing fails under CI=true, skips elsewhere."""
    found = shutil.which(name)
    if found is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed; .ci/run installs it with apt-get")
        pytest.skip(f"{name} is not installed (see the README's test requirements)")
    return found


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """An empty library directory."""
    d = tmp_path / "library"
    d.mkdir()
    return d
