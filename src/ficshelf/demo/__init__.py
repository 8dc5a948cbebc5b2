"""Demo works: short original stories written for ficshelf, kept as Markdown with front matter.

They belong to the project (unlike the corpus in ../shared) and ship with the
package so that ``make run`` has a library to show. ``demo_files`` writes them
out in several formats built by ficshelf's own exporters, so importing the demo
exercises the EPUB, HTML, text and Markdown importers.

>>> [w.title for w in demo_works()][:2]
['The Adventure of the Borrowed Umbrella', 'Jasmine, Not Too Hot']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ficshelf.export import export_work, suffix_for
from ficshelf.importers import plaintext
from ficshelf.model import Work

__all__ = ["DEMO_FORMATS", "demo_files", "demo_sources", "demo_works"]

# Which demo goes out in which format; any other demo is written as its Markdown source.
DEMO_FORMATS: dict[str, str] = {
    "lamplighter": "epub",
    "borrowed-umbrella": "html",
    "jasmine-not-too-hot": "txt",
    "letters-from-pemberley": "md",
    "ten-thousand-steps": "md",
}


def demo_sources() -> list[tuple[str, bytes]]:
    """(name, Markdown bytes) of every demo work, sorted by name."""
    root = resources.files(__name__)
    out = []
    for entry in root.iterdir():
        if entry.name.endswith(".md") and entry.is_file():
            out.append((entry.name[: -len(".md")], entry.read_bytes()))
    return sorted(out)


def demo_works() -> list[Work]:
    """The demo works as parsed by the Markdown importer."""
    return [plaintext.parse(data, filename=f"{name}.md") for name, data in demo_sources()]


def demo_files(dest: Path) -> list[Path]:
    """Write every demo work into ``dest`` (created if needed) in its format; return the paths."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in demo_sources():
        fmt = DEMO_FORMATS.get(name, "md")
        if fmt == "md":
            path, out = dest / f"{name}.md", data
        else:
            work = plaintext.parse(data, filename=f"{name}.md")
            path, out = dest / f"{name}{suffix_for(fmt)}", export_work(work, fmt)
        path.write_bytes(out)
        paths.append(path)
    return paths
