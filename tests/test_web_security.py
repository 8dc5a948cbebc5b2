"""Safety of the web app, in process: headers on every response, CSRF on every
route that changes data, cross-site refusal, the upload limit, the password,
the bind check, and output sanitizing of hostile chapter markup."""

from __future__ import annotations

import base64
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html
from starlette.routing import Route
from starlette.testclient import TestClient

from browser.webfixtures import fake_analyzer, own_works
from ficshelf.errors import InputError
from ficshelf.model import Chapter, Work
from ficshelf.store import open_library
from ficshelf.web.app import create_app
from ficshelf.web.security import CSP, check_bind, is_loopback

GET_PAGES = ["/", "/?q=tea", "/works/1", "/works/1?evidence=character-0", "/works/1/read/1",
             "/works/1/read/all", "/import", "/settings", "/login", "/works/1/evidence/character-0",
             "/api/works", "/api/works/1", "/api/search", "/api/tags", "/api/session",
             "/api/openapi.json", "/api/status", "/facets?inc=freeform%3AFluff", "/opds", "/opds/fandoms", "/opds/works", "/opds/opensearch.xml",
             "/static/site.css", "/works/999", "/no/such/page"]


@pytest.fixture
def lib(library: Path) -> Path:
    with open_library(library) as store:
        for work in own_works():
            store.add(work)
    return library


@pytest.fixture
def client(lib: Path) -> Iterator[TestClient]:
    with TestClient(create_app(lib, analysis="inline", analyzer=fake_analyzer)) as c:
        yield c


def token(client: TestClient) -> str:
    return str(client.get("/api/session").json()["csrf_token"])


@pytest.mark.parametrize("path", GET_PAGES)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in {200, 404}, (path, r.status_code)
    csp = r.headers["content-security-policy"]
    assert csp == CSP
    for rule in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                 "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"):
        assert rule in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert re.match(r"app;dur=\d+\.\d\d(, store;dur=\d+\.\d\d)?$", r.headers["server-timing"])


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in GET_PAGES:
        r = client.get(path)
        if "text/html" not in r.headers.get("content-type", "") or not r.text.strip():
            continue
        doc = lxml_html.fromstring(r.text)
        for script in doc.iter("script"):
            assert script.get("src", "").startswith("/static/"), path
            assert not (script.text or "").strip(), path
        assert not doc.xpath("//style"), path
        assert not doc.xpath("//@style"), path
        on = [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib
              if a.lower().startswith("on")]
        assert not on, (path, on)


def _post_routes(client: TestClient) -> list[str]:
    paths = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.methods and "POST" in route.methods:
            paths.append(route.path.replace("{work_id:int}", "1"))
    return paths


def test_every_post_route_is_csrf_protected(client: TestClient) -> None:
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.methods and "POST" in route.methods:
            assert getattr(route.endpoint, "__csrf_protected__", False), route.path
            assert inspect.iscoroutinefunction(route.endpoint), route.path
    paths = _post_routes(client)
    assert len(paths) >= 12
    for path in paths:
        r = client.post(path, data={"x": "1"})
        assert r.status_code == 403, path
        assert "security token" in r.text, path
        wrong = client.post(path, data={"csrf_token": "not-the-token"})
        assert wrong.status_code == 403, path


