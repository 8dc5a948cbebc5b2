"""A work whose markup carries 65 script-injection vectors (``xss_vectors``),
imported and rendered in a real browser: no script runs anywhere (a hook
records calls to ``window.__xss`` and every dialog), the Content-Security-Policy
never has to step in (the sanitizer already removed everything), and every line
of the story around the vectors is still there."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from browser.browserkit import chromium_context, shot
from browser.webfixtures import live_server
from browser.xss_vectors import HOSTILE_TAG, HOSTILE_TITLE, SAFE_LINE, VECTORS, hostile_download
from conftest import need_tool
from ficshelf.library import import_bytes
from ficshelf.store import open_library
from ficshelf.web.app import create_app

HOOK = """
window.__xssCalls = [];
window.__xss = function (n) { window.__xssCalls.push(n); };
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""

DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(el.tagName + ' ' + a.name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'data', 'srcdoc'].includes(a.name.toLowerCase())) {
        if (a.name.toLowerCase() === 'srcdoc') { bad.push(el.tagName + ' srcdoc'); continue; }
        let url;
        try { url = new URL(a.value, document.baseURI); } catch (e) { continue; }
        if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
      }
    }
  }
  for (const tag of ['iframe', 'object', 'embed', 'frame', 'frameset', 'base', 'meta', 'link', 'form', 'input', 'button', 'select', 'textarea', 'svg', 'math', 'style', 'template', 'noscript', 'video', 'audio', 'marquee']) {
    for (const scope of ['.userstuff', '.blurb', '.passage', '.snippet']) {
      for (const el of document.querySelectorAll(scope + ' ' + tag)) bad.push('element ' + tag + ' in ' + scope);
    }
  }
  for (const tag of ['iframe', 'object', 'embed', 'frame', 'frameset', 'base', 'meta[http-equiv]']) {
    for (const el of document.querySelectorAll(tag)) bad.push('element ' + tag);
  }
  for (const s of document.scripts) if (s.getAttribute('src') !== '/static/site.js') bad.push('script ' + s.outerHTML.slice(0, 80));
  return bad;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    need_tool("chromium")
    library = tmp_path_factory.mktemp("xss-library")
    with open_library(library) as store:
        outcome = import_bytes(store, hostile_download(), filename="harbour-lights.html")
    assert outcome.status == "added", outcome.error
    assert outcome.work_id is not None
    with live_server(create_app(library, analysis="inline")) as base:
        yield base, outcome.work_id


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium_context(need_tool("chromium")) as ctx:
        ctx.add_init_script(HOOK)
        p = ctx.new_page()
        p.dialogs = []  # type: ignore[attr-defined]

        def on_dialog(dialog: Any) -> None:
            p.dialogs.append(dialog.message)  # type: ignore[attr-defined]
            dialog.dismiss()

        p.on("dialog", on_dialog)
        yield p


def test_there_are_at_least_fifty_vectors() -> None:
    assert len(VECTORS) >= 50
    assert len(set(VECTORS)) == len(VECTORS)


def test_the_vectors_are_live_without_the_defences() -> None:
    """Control: the same markup written straight into a page with no CSP and no
    sanitizer does run scripts, so the hook really records them."""
    from browser.xss_vectors import chapter_markup

    with chromium_context(need_tool("chromium")) as ctx:
        p = ctx.new_page()
        dialogs: list[str] = []
        p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        p.evaluate(HOOK)
        p.set_content("<!doctype html><body>" + chapter_markup() + "</body>")
        for el in p.locator("body *").all()[:300]:
            with contextlib.suppress(Exception):  # hidden elements cannot be hovered
                el.hover(timeout=100, force=True)
        p.wait_for_timeout(500)
        fired = set(p.evaluate("() => window.__xssCalls"))
    assert len(fired) >= 15, fired
    assert dialogs


def _visit(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    # give handlers every chance: hover and focus everything in the story, then wait
    for el in page.locator("main *").all()[:400]:
        with contextlib.suppress(Exception):  # hidden or detached elements cannot be hovered
            el.hover(timeout=200, force=True)
    for _ in range(30):
        page.keyboard.press("Tab")
    page.wait_for_timeout(500)
    calls = page.evaluate("() => window.__xssCalls")
    assert calls == [], f"script ran on {url}: vectors {calls}"
    assert page.dialogs == [], f"dialogs on {url}: {page.dialogs}"
    violations = page.evaluate("() => window.__csp")
    assert violations == [], f"the CSP had to block something on {url}: {violations}"
    assert page.evaluate(DOM_CHECK) == [], url


@pytest.mark.parametrize("where", ["reader", "whole", "work", "library", "search", "evidence"])
def test_no_script_runs_and_the_story_survives(site: tuple[str, int], page: Any, where: str) -> None:
    base, wid = site
    url = {
        "reader": f"{base}/works/{wid}/read/1",
        "whole": f"{base}/works/{wid}/read/all",
        "work": f"{base}/works/{wid}",
        "library": f"{base}/",
        "search": f"{base}/?q=ferry",
        "evidence": f"{base}/works/{wid}/read/1?evidence=character-0",
    }[where]
    _visit(page, url)
    if where in {"reader", "whole", "evidence"}:
        text = page.inner_text(".chapter-body")
        for n in range(1, len(VECTORS) + 2):
            assert SAFE_LINE.format(n=n) in text, n
        assert "fourteen" in text and "cell thirty-seven" in text  # harmless text of vectors stays
        shot(page, f"xss-{where}")
    if where in {"work", "library"}:
        heading = page.locator("h1.title" if where == "work" else "li.blurb h3.heading > a").first
        assert heading.inner_text() == HOSTILE_TITLE
        assert page.get_by_text(HOSTILE_TAG, exact=True).count() >= 1
