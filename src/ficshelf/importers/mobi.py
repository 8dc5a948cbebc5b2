"""Importer placeholder: being written (see the importer contract in importers/__init__.py)."""

from __future__ import annotations

from ficshelf.errors import UnsupportedFormat
from ficshelf.model import Work

NAME = "mobi"


def sniff(head: bytes, *, filename: str) -> bool:
    return False


def parse(data: bytes, *, filename: str) -> Work:
    raise UnsupportedFormat(f"{filename}: the mobi importer is not written yet")
