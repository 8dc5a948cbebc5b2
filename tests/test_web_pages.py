"""The web app's pages, in process (Starlette TestClient): status, template and
the data each page shows, with small works written for these tests and a
stand-in analyser that follows the ``understand`` JSON contract."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from browser.webfixtures import LIGHTHOUSE_2, fake_analyzer, own_works
from ficshelf.store import open_library
from ficshelf.web.app import create_app


def make_client(library: Path, **options: Any) -> TestClient:
    with open_library(library) as store:
        if store.count() == 0:
            for work in own_works():
                store.add(work)
    options.setdefault("analysis", "inline")
    options.setdefault("analyzer", fake_analyzer)
    return TestClient(create_app(library, **options))


@pytest.fixture
def client(library: Path) -> Iterator[TestClient]:
    with make_client(library) as c:
        yield c


def token(client: TestClient) -> str:
    return str(client.get("/api/session").json()["csrf_token"])


def ids_by_title(client: TestClient) -> dict[str, int]:
    works = client.get("/api/works", params={"per_page": 100}).json()["works"]
    return {w["title"]: w["id"] for w in works}


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="heading"><a href="/works/\d+">([^<]+)</a>', html)


# --- library -------------------------------------------------------------------------


def test_library_lists_every_work_as_a_blurb(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.template.name == "library.html"  # type: ignore[attr-defined]
    assert sorted(titles(r.text)) == ["Ashes Over Verrin", "Stormglass", "Tea at the Crossing",
                                      "The Lighthouse Keeper&#39;s Ledger"]
    assert "1 - 4 of 4 Works" in r.text
    # AO3's blurb pieces: fandom link, required-tag squares, stats
    assert 'href="/?inc=fandom%3AVerrin%20Chronicles"' in r.text
    assert 'class="rt rating-mature"' in r.text and 'class="rt warning-yes"' in r.text
    assert 'class="rt complete-no"' in r.text and 'class="rt category-het"' in r.text
    assert re.search(r'<dt>Words:</dt><dd class="words">\d', r.text)
    assert '<dd class="chapters">2/2</dd>' in r.text and '<dd class="chapters">1/?</dd>' in r.text


def test_sidebar_shows_facet_counts(client: TestClient) -> None:
    r = client.get("/")
    facets = {f.key: {i.name: i.count for i in f.items} for f in r.context["facets"]}  # type: ignore[attr-defined]
    assert facets["freeforms"]["Slow Burn"] == 2
    assert facets["freeforms"]["Fluff"] == 2
    assert facets["fandoms"] == {"Original Work": 2, "Verrin Chronicles": 2}
    assert facets["rating"]["General Audiences"] == 2
    assert re.search(r'value="freeform:Slow Burn"[^>]*>\s*<span class="name">Slow Burn</span> '
                     r'<span class="count">\(2\)</span>', r.text)


@pytest.mark.parametrize(("params", "expected"), [
    # every included tag must be present (AND)
    ([("inc", "freeform:Fluff"), ("inc", "freeform:Slow Burn")], ["The Lighthouse Keeper's Ledger"]),
    # any excluded tag drops a work (OR)
    ([("exc", "freeform:Angst"), ("exc", "freeform:Friendship")], ["The Lighthouse Keeper's Ledger"]),
    ([("inc", "freeform:Slow Burn"), ("exc", "freeform:Angst")], ["The Lighthouse Keeper's Ledger"]),
    # ratings ticked in the include list are any-of
    ([("rating", "General Audiences"), ("rating", "Mature")],
     ["Ashes Over Verrin", "Tea at the Crossing", "The Lighthouse Keeper's Ledger"]),
    ([("complete", "F")], ["Ashes Over Verrin"]),
    ([("words_to", "60")], ["Ashes Over Verrin", "Stormglass"]),
    ([("date_from", "2022"), ("date_to", "2022-12-31")], ["Ashes Over Verrin"]),
    ([("other_inc", "Mara Quell, Fluff")], ["Tea at the Crossing", "The Lighthouse Keeper's Ledger"]),
    ([("lang", "de")], ["Stormglass"]),
    ([("q", 'fandom:"Verrin Chronicles" sort:title')], ["Ashes Over Verrin", "Stormglass"]),
])
def test_filters_follow_ao3_semantics(client: TestClient, params: list[tuple[str, str]],
                                      expected: list[str]) -> None:
    r = client.get("/", params=[*params, ("sort", "title")] if "sort:" not in str(params) else params)
    assert r.status_code == 200, r.text
    assert [t.replace("&#39;", "'") for t in titles(r.text)] == expected


def test_filter_state_is_in_the_url_and_ticked(client: TestClient) -> None:
    r = client.get("/", params=[("inc", "freeform:Slow Burn"), ("exc", "freeform:Angst")])
    assert re.search(r'name="inc" value="freeform:Slow Burn" checked', r.text)
    assert re.search(r'name="exc" value="freeform:Angst" checked', r.text)
    # the active-filter chips remove one filter each
    assert 'href="?exc=freeform%3AAngst"' in r.text
    assert 'href="?inc=freeform%3ASlow+Burn"' in r.text


def test_full_text_search_highlights_snippets(client: TestClient) -> None:
    r = client.get("/", params={"q": "oranges"})
    assert titles(r.text) == ["The Lighthouse Keeper&#39;s Ledger"]
    assert re.search(r'<blockquote class="snippet"[^>]*>.*<mark>oranges</mark>', r.text)


def test_bad_parameter_is_a_message_not_a_crash(client: TestClient) -> None:
    r = client.get("/", params={"words_from": "lots"})
    assert r.status_code == 400
    assert "words from &#39;lots&#39; is not a number" in r.text


def test_pagination_links(client: TestClient) -> None:
    r = client.get("/", params={"per_page": 3, "sort": "title"})
    assert "1 - 3 of 4 Works" in r.text
    assert 'rel="next" href="?sort=title&amp;per_page=3&amp;page=2"' in r.text
    r2 = client.get("/", params={"per_page": 3, "sort": "title", "page": 2})
    assert titles(r2.text) == ["The Lighthouse Keeper&#39;s Ledger"]
    assert 'rel="prev"' in r2.text


def test_empty_library_invites_an_import(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "empty", analysis="off")) as c:
        r = c.get("/")
    assert r.status_code == 200 and "Your library is empty" in r.text


# --- work page -----------------------------------------------------------------------


def test_work_page_shows_metadata_and_inferred_side_by_side(client: TestClient) -> None:
    wid = ids_by_title(client)["The Lighthouse Keeper's Ledger"]
    r = client.get(f"/works/{wid}")
    assert r.status_code == 200
    assert r.template.name == "work.html"  # type: ignore[attr-defined]
    assert '<h1 class="title">The Lighthouse Keeper&#39;s Ledger</h1>' in r.text
    assert "Mara Quell/Tobias Fenn" in r.text and "Slow Burn" in r.text
    # inferred characters link to their evidence; Mara agrees with the author's "Mara Quell"
    assert re.search(rf'class="claim agrees" href="/works/{wid}\?evidence=character-0#evidence"'
                     r'[^>]*>Mara', r.text)
    assert re.search(r'data-claim="relationship-0"[^>]*>Mara/Tobias', r.text)
    for key in ("pov", "tense", "arc", "freeform-0", "fandom-0"):
        assert f'evidence={key}#evidence' in r.text
    # exports on every work
    for fmt in ("epub", "html", "txt", "json"):
        assert f'href="/works/{wid}/export/{fmt}"' in r.text


def test_evidence_is_highlighted_at_the_exact_offsets(client: TestClient) -> None:
    wid = ids_by_title(client)["The Lighthouse Keeper's Ledger"]
    r = client.get(f"/works/{wid}", params={"evidence": "relationship-0"})
    sentence = "He kissed her then, carefully, as if she were a page that might tear."
    assert sentence in LIGHTHOUSE_2
    assert f'<mark class="evidence" id="ev-0">{sentence}</mark>' in r.text
    # the paragraph around it is shown too, unmarked
    assert "She kissed him back." in r.text
    assert f'href="/works/{wid}/read/2?evidence=relationship-0#ev-0"' in r.text
    # the fragment the script loads is the same panel
    f = client.get(f"/works/{wid}/evidence/relationship-0")
    assert f.status_code == 200 and f'<mark class="evidence" id="ev-0">{sentence}</mark>' in f.text
    assert client.get(f"/works/{wid}/evidence/nothing-9").status_code == 404


def test_character_evidence_marks_the_name(client: TestClient) -> None:
    wid = ids_by_title(client)["The Lighthouse Keeper's Ledger"]
    r = client.get(f"/works/{wid}", params={"evidence": "character-0"})
    assert re.search(r'the lamp, and <mark class="evidence" id="ev-0">Mara</mark> Quell wrote', r.text)


def test_arc_chart_and_cast_graph_are_server_side_svg(client: TestClient) -> None:
    wid = ids_by_title(client)["The Lighthouse Keeper's Ledger"]
    r = client.get(f"/works/{wid}")
    arc = re.search(r'<svg class="arc-chart".*?</svg>', r.text, re.S)
    assert arc is not None and 'class="arc-line" points="' in arc.group(0)
    assert len(re.search(r'class="arc-line" points="([^"]+)"', arc.group(0)).group(1).split()) == 6  # type: ignore[union-attr]
    assert "fall-rise · happy ending" in arc.group(0)
    graph = re.search(r'<svg class="cast-graph".*?</svg>', r.text, re.S)
    assert graph is not None
    assert '<line class="cast-edge romantic"' in graph.group(0)
    assert "<title>Mara / Tobias</title>" in graph.group(0)


def test_more_like_this_prefers_shared_fandom_pairing_and_tags(client: TestClient) -> None:
    ids = ids_by_title(client)
    r = client.get(f"/works/{ids['The Lighthouse Keeper' + chr(39) + 's Ledger']}")
    similar = r.context["similar"]  # type: ignore[attr-defined]
    assert similar[0].doc.title == "Tea at the Crossing"
    assert any(s.startswith("Fandom: Original Work") for s in similar[0].shared)
    r2 = client.get(f"/works/{ids['Ashes Over Verrin']}")
    assert r2.context["similar"][0].doc.title == "Stormglass"  # type: ignore[attr-defined]


def test_work_page_without_analysis(library: Path) -> None:
    with make_client(library, analysis="off") as c:
        r = c.get("/works/1")
        assert r.status_code == 200 and "Not analysed yet" in r.text
        assert 'action="/works/1/analyse"' in r.text
        assert '<a class="claim' not in r.text
        # the cast picture falls back to the author's tags
        assert '<svg class="cast-graph"' in r.text and "from the author's tags" in r.text
        done = c.post("/works/1/analyse", data={"csrf_token": token(c)}, follow_redirects=False)
        assert done.status_code == 303
        assert '<a class="claim' in c.get("/works/1").text


def test_failing_analyser_shows_a_message(library: Path) -> None:
    def broken(work: Any) -> dict[str, Any]:
        raise RuntimeError("analyser exploded")

    with make_client(library, analyzer=broken) as c:
        r = c.get("/works/1")
    assert r.status_code == 200
    assert "Analysis failed: RuntimeError: analyser exploded" in r.text


def test_background_analysis_is_cached(library: Path) -> None:
    calls: list[int] = []

    def counting(work: Any) -> Any:
        calls.append(work.id)
        return fake_analyzer(work)

    with make_client(library, analysis="background", analyzer=counting) as c:
        first = c.get("/works/2")
        assert "ficshelf is reading this work now" in first.text
        c.app.state.web.analysis.join()  # type: ignore[attr-defined]
        assert '<a class="claim' in c.get("/works/2").text
        c.get("/works/2")
    assert calls == [2]


def test_missing_work_is_a_404_page(client: TestClient) -> None:
    r = client.get("/works/999")
    assert r.status_code == 404 and r.template.name == "error.html"  # type: ignore[attr-defined]
    assert "no work with id 999" in r.text


def test_exports(client: TestClient) -> None:
    for fmt, start in (("epub", b"PK"), ("html", b"<"), ("txt", b"The Lighthouse"), ("json", b"{")):
        r = client.get(f"/works/1/export/{fmt}")
        assert r.status_code == 200, (fmt, r.text[:200])
        assert r.content.lstrip().startswith(start), fmt
        assert "attachment; filename=\"The_Lighthouse_Keeper_s_Ledger." in r.headers["content-disposition"]
    assert client.get("/works/1/export/docx").status_code == 404


# --- reader --------------------------------------------------------------------------


def test_reader_chapter_with_navigation(client: TestClient) -> None:
    r = client.get("/works/1/read/1")
    assert r.status_code == 200 and r.template.name == "reader.html"  # type: ignore[attr-defined]
    assert '<p id="p0">The ledger lived in the drawer' in r.text
    assert 'class="scene-break"' in r.text
    assert 'rel="next" class="button" href="/works/1/read/2"' in r.text
    assert 'rel="prev"' not in r.text
    r2 = client.get("/works/1/read/2")
    assert 'rel="prev" class="button" href="/works/1/read/1"' in r2.text
    assert client.get("/works/1/read/7").status_code == 404
    # the chapter menu works without JavaScript
    jump = client.get("/works/1/read", params={"chapter": "2"}, follow_redirects=False)
    assert jump.status_code == 303 and jump.headers["location"] == "/works/1/read/2"


def test_reader_whole_work_and_evidence(client: TestClient) -> None:
    r = client.get("/works/1/read/all")
    assert r.status_code == 200
    assert 'id="c1-p0"' in r.text and 'id="c2-p0"' in r.text
    marked = client.get("/works/1/read/2", params={"evidence": "relationship-0"})
    assert '<mark class="evidence" id="ev-0">He kissed her then' in marked.text


def test_reading_position_is_saved_and_restored(client: TestClient) -> None:
    start = client.get("/works/1/read", follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"] == "/works/1/read/1"
    assert client.post("/works/1/position", data={"chapter": 2, "block": 3,
                                                  "offset": 0.25}).status_code == 403
    saved = client.post("/works/1/position", data={"chapter": 2, "block": 3, "offset": 0.25},
                        headers={"X-CSRF-Token": token(client)})
    assert saved.status_code == 200 and saved.json()["pos"] == "3.25"
    again = client.get("/works/1/read", follow_redirects=False)
    assert again.headers["location"] == "/works/1/read/2?pos=3.25#p3"
    page = client.get("/works/1/read/2")
    assert 'data-pos="3.25"' in page.text
    assert "?pos=" not in client.get("/works/1/read/1").text.split('data-pos="')[1][:5]
    assert client.get("/works/1/read/2", params={"pos": "7.5"}).text.count('data-pos="7.5"') == 1
    assert client.get("/api/works/1").json()["position"]["chapter"] == 2
    assert "Continue reading (chapter 2)" in client.get("/works/1").text


def test_theme_and_font_preferences(client: TestClient) -> None:
    r = client.post("/prefs", data={"theme": "dark", "step": "bigger", "csrf_token": token(client),
                                    "next": "/works/1/read/1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/works/1/read/1"
    page = client.get("/works/1/read/1")
    assert '<html lang="en" class="theme-dark font-4">' in page.text
    evil = client.post("/prefs", data={"theme": "sepia", "csrf_token": token(client),
                                       "next": "https://example.com/"}, follow_redirects=False)
    assert evil.headers["location"] == "/"


# --- import --------------------------------------------------------------------------


def test_import_page_and_upload_report(client: TestClient, tmp_path: Path) -> None:
    page = client.get("/import")
    assert page.status_code == 200 and page.template.name == "import.html"  # type: ignore[attr-defined]
    assert 'enctype="multipart/form-data"' in page.text
    text = ("The Orchard Gate\n\nChapter 1\n\nPip climbed the orchard gate every morning to count "
            "the apples that were not there yet.\n\nHe counted them anyway.\n")
    r = client.post("/import/upload", data={"csrf_token": token(client)}, files=[
        ("files", ("orchard.txt", text.encode(), "text/plain")),
        ("files", ("broken.epub", b"PK\x03\x04 this is not really a zip", "application/epub+zip")),
    ])
    assert r.status_code == 200 and r.template.name == "import_report.html"  # type: ignore[attr-defined]
    outcomes = {o.source: o for o in r.context["outcomes"]}  # type: ignore[attr-defined]
    assert outcomes["upload:orchard.txt"].status == "added"
    assert outcomes["upload:broken.epub"].status == "rejected"
    assert outcomes["upload:broken.epub"].error
    assert "1 added" in r.text and "1 rejected" in r.text
    assert "5 Works" in client.get("/").text


def test_import_with_no_file_explains(client: TestClient) -> None:
    r = client.post("/import/upload", data={"csrf_token": token(client)})
    assert r.status_code == 400 and "Choose one or more files" in r.text


def test_paste_an_ao3_page(client: TestClient) -> None:
    pasted = "\n".join([
        "Rating:", "General Audiences", "Archive Warning:", "No Archive Warnings Apply",
        "Fandom:", "Original Work", "Additional Tags:", "Bicycles", "Language:", "English",
        "Stats:", "Published:", "2020-05-01", "Words:", "27", "Chapters:", "1/1",
        "", "Wheels Turning", "", "pedalpusher", "", "Summary:", "", "A ride to the coast.", "",
        "Work Text:", "",
        "Juno fixed the chain with a hairpin and rode all the way to the coast before lunch.",
        "", "The sea was exactly where she had left it.",
    ])
    r = client.post("/import/paste", data={"csrf_token": token(client), "text": pasted})
    assert r.status_code == 200
    [outcome] = r.context["outcomes"]  # type: ignore[attr-defined]
    assert outcome.status == "added", outcome.error
    work = client.get(f"/api/works/{outcome.work_id}", params={"text": "true"}).json()
    assert "Juno fixed the chain" in work["chapters"][0]["text"]


def test_import_sample_works(client: TestClient) -> None:
    from conftest import SAMPLES, need_shared

    names = ["nianeyna-htmlTest.html", "nianeyna-workInSeries.html", "nianeyna-incompleteWork.html"]
    files = [("files", (n, need_shared(SAMPLES / n).read_bytes(), "text/html")) for n in names]
    r = client.post("/import/upload", data={"csrf_token": token(client)}, files=files)
    assert [o.status for o in r.context["outcomes"]] == ["added"] * 3  # type: ignore[attr-defined]
    lib = client.get("/", params={"inc": "fandom:Sherlock (TV)"})
    assert titles(lib.text) == ["The World on His Wrist"]
    wid = r.context["outcomes"][1].work_id  # type: ignore[attr-defined]
    page = client.get(f"/works/{wid}")
    assert "Part 1 of <em>Watches &#39;Verse</em>" in page.text
    assert page.text.count('<li><a href="/works/') >= 8  # the chapter list


# --- saved filters and blocklist ---------------------------------------------------------


def test_saved_filters(client: TestClient) -> None:
    r = client.post("/filters/save", data={"csrf_token": token(client), "name": "Slow and sweet",
                                           "query": "inc=freeform%3ASlow+Burn&exc=freeform%3AAngst"},
                    follow_redirects=False)
    assert r.status_code == 303
    lib = client.get("/")
    assert '<a href="/?inc=freeform%3ASlow+Burn&amp;exc=freeform%3AAngst">Slow and sweet</a>' in lib.text
    assert "Slow and sweet" in client.get("/settings").text
    client.post("/filters/delete", data={"csrf_token": token(client), "name": "Slow and sweet"})
    assert "Slow and sweet" not in client.get("/").text


def test_blocklist_hides_works_everywhere_unless_asked(client: TestClient) -> None:
    r = client.post("/blocklist/add", data={"csrf_token": token(client), "kind": "freeform",
                                            "tag": "Angst"}, follow_redirects=False)
    assert r.status_code == 303
    lib = client.get("/")
    assert sorted(titles(lib.text)) == ["Tea at the Crossing", "The Lighthouse Keeper&#39;s Ledger"]
    assert "Show blocked" in lib.text
    facet_names = {i.name for f in lib.context["facets"] for i in f.items}  # type: ignore[attr-defined]
    assert "Angst" not in facet_names
    shown = client.get("/", params={"blocked": "show"})
    assert len(titles(shown.text)) == 4 and 'class="tag blocked"' in shown.text
    assert client.get("/api/search").json()["total"] == 2
    assert client.get("/api/search", params={"blocked": "show"}).json()["total"] == 4
    ashes = ids_by_title(client)
    gate = client.get(f"/works/{client.get('/api/works', params={'blocked': 'show', 'q': 'Ashes'}).json()['works'][0]['id']}")
    assert gate.template.name == "blocked.html" and "Angst" in gate.text  # type: ignore[attr-defined]
    assert "Ashes Over Verrin" not in ashes
    # more like this skips blocked works: Ashes' nearest is Stormglass, which is blocked too
    lighthouse = client.get("/works/1")
    assert all(s.doc.title != "Stormglass" for s in lighthouse.context["similar"])  # type: ignore[attr-defined]
    client.post("/blocklist/remove", data={"csrf_token": token(client), "tag": "freeform:Angst"})
    assert len(titles(client.get("/").text)) == 4


def test_settings_page(client: TestClient) -> None:
    r = client.get("/settings")
    assert r.status_code == 200 and r.template.name == "settings.html"  # type: ignore[attr-defined]
    assert "No tags blocked." in r.text


def test_login_page_without_password_just_redirects(client: TestClient) -> None:
    assert client.get("/login").status_code == 200
    r = client.post("/login", data={"csrf_token": token(client), "password": "x",
                                    "next": "/works/1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/works/1"


def test_sidebar_counts_from_the_background_worker(library: Path) -> None:
    """In background mode the page does not wait for tag counts: it shows the
    library's while a worker process counts the results', then serves those."""
    with make_client(library, facets="background") as c:
        facets = c.app.state.web.facets  # type: ignore[attr-defined]
        from ficshelf.search.query import Query

        assert facets.wait(Query()) is not None  # the library-wide counts, warmed at start
        params = {"inc": "freeform:Slow Burn"}
        first = c.get("/", params=params)
        assert first.status_code == 200
        assert first.context["facet_scope"] == "library"  # type: ignore[attr-defined]
        assert 'data-facets="/facets?inc=freeform%3ASlow+Burn"' in first.text
        assert "Counts are for the whole library" in first.text
        counts = {i.name: i.count for f in first.context["facets"] for i in f.items}  # type: ignore[attr-defined]
        assert counts["Fluff"] == 2  # library-wide
        from ficshelf.web.params import parse_filters

        facets.wait(parse_filters(list(params.items())).query)
        fragment = c.get("/facets", params=params)
        assert fragment.status_code == 200
        assert re.search(r'value="freeform:Fluff"[^>]*>\s*<span class="name">Fluff</span> '
                         r'<span class="count">\(1\)</span>', fragment.text)
        again = c.get("/", params={**params, "sort": "title"})
        assert again.context["facet_scope"] == "results"  # type: ignore[attr-defined]
        assert "data-facets" not in again.text


def test_analysis_stored_at_import_is_used_as_is(library: Path) -> None:
    """A work analysed when the CLI imported it shows its inferred tags at once,
    even with the web app's own analysis switched off."""
    from conftest import SAMPLES, need_shared
    from ficshelf.library import import_bytes

    path = need_shared(SAMPLES / "nianeyna-htmlTest.html")
    with open_library(library) as store:
        outcome = import_bytes(store, path.read_bytes(), filename=path.name)
    assert outcome.status == "added" and outcome.analysis_error is None
    with TestClient(create_app(library, analysis="off")) as c:
        page = c.get(f"/works/{outcome.work_id}")
        assert '<a class="claim' in page.text
        assert page.context["inferred"].status == "ready"  # type: ignore[attr-defined]
        rel = c.get(f"/works/{outcome.work_id}", params={"evidence": "relationship-0"})
        assert '<mark class="evidence" id="ev-0">' in rel.text


