"""The ``ficshelf`` command: a thin shell over the library (parse input, call, render).

Errors are one readable line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ficshelf import __version__
from ficshelf.errors import FicshelfError, InputError
from ficshelf.model import Work, work_to_dict

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])


def _library_option(f: F) -> F:
    return click.option(
        "--library",
        "library",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="FICSHELF_HOME",
        default=None,
        help="Library directory (default: $FICSHELF_HOME, else ~/.local/share/ficshelf).",
    )(f)


def _json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print works as JSON.")(f)


def _open(library: Path | None) -> Any:
    from ficshelf.store import open_library

    return open_library(library)


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _blurb(work: Work) -> str:
    t = work.tags
    chapters = f"{work.chapter_count or len(work.chapters)}/{work.chapters_expected or '?'}"
    lines = [
        (f"[{work.id}] " if work.id is not None else "")
        + f"{work.title} by {', '.join(work.authors) or 'an unknown author'}",
        f"    {' | '.join(t.fandoms) or 'No fandom'}"
        f" · {t.rating.value if t.rating else 'Not Rated'}"
        f" · {work.words or 0:,} words · chapters {chapters}",
    ]
    if t.relationships:
        lines.append(f"    {', '.join(t.relationships[:4])}{' …' if len(t.relationships) > 4 else ''}")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ficshelf")
def cli() -> None:
    """ficshelf: keep, find and understand fan fiction, offline.

    Import AO3 downloads (HTML, EPUB, MOBI, AZW3, PDF), saved AO3 pages, text
    copied from AO3, FanFicFare EPUBs and plain text into a local library, then
    search it the way AO3 does.
    """


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--analyze/--no-analyze", default=True, show_default=True,
              help="Analyse each work (characters, pairings, tags, arc) and keep it with the work.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes for the analyses (default: one per CPU).")
@_library_option
@_json_option
def import_cmd(paths: Sequence[Path], analyze: bool, jobs: int | None, library: Path | None,
               as_json: bool) -> None:
    """Import files and folders (searched recursively) into the library.

    The same AO3 work imported again is updated in place. A file that cannot be
    read is reported at the end; every other file is kept. Exit status 1 when any
    file was rejected.
    """
    from ficshelf.library import collect_files, import_paths

    files = collect_files(paths)
    with _open(library) as store, click.progressbar(
        length=len(files), label="Importing", file=sys.stderr, show_pos=True
    ) as bar:
        workers = jobs or os.cpu_count() or 1
        if len(files) < 2:
            workers = 1  # not worth starting processes for one file
        report = import_paths(store, files, on_file=lambda _outcome: bar.update(1), analyze=analyze,
                              jobs=workers)
    if as_json:
        _emit_json([_outcome(o) for o in report.outcomes])
    else:
        for o in report.outcomes:
            if o.status in {"added", "updated"}:
                click.echo(f"{o.status:8} [{o.work_id}] {o.title}  ({o.source})")
        click.echo(f"Imported {len(files)} file(s): {report.summary()}.")
        for o in report.rejected:
            click.echo(f"rejected  {o.error}", err=True)
        for o in report.outcomes:
            if o.analysis_error:
                click.echo(f"not analysed  {o.source}: {o.analysis_error}", err=True)
    if report.rejected:
        sys.exit(1)


def _outcome(o: Any) -> dict[str, Any]:
    return {k: getattr(o, k) for k in ("source", "status", "work_id", "title", "error", "analysis_error")}


@cli.command("demo")
@_library_option
def demo_cmd(library: Path | None) -> None:
    """Import the bundled demo works (short original stories in several formats).

    Running it again updates them in place; nothing is duplicated.
    """
    import tempfile

    from ficshelf.demo import demo_files
    from ficshelf.library import import_paths

    with tempfile.TemporaryDirectory(prefix="ficshelf-demo-") as tmp, _open(library) as store:
        report = import_paths(store, demo_files(Path(tmp)))
    for o in report.rejected:
        click.echo(f"rejected  {o.error}", err=True)
    click.echo(f"Demo works: {report.summary()}.")
    if report.rejected:
        sys.exit(1)


@cli.command("list")
@click.option("--sort", default="updated", show_default=True, help="Sort key (see `search --help`).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@_library_option
@_json_option
def list_cmd(sort: str, limit: int, library: Path | None, as_json: bool) -> None:
    """List the works in the library."""
    from ficshelf.search import Query

    direction, key = _sort_key(sort)
    with _open(library) as store:
        result = store.search(Query(sort=key, descending=direction, per_page=limit, facets=False))
    _print_hits(result, as_json=as_json)


def _print_hits(result: Any, *, as_json: bool) -> None:
    if as_json:
        _emit_json({
            "total": result.total,
            "ranked_only": result.ranked_only,
            "works": [
                {**work_to_dict(h.work, include_text=False), "snippet": h.snippet} for h in result.hits
            ],
            "facets": {k: [list(kv) for kv in v] for k, v in result.facets.items()},
        })
        return
    if not result.hits:
        click.echo("No works found.")
        return
    for h in result.hits:
        click.echo(_blurb(h.work))
        if h.snippet:
            click.echo("    … " + _plain_snippet(h.snippet) + " …")
    click.echo(f"{result.total} work(s).")
    if result.ranked_only:
        click.echo(f"Only the {result.ranked_only:,} newest matches were ranked by relevance; "
                   "add rank:all to rank them all (slower).")


def _plain_snippet(snippet: str) -> str:
    import html

    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


@cli.command("show")
@click.argument("work_id", type=int)
@click.option("--text/--no-text", default=False, help="Include the chapter text.")
@click.option("--inferred", "inferred_flag", is_flag=True, help="Print what ficshelf inferred from the text.")
@_library_option
@_json_option
def show_cmd(work_id: int, text: bool, inferred_flag: bool, library: Path | None, as_json: bool) -> None:
    """Show one work's metadata (and, with --text, its text)."""
    with _open(library) as store:
        work = store.get(work_id)
        inferred = _stored_analysis(store, work) if (as_json or inferred_flag) else None
    if as_json:
        data = work_to_dict(work, include_text=True)
        data["inferred"] = inferred
        _emit_json(data)
        return
    _print_work(work, text=text)
    if inferred is not None:
        _print_inferred(inferred)


