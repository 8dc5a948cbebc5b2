"""Analyses kept with their works in the library.

An analysis is stored in the work's user data under ``inferred`` as
``{"version", "fingerprint", "data"}``: ``data`` is ``Analysis.to_dict()``,
``version`` names the analyser (ficshelf's version and a digest of this
package's files) and ``fingerprint`` the chapter texts, so a stored analysis
is used only while both still match, and is recomputed otherwise.

>>> text_fingerprint(["One.", "Two."]) == text_fingerprint(["One.", "Two."])
True
>>> text_fingerprint(["One."]) == text_fingerprint(["Two."])
False
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from ficshelf.model import Work
from ficshelf.store.base import Store

__all__ = [
    "ANALYSIS_KEY",
    "analysis_version",
    "analyze_and_store",
    "analyze_work",
    "save_analysis",
    "stored_analysis",
    "text_fingerprint",
]

ANALYSIS_KEY: Final = "inferred"


def text_fingerprint(texts: Iterable[str]) -> str:
    """A cheap fingerprint of chapter texts (byte length and CRC-32 of each)."""
    parts = []
    for t in texts:
        b = t.encode("utf-8")
        parts.append(f"{len(b)}:{zlib.crc32(b):08x}")
    return ",".join(parts)


def analysis_version() -> str:
    """ficshelf's version plus a digest of the understanding package's sources and data,
    and of the user's own canon files (``$FICSHELF_HOME/canon``): a fandom added there
    changes what the analysis finds, so analyses made before it are recomputed."""
    from ficshelf.canon import user_canon_dir

    return _version(user_canon_dir())


@functools.cache
def _version(user_canon: Path | None) -> str:
    from ficshelf import __version__

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    folders = [(here, "*.py"), (here.parent / "data", "**/*")]
    if user_canon is not None:
        folders.append((user_canon, "*.toml"))
    for folder, pattern in folders:
        try:
            for path in sorted(folder.glob(pattern)):
                if path.is_file():
                    digest.update(path.name.encode())
                    digest.update(path.read_bytes())
        except OSError:  # an unusual install layout: the version alone
            pass
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _fingerprint(work: Work) -> str:
    return text_fingerprint(c.text for c in work.chapters)


@functools.cache
def _canon() -> Any:
    from ficshelf.canon import load_canon

    return load_canon()


def analyze_work(work: Work) -> dict[str, Any]:
    """The whole pipeline with the packaged canon knowledge base, as JSON-ready data."""
    from ficshelf.understand import analyze

    return analyze(work, canon=_canon()).to_dict()


def stored_analysis(store: Store, work: Work) -> Mapping[str, Any] | None:
    """The stored analysis of this text by this analyser, if there is one."""
    if work.id is None:
        return None
    entry = store.get_user_data(work.id).get(ANALYSIS_KEY)
    if not isinstance(entry, Mapping):
        return None
    if entry.get("version") != analysis_version() or entry.get("fingerprint") != _fingerprint(work):
        return None
    data = entry.get("data")
    return data if isinstance(data, Mapping) else None


def analyze_and_store(store: Store, work: Work, *, force: bool = False) -> Mapping[str, Any]:
    """The work's analysis: the stored one when current, else computed now and stored."""
    if work.id is None:
        raise ValueError("only a stored work (with an id) keeps its analysis")
    if not force:
        cached = stored_analysis(store, work)
        if cached is not None:
            return cached
    data = analyze_work(work)
    save_analysis(store, work, data)
    return data


def save_analysis(store: Store, work: Work, data: Mapping[str, Any]) -> None:
    """Keep ``data`` (``analyze_work``'s result for this text) with the stored work."""
    if work.id is None:
        raise ValueError("only a stored work (with an id) keeps its analysis")
    store.set_user_data(work.id, ANALYSIS_KEY, {"version": analysis_version(),
                                               "fingerprint": _fingerprint(work), "data": dict(data)})