def test_more_like_this_catches_up_with_works_added_elsewhere(library: Path) -> None:
    with make_client(library) as c:
        from browser.webfixtures import own_works

        extra = own_works()[2]
        with open_library(library) as other:  # as the command line would, while serving
            other.add(dataclasses.replace(extra, title="Tea Again", ao3_id=None,
                                          summary="More tea.", chapters=(dataclasses.replace(
                                              extra.chapters[0], text=extra.chapters[0].text
                                              + "\n\nThey had a second pot."),)))
        c.get("/works/1")  # notices the library grew and rebuilds
        similar = c.app.state.web.similar  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10
        while (similar.building or similar.index is None or len(similar.index) != 5) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        titles = [h.doc.title for h in c.get("/works/1").context["similar"]]  # type: ignore[attr-defined]
        assert "Tea Again" in titles


def test_background_analysis_runs_the_real_analyser_in_a_worker_process(library: Path) -> None:
    with make_client(library, analysis="background", analyzer="default") as c:
        service = c.app.state.web.analysis  # type: ignore[attr-defined]
        assert "ficshelf is reading this work now" in c.get("/works/1").text
        service.join()
        page = c.get("/works/1")
        assert page.context["inferred"].status == "ready", page.context["inferred"]  # type: ignore[attr-defined]
        assert service._pool is not None  # it ran out of process
        assert c.get("/api/works/1/analysis").json()["inferred"]["characters"]
