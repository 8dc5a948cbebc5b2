"""ficshelf's own JSON: ``model.work_to_dict`` with the text and the stored markup.

It re-imports through the ``ficshelf-json`` importer with nothing lost.
"""

from __future__ import annotations

import json

from ficshelf.model import Work, work_to_dict

__all__ = ["MEDIA_TYPE", "NAME", "SUFFIX", "export"]

NAME = "json"
SUFFIX = ".json"
MEDIA_TYPE = "application/json"


def export(work: Work) -> bytes:
    """The work as indented UTF-8 JSON."""
    data = work_to_dict(work, include_text=True, include_html=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