def _stored_analysis(store: Any, work: Work) -> dict[str, Any]:
    from ficshelf.understand.stored import analyze_and_store

    return dict(analyze_and_store(store, work))


def _print_work(work: Work, *, text: bool) -> None:
    t = work.tags
    click.echo(_blurb(work))
    rows = [
        ("Rating", t.rating.value if t.rating else None),
        ("Archive Warnings", ", ".join(w.value for w in t.warnings)),
        ("Categories", ", ".join(c.value for c in t.categories)),
        ("Fandoms", ", ".join(t.fandoms)),
        ("Relationships", ", ".join(t.relationships)),
        ("Characters", ", ".join(t.characters)),
        ("Additional Tags", ", ".join(t.freeforms)),
        ("Language", work.language),
        ("Series", "; ".join(f"Part {s.part} of {s.title}" if s.part else s.title for s in work.series)),
        ("Published", work.published.isoformat() if work.published else None),
        ("Updated", work.updated.isoformat() if work.updated else None),
        ("AO3", work.url),
    ]
    for label, value in rows:
        if value:
            click.echo(f"  {label}: {value}")
    if work.summary:
        click.echo("  Summary: " + work.summary.replace("\n", "\n    "))
    for c in work.chapters:
        title = f"Chapter {c.number}" + (f": {c.title}" if c.title else "")
        click.echo(f"  {title} ({c.words:,} words)")
        if text:
            click.echo("")
            click.echo(c.text)
            click.echo("")


def _sort_key(sort: str) -> tuple[bool, str]:
    """ "words" -> (True, "words"); "<words" ascending; title and author ascend by default."""
    key = sort.lstrip("<>")
    if sort.startswith(">"):
        return True, key
    if sort.startswith("<"):
        return False, key
    return key not in {"title", "author"}, key


_SORTS = "best, title, author, published, updated, words, kudos, hits, bookmarks, comments"


