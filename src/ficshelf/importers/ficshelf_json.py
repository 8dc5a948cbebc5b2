"""ficshelf's own JSON (``ficshelf export --format json``, ``show --json``), so exports re-import.

>>> sniff(b'{"title": "A", "chapters": []}', filename="a.json")
True
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from ficshelf.errors import MalformedFile
from ficshelf.model import Work, work_from_dict

__all__ = ["NAME", "parse", "sniff"]

NAME = "ficshelf-json"

_HEAD = re.compile(rb'^\s*\{[\s\S]*"(?:title|chapters)"\s*:')


def sniff(head: bytes, *, filename: str) -> bool:
    return bool(_HEAD.match(head[:4096].lstrip(b"\xef\xbb\xbf")))


def parse(data: bytes, *, filename: str) -> Work:
    try:
        raw: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedFile(f"{filename}: not valid JSON ({exc})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("chapters"), list) or not raw.get("title"):
        raise MalformedFile(f"{filename}: JSON without a title and a chapters list is not a ficshelf work")
    if any(not isinstance(c, dict) or "text" not in c for c in raw["chapters"]):
        raise MalformedFile(f"{filename}: chapters need their text; export with --format json to include it")
    try:
        work = work_from_dict(raw)
    except (ValueError, TypeError, KeyError) as exc:
        raise MalformedFile(f"{filename}: {exc}") from exc
    # An id belongs to the library that exported it, not to this one.
    return dataclasses.replace(work, id=None)