def test_csrf_token_is_tied_to_the_cookie(client: TestClient, lib: Path) -> None:
    mine = token(client)
    with TestClient(create_app(lib, analysis="off")) as other:
        other.get("/")
        r = other.post("/blocklist/add", data={"csrf_token": mine, "tag": "Angst"})
        assert r.status_code == 403
    ok = client.post("/blocklist/add", data={"csrf_token": mine, "tag": "Angst"},
                     follow_redirects=False)
    assert ok.status_code == 303


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    t = token(client)
    r = client.post("/blocklist/add", data={"csrf_token": t, "tag": "Angst"},
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "other sites" in r.text
    r = client.post("/blocklist/add", data={"csrf_token": t, "tag": "Angst"},
                    headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    same = client.post("/blocklist/add", data={"csrf_token": t, "tag": "Angst"},
                       headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert same.status_code == 303


def test_upload_limit(lib: Path) -> None:
    with TestClient(create_app(lib, analysis="off", max_upload=4096)) as c:
        t = token(c)
        big = b"x" * 10_000
        r = c.post("/import/upload", data={"csrf_token": t}, files=[("files", ("big.txt", big))])
        assert r.status_code == 413
        assert "That upload is larger than the limit of 4 KB" in r.text
        assert r.template.name == "error.html"  # type: ignore[attr-defined]
        api = c.post("/api/import", files=[("files", ("big.txt", big))], headers={"X-CSRF-Token": t})
        assert api.status_code == 413 and "larger than the limit" in api.json()["error"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            yield b"csrf_token=" + t.encode() + b"&text="
            for _ in range(10):
                yield b"y" * 1000

        streamed = c.post("/import/paste", content=chunks(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert streamed.status_code == 413
        small = c.post("/import/upload", data={"csrf_token": t},
                       files=[("files", ("s.txt", b"Tiny\n\nA very small story about a cat."))])
        assert small.status_code == 200


def test_password_protects_every_request(lib: Path) -> None:
    app = create_app(lib, analysis="off", password="open sesame")
    with TestClient(app) as c:
        page = c.get("/works/1", headers={"Accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fworks%2F1"
        for path in ("/api/works", "/opds", "/works/1/export/epub", "/works/1/read/1"):
            r = c.get(path)
            assert r.status_code == 401, path
            assert r.headers["www-authenticate"].startswith("Basic")
        assert c.get("/static/site.css").status_code == 200
        login = c.get("/login")
        assert login.status_code == 200 and 'type="password"' in login.text
        t = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
        bad = c.post("/login", data={"csrf_token": t, "password": "nope", "next": "/works/1"})
        assert bad.status_code == 401 and "not the password" in bad.text
        good = c.post("/login", data={"csrf_token": t, "password": "open sesame",
                                      "next": "/works/1"}, follow_redirects=False)
        assert good.status_code == 303 and good.headers["location"] == "/works/1"
        assert c.get("/works/1").status_code == 200
        assert c.get("/api/works").status_code == 200
        c.post("/logout", data={"csrf_token": t})
        assert c.get("/api/works").status_code == 401
    with TestClient(create_app(lib, analysis="off", password="open sesame")) as c:
        basic = base64.b64encode(b"reader:open sesame").decode()
        assert c.get("/opds", headers={"Authorization": f"Basic {basic}"}).status_code == 200
        wrong = base64.b64encode(b"reader:guess").decode()
        assert c.get("/opds", headers={"Authorization": f"Basic {wrong}"}).status_code == 401
        bearer = {"Authorization": "Bearer open sesame"}
        assert c.get("/api/works/1", headers=bearer).status_code == 200
        # a Bearer client is not a browser: no CSRF token needed to change data
        r = c.post("/api/import", headers=bearer, json={"text": "Brief\n\nOne line of a story "
                                                                "about a lighthouse cat."})
        assert r.status_code == 200, r.text
        # but Basic credentials a browser may replay still need the token
        r = c.post("/api/import", headers={"Authorization": f"Basic {basic}"},
                   json={"text": "Another short story about the same cat."})
        assert r.status_code == 403


def test_empty_password_is_refused(lib: Path) -> None:
    with pytest.raises(InputError, match="password is empty"):
        create_app(lib, password="  ")


def test_bind_check() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.8.0.1") and not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", "secret")
    for host in ("0.0.0.0", "::", "192.168.1.4", "example.com"):
        with pytest.raises(InputError, match="refusing to serve"):
            check_bind(host, None)
        with pytest.raises(InputError):
            check_bind(host, "   ")


HOSTILE = """<p>Before the storm.</p>
<script>window.__xss(1)</script>
<img src=x onerror="window.__xss(2)">
<p onclick="window.__xss(3)">Click me</p>
<a href="javascript:window.__xss(4)">link</a>
<a href="JaVaScRiPt:window.__xss(5)">mixed</a>
<svg onload="window.__xss(6)"><circle r="1"/></svg>
<iframe src="javascript:window.__xss(7)"></iframe>
<div style="background:url(javascript:window.__xss(8))">styled</div>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>
<form action="javascript:window.__xss(9)"><button>go</button></form>
<p>After the storm.</p>"""


def test_hostile_markup_is_sanitized_on_output(lib: Path) -> None:
    # Stored straight into the store (as if an older importer had let it through):
    # the reader must clean it again on the way out.
    with open_library(lib) as store:
        wid = store.add(Work(title="Hostile", chapters=(Chapter(
            number=1, text="Before the storm.\n\nAfter the storm.", html=HOSTILE),))).id
    with TestClient(create_app(lib, analysis="off")) as c:
        page = c.get(f"/works/{wid}/read/1").text
    body = page[page.index('class="userstuff chapter-body"'):page.index("</article>")]
    assert "Before the storm." in body and "After the storm." in body
    low = body.lower()
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "style=",
                "data:text", "<form", "<svg"):
        assert bad not in low, bad