@cli.command("search")
@click.argument("query", nargs=-1)
@click.option("--tag", "tags", multiple=True, help="Include works with this tag (repeat: all must match).")
@click.option("--exclude", "excludes", multiple=True, help="Exclude works with this tag (repeat: any drops a work).")
@click.option("--sort", default=None, help=f"Sort key: {_SORTS}; prefix < or > for direction.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--per-page", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--facets", is_flag=True, help="Print tag counts for the results.")
@_library_option
@_json_option
def search_cmd(query: Sequence[str], tags: Sequence[str], excludes: Sequence[str], sort: str | None,
               page: int, per_page: int, facets: bool, library: Path | None, as_json: bool) -> None:
    """Search the library with AO3's semantics.

    QUERY takes words, "quoted phrases", -excluded words and AO3's inline
    filters: words>1000, kudos:10-100, complete:true, sort:>words,
    fandom:"Sherlock (TV)", tag:Angst, -tag:"Major Character Death".
    """
    import dataclasses

    from ficshelf.search import parse_query

    q = parse_query(" ".join(query))
    if sort:
        descending, key = _sort_key(sort)
        q = dataclasses.replace(q, sort=key, descending=descending)
    q = dataclasses.replace(q, include=q.include + tuple(tags), exclude=q.exclude + tuple(excludes),
                            page=page, per_page=per_page, facets=facets or as_json)
    with _open(library) as store:
        result = store.search(q)
    _print_hits(result, as_json=as_json)
    if facets and not as_json:
        for kind, counts in result.facets.items():
            if counts:
                click.echo(f"{kind}: " + ", ".join(f"{tag} ({n})" for tag, n in counts[:10]))


@cli.command("export")
@click.argument("work_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["epub", "html", "txt", "json"]), default="epub",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@_library_option
def export_cmd(work_id: int, fmt: str, output: Path, library: Path | None) -> None:
    """Export one work as EPUB 3, HTML, plain text or JSON."""
    from ficshelf.export import export_work

    with _open(library) as store:
        work = store.get(work_id)
    data = export_work(work, fmt)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{output}: cannot write the file ({exc.strerror or exc})") from exc
    click.echo(f"Wrote {output} ({len(data):,} bytes).")


@cli.command("analyze")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_json_option
def analyze_cmd(path: Path, as_json: bool) -> None:
    """Parse one file without storing it and print what was found (and inferred)."""
    from ficshelf.importers import detect, parse_path

    data = path.read_bytes()
    fmt = detect(data, filename=str(path))
    work = parse_path(path)
    from ficshelf.understand.stored import analyze_work

    inferred = analyze_work(work)
    if as_json:
        out = work_to_dict(work, include_text=True)
        out["format"] = fmt
        out["inferred"] = inferred
        _emit_json(out)
        return
    click.echo(f"Format: {fmt}")
    _print_work(work, text=False)
    _print_inferred(inferred)


@cli.command("canon")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_json_option
def canon_cmd(files: Sequence[Path], as_json: bool) -> None:
    """List the fandoms the analyser knows, or check your own canon files.

    With no FILES: every fandom of the canon knowledge base (the packaged files and
    those in $FICSHELF_HOME/canon) with its setting, characters, ships and file. With FILES:
    each is read and validated as the analyser would read it, together with the
    packaged fandoms (a tag or alias two fandoms claim is an error); the exit status
    is 1 when any file has a mistake. The format: docs/canon-format.md.
    """
    from ficshelf.canon import check_canon_file, load_canon

    if not files:
        rows = [{"tag": f.tag, "setting": f.setting, "characters": len(f.characters),
                 "ships": len(f.ships), "source": f.source}
                for f in sorted(load_canon().all_fandoms(), key=lambda f: f.tag.casefold())]
        if as_json:
            _emit_json(rows)
            return
        for r in rows:
            setting = f"{r['setting']}; " if r["setting"] else ""
            click.echo(f"{r['tag']}  ({setting}{_n(r['characters'], 'character')}, "
                       f"{_n(r['ships'], 'ship')}; {Path(str(r['source'])).name})")
        click.echo(f"{len(rows)} fandoms.")
        return
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            fandom, replaces = check_canon_file(path)
        except InputError as exc:
            results.append({"file": str(path), "ok": False, "error": str(exc)})
            continue
        results.append({"file": str(path), "ok": True, "tag": fandom.tag,
                        "setting": fandom.setting,
                        "characters": len(fandom.characters), "ships": len(fandom.ships),
                        "replaces_packaged": replaces})
    if as_json:
        _emit_json(results)
    else:
        for r in results:
            if r["ok"]:
                what = "replaces the packaged fandom" if r["replaces_packaged"] else "adds a fandom"
                setting = f"{r['setting']}; " if r["setting"] else ""
                click.echo(f"ok     {r['file']}: {r['tag']} ({setting}"
                           f"{_n(r['characters'], 'character')}, {_n(r['ships'], 'ship')}; {what})")
            else:
                click.echo(f"error  {r['error']}")
    if not all(r["ok"] for r in results):
        sys.exit(1)


def _n(count: Any, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _names(items: Any, key: str = "tag") -> str:
    return ", ".join(str(i.get(key)) for i in items or () if isinstance(i, dict) and i.get(key))


def _print_inferred(inferred: dict[str, Any]) -> None:
    """What the analysis found, one line per kind (``--json`` has the evidence)."""
    click.echo("Inferred from the text:")
    chars = inferred.get("characters") or []
    for role in ("main", "secondary", "mentioned"):
        names = [c for c in chars if c.get("role") == role]
        if names:
            shown = "; ".join(
                c["name"] + (f" ({', '.join(a for a in c.get('aliases', []) if a != c['name'])})"
                             if [a for a in c.get("aliases", []) if a != c["name"]] else "")
                for c in names[:12])
            click.echo(f"  {role.capitalize()} characters: {shown}")
    rows = [
        ("Relationships", _names(inferred.get("relationships"))),
        ("Fandoms", _names((inferred.get("fandoms") or [])[:3])),
        ("Categories", _names(inferred.get("categories"))),
        ("Rating", (inferred.get("rating") or {}).get("tag")),
        ("Warnings", _names(inferred.get("warnings"))),
        ("Additional tags", _names(inferred.get("freeforms"))),
    ]
    pov = inferred.get("pov") or {}
    if pov:
        from ficshelf.understand.analysis import named_narrators

        named = named_narrators(pov)
        rows.append(("Point of view", f"{pov.get('person')} person"
                     + (", reader-insert" if pov.get("reader_insert") else "")
                     + (f", narrated by {' and '.join(named)}" if named else "")))
    tense = inferred.get("tense") or {}
    if tense:
        rows.append(("Tense", tense.get("value")))
    arc = inferred.get("arc") or {}
    if arc:
        rows.append(("Arc", f"{arc.get('shape')}, {arc.get('ending')} ending"))
    for label, value in rows:
        if value:
            click.echo(f"  {label}: {value}")


def _shared_option(f: F) -> F:
    return click.option(
        "--shared",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="FICSHELF_SHARED",
        default=Path("..") / "shared",
        show_default=True,
        help="The shared data folder (seeds, corpus); $FICSHELF_SHARED.",
    )(f)


@cli.command("eval")
@_shared_option
@click.option("--datasets", default="seeds,fanfic,novels,litbank", show_default=True,
              help="Comma-separated data sets to score.")
@click.option("--details", is_flag=True, help="Per-work records too.")
def eval_cmd(shared: Path, datasets: str, details: bool) -> None:
    """Score the story analysis on the shared data sets and print one JSON report.

    Each work is analysed once per mode (with and without the canon link) by the
    whole pipeline, and every layer is scored from that analysis. Per data set
    and split (corpus/splits.json: tune on dev, measure on test): main-character
    recall and precision, alias purity, POV, reader-insert and tense accuracy,
    relationship precision/recall (pair and kind), fandom top-1, category,
    rating, warning and ending accuracy, additional-tag precision and recall; LitBank
    person-mention F1.
    """
    from ficshelf.evaluate import run

    if not shared.is_dir():
        raise InputError(f"{shared}: no such folder; pass --shared or set FICSHELF_SHARED")
    names = [d for d in datasets.split(",") if d]
    _emit_json(run(shared, datasets=names, details=details, quiet=True))


@cli.command("bench")
@_shared_option
@click.option("--works", default=100_000, show_default=True, type=click.IntRange(100),
              help="Works in the synthetic library for the query benchmark.")
@click.option("--bench-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the synthetic library is built and reused (default bench-out/library-N).")
@click.option("--queries", default=200, show_default=True, type=click.IntRange(10),
              help="Timed queries of each kind.")
@click.option("--only", default="import,queries,understand", show_default=True,
              help="Comma-separated parts: import, queries, understand.")
def bench_cmd(shared: Path, works: int, bench_dir: Path | None, queries: int, only: str) -> None:
    """Measure import rate, query latency and analysis speed; print JSON figures.

    The first run builds the synthetic library (a few minutes for 100,000 works)
    and later runs reuse it.
    """
    from ficshelf.benchsuite import run

    parts = tuple(p for p in only.split(",") if p)
    unknown = set(parts) - {"import", "queries", "understand"}
    if unknown:
        raise InputError(f"unknown benchmark part(s): {', '.join(sorted(unknown))}")
    report = run(shared=shared, works=works, bench_dir=bench_dir, queries=queries, parts=parts,
                 progress=lambda msg: click.echo(f"\r{msg}", err=True, nl=False))
    click.echo("", err=True)
    _emit_json(report)


@cli.group("synonyms")
def synonyms_group() -> None:
    """Tag synonyms: map tags as written to canonical tags, applied when filtering."""


@synonyms_group.command("list")
@_library_option
@_json_option
def synonyms_list(library: Path | None, as_json: bool) -> None:
    """List tag synonyms."""
    with _open(library) as store:
        syn = store.synonyms()
    if as_json:
        _emit_json(syn)
        return
    for tag, canonical in sorted(syn.items()):
        click.echo(f"{tag} -> {canonical}")


@synonyms_group.command("add")
@click.argument("tag")
@click.argument("canonical")
@_library_option
def synonyms_add(tag: str, canonical: str, library: Path | None) -> None:
    """Make TAG a synonym of CANONICAL."""
    with _open(library) as store:
        store.set_synonym(tag, canonical)
    click.echo(f"{tag} -> {canonical}")


@synonyms_group.command("remove")
@click.argument("tag")
@_library_option
def synonyms_remove(tag: str, library: Path | None) -> None:
    """Remove TAG's synonym mapping."""
    with _open(library) as store:
        store.remove_synonym(tag)
    click.echo(f"removed {tag}")


@cli.command("reindex")
@_library_option
def reindex_cmd(library: Path | None) -> None:
    """Rebuild the search index from the stored works."""
    with _open(library) as store:
        store.rebuild_index()
        n = store.count()
    click.echo(f"Rebuilt the search index of {n} work(s).")


@cli.command("delete")
@click.argument("work_id", type=int)
@_library_option
def delete_cmd(work_id: int, library: Path | None) -> None:
    """Delete a work from the library."""
    with _open(library) as store:
        work = store.get(work_id)
        store.delete(work_id)
    click.echo(f"Deleted [{work_id}] {work.title}")


@cli.command("serve")
@_library_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --password.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--password", envvar="FICSHELF_PASSWORD", default=None,
              help="Required on every request (also $FICSHELF_PASSWORD).")
@click.option("--max-upload", default=50, show_default=True, type=click.IntRange(1, 10_000),
              help="Largest upload, in MB.")
def serve_cmd(library: Path | None, host: str, port: int, password: str | None,
              max_upload: int) -> None:
    """Serve the library as a web site: pages, JSON API (/api) and OPDS catalog (/opds)."""
    from ficshelf.web.serve import serve

    serve(library, host=host, port=port, password=password, max_upload_mb=max_upload)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: one-line errors and a non-zero exit status."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="ficshelf", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except FicshelfError as exc:
        click.echo(f"ficshelf: error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
