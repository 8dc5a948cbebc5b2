"""The site in a real browser (Debian's chromium through Playwright) against a
live uvicorn server on 127.0.0.1: import sample works through the upload form,
filter by an included and an excluded tag, open a work, click an inferred tag
and see its evidence highlighted, read, scroll, reload and land at the same
place, switch theme, move between chapters with the keyboard.

Screenshots of the library, a work page and the reader are written to
``test-artifacts/screenshots/`` (the path is printed at the end of the run).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser.browserkit import SCREENSHOTS, chromium_context, get_json, shot, wait_until
from browser.webfixtures import live_server
from conftest import SAMPLES, need_shared, need_tool
from ficshelf.web.app import create_app

SAMPLE_FILES = ("nianeyna-htmlTest.html", "nianeyna-workInSeries.html",
                "nianeyna-incompleteWork.html")


@pytest.fixture(scope="module")
def chromium() -> str:
    return need_tool("chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium: str,
         request: pytest.FixtureRequest) -> Iterator[str]:
    library = tmp_path_factory.mktemp("browser-library")
    app = create_app(library, analysis="inline")
    with live_server(app) as base:
        yield base
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None and SCREENSHOTS.exists():
        with capture.global_and_fixture_disabled():
            print(f"\nbrowser screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    with chromium_context(chromium) as ctx:
        yield ctx


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    p = browser.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    p.close()
    assert not errors, errors


def samples() -> list[Path]:
    return [need_shared(SAMPLES / name) for name in SAMPLE_FILES]


def works(base: str) -> dict[str, int]:
    data = get_json(f"{base}/api/works?per_page=100&blocked=show")
    return {w["title"]: w["id"] for w in data["works"]}


def ensure_imported(base: str, page: Any) -> dict[str, int]:
    have = works(base)
    if len(have) < len(SAMPLE_FILES):
        page.goto(f"{base}/import")
        page.set_input_files("#files", [str(p) for p in samples()])
        page.click("#upload-form button[type=submit]")
        wait_until(page, "() => document.getElementById('upload-count').textContent.startsWith('Done')")
        have = works(base)
    return have


def test_import_through_the_upload_form(site: str, page: Any) -> None:
    files = samples()
    page.goto(f"{site}/import")
    page.set_input_files("#files", [str(p) for p in files])
    page.click("#upload-form button[type=submit]")
    # many files: the script sends them one at a time and shows progress
    wait_until(page, "() => document.getElementById('upload-count').textContent.startsWith('Done')",
               timeout=60)
    assert page.inner_text("#upload-count") == "Done: 3 added, 0 updated, 0 unchanged, 0 rejected."
    assert page.eval_on_selector("#upload-bar", "b => b.value") == 3
    log = page.inner_text("#upload-log")
    assert "My Aim Is Steady And True" in log and "Fire and Feather" in log
    # one file: the plain form post and its report page
    page.goto(f"{site}/import")
    page.set_input_files("#files", [str(files[0])])
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(f"{site}/import/upload")
    assert "1 unchanged" in page.inner_text(".summary-line")
    assert set(works(site)) == {"My Aim Is Steady And True", "The World on His Wrist",
                                "Fire and Feather"}


def test_filter_by_included_and_excluded_tag(site: str, page: Any) -> None:
    ensure_imported(site, page)
    page.goto(f"{site}/")
    assert page.inner_text("h1.results-heading") == "1 - 3 of 3 Works"
    page.check('input[name="rating"][value="Teen And Up Audiences"]')
    exclude = page.locator("details.facet:has(input[name=exc][value='freeform:Angst'])")
    exclude.locator("summary").click()
    page.check('input[name="exc"][value="freeform:Angst"]')
    page.locator("#work-filters .submit:not(.top) button").click()
    page.wait_for_url(re.compile(r".*exc=freeform%3AAngst.*"))
    assert "rating=Teen+And+Up+Audiences" in page.url
    titles = page.locator("li.blurb h3.heading > a").all_inner_texts()
    assert titles == ["My Aim Is Steady And True"]
    assert page.inner_text("h1.results-heading") == "1 - 1 of 1 Works"
    assert page.is_checked('input[name="exc"][value="freeform:Angst"]')
    shot(page, "library-filtered", full_page=True)
    page.goto(f"{site}/")
    shot(page, "library", full_page=True)


def test_work_page_inferred_tag_shows_its_evidence(site: str, page: Any) -> None:
    ids = ensure_imported(site, page)
    wid = ids["My Aim Is Steady And True"]
    page.goto(f"{site}/")
    page.click(f'li.blurb h3.heading a[href="/works/{wid}"]')
    page.wait_for_url(f"{site}/works/{wid}")
    assert page.inner_text("h1.title") == "My Aim Is Steady And True"
    claims = page.locator("a.claim")
    assert claims.count() > 0, "the analysis found nothing to show"
    analysis = get_json(f"{site}/api/works/{wid}/analysis")
    assert analysis["status"] == "ready"
    text = get_json(f"{site}/api/works/{wid}?text=true")["chapters"]
    chapter_text = {c["number"]: c["text"] for c in text}
    # the first inferred character with evidence
    chars = analysis["inferred"]["characters"]
    index = next(i for i, c in enumerate(chars) if c["evidence"])
    ev = chars[index]["evidence"][0]
    expected = chapter_text[ev["chapter"]][ev["start"]:ev["end"]]
    link = page.locator(f'a.claim[data-claim="character-{index}"]')
    link.click()
    page.wait_for_selector("#evidence-slot mark.evidence")
    assert page.url.endswith(f"?evidence=character-{index}#evidence")
    assert "selected" in (link.get_attribute("class") or "")
    marked = page.locator("#evidence-slot mark#ev-0").inner_text()
    assert " ".join(marked.split()) == " ".join(expected.split())
    bg = page.eval_on_selector("#evidence-slot mark#ev-0", "m => getComputedStyle(m).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    shot(page, "work-evidence")
    page.goto(f"{site}/works/{wid}")
    shot(page, "work", full_page=True)
    # without JavaScript the same link is a plain page with the panel
    page.goto(f"{site}/works/{wid}?evidence=character-{index}")
    assert " ".join(page.locator("#evidence mark#ev-0").inner_text().split()) == \
        " ".join(expected.split())
    # and "read it in context" marks it in the chapter at the same offsets
    page.click("#evidence .passage a")
    page.wait_for_selector(".chapter-body mark#ev-0")
    assert " ".join(page.locator(".chapter-body mark#ev-0").inner_text().split()) == \
        " ".join(expected.split())


def _top_block(page: Any) -> tuple[str, float]:
    return page.evaluate("""() => {
        const els = Array.from(document.querySelectorAll('.chapter-body [id]'))
            .filter(e => /^p\\d+$/.test(e.id));
        for (const e of els) {
            const r = e.getBoundingClientRect();
            if (r.bottom > 8) return [e.id, (8 - r.top) / r.height];
        }
        return [null, 0];
    }""")


def test_reader_remembers_the_place(site: str, page: Any, browser: Any) -> None:
    ids = ensure_imported(site, page)
    wid = ids["The World on His Wrist"]
    page.goto(f"{site}/works/{wid}/read/2")
    shot(page, "reader-top")
    assert page.locator(".chapter-body p").count() > 20
    page.evaluate("window.scrollTo(0, document.body.scrollHeight * 0.45)")
    wait_until(page, "() => document.getElementById('saved-status').textContent.startsWith('Place saved')")
    before = _top_block(page)
    assert before[0] is not None and before[0] != "p0"
    shot(page, "reader")
    page.reload()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    after = _top_block(page)
    assert after[0] == before[0], (before, after)
    assert abs(after[1] - before[1]) < 0.2
    # a fresh tab through "continue reading" lands there too
    other = browser.new_page()
    other.goto(f"{site}/works/{wid}")
    assert "Continue reading (chapter 2)" in other.inner_text(".work-actions")
    other.click(".work-actions a.primary")
    other.wait_for_url(re.compile(rf".*/works/{wid}/read/2\?pos=.*"))
    other.wait_for_timeout(300)
    assert _top_block(other)[0] == before[0]
    other.close()


def test_reader_keyboard_theme_and_size(site: str, page: Any) -> None:
    ids = ensure_imported(site, page)
    wid = ids["Fire and Feather"]
    page.goto(f"{site}/works/{wid}/read/1")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"{site}/works/{wid}/read/2")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"{site}/works/{wid}/read/1")
    size = page.eval_on_selector(".reading-text", "e => parseFloat(getComputedStyle(e).fontSize)")
    page.click("button.theme-button.theme-dark")
    page.click('button[name="step"][value="bigger"]')
    wait_until(page, "() => document.documentElement.classList.contains('theme-dark')")
    bigger = page.eval_on_selector(".reading-text", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert bigger > size
    page.wait_for_timeout(300)
    page.reload()
    assert "theme-dark" in (page.get_attribute("html", "class") or "")
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(22, 23, 26)"
    shot(page, "reader-dark")
    page.click("button.theme-button.theme-light")
    page.click('button[name="step"][value="smaller"]')
    wait_until(page, "() => document.documentElement.classList.contains('theme-light')")
