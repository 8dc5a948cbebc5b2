"""The JSON API, its OpenAPI description, and the OPDS catalog, in process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from starlette.routing import Route
from starlette.testclient import TestClient

from browser.webfixtures import fake_analyzer, own_works
from ficshelf.store import open_library
from ficshelf.web.app import create_app
from ficshelf.web.opds import ACQUISITION, NAVIGATION

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"a": "http://www.w3.org/2005/Atom", "os": "http://a9.com/-/spec/opensearch/1.1/",
      "dc": "http://purl.org/dc/terms/"}


@pytest.fixture
def client(library: Path) -> Iterator[TestClient]:
    with open_library(library) as store:
        for work in own_works():
            store.add(work)
    with TestClient(create_app(library, analysis="inline", analyzer=fake_analyzer)) as c:
        yield c


def token(client: TestClient) -> str:
    return str(client.get("/api/session").json()["csrf_token"])


# --- JSON API ----------------------------------------------------------------------------


def test_list_and_get_works(client: TestClient) -> None:
    data = client.get("/api/works", params={"sort": "title"}).json()
    assert data["total"] == 4 and data["pages"] == 1
    assert [w["title"] for w in data["works"]] == ["Ashes Over Verrin", "Stormglass",
                                                   "Tea at the Crossing",
                                                   "The Lighthouse Keeper's Ledger"]
    assert "facets" not in data
    first = data["works"][3]
    assert first["tags"]["relationships"] == ["Mara Quell/Tobias Fenn"]
    assert first["links"]["epub"] == f"/works/{first['id']}/export/epub"
    one = client.get(f"/api/works/{first['id']}").json()
    assert [c["number"] for c in one["chapters"]] == [1, 2] and "text" not in one["chapters"][0]
    with_text = client.get(f"/api/works/{first['id']}", params={"text": "true"}).json()
    assert with_text["chapters"][0]["text"].startswith("The ledger lived")
    missing = client.get("/api/works/999")
    assert missing.status_code == 404 and "no work with id 999" in missing.json()["error"]


def test_search_takes_the_page_parameters(client: TestClient) -> None:
    r = client.get("/api/search", params=[("inc", "freeform:Slow Burn"), ("exc", "freeform:Angst")])
    data = r.json()
    assert data["total"] == 1 and data["works"][0]["title"] == "The Lighthouse Keeper's Ledger"
    assert {"tag": "Slow Burn", "works": 1} in data["facets"]["freeforms"]
    text = client.get("/api/search", params={"q": "oranges"}).json()
    assert "a crate of <mark>oranges</mark> and a letter" in text["works"][0]["snippet"]
    bad = client.get("/api/search", params={"sort": "sideways"})
    assert bad.status_code == 400 and "sort 'sideways' is unknown" in bad.json()["error"]
    nofacets = client.get("/api/search", params={"facets": "false"}).json()
    assert "facets" not in nofacets


def test_tags(client: TestClient) -> None:
    tags = client.get("/api/tags", params={"kind": "freeform"}).json()["tags"]
    assert {"kind": "freeform", "tag": "Slow Burn", "works": 2} in tags
    assert client.get("/api/tags", params={"prefix": "verr"}).json()["tags"] == [
        {"kind": "fandom", "tag": "Verrin Chronicles", "works": 2}]
    assert client.get("/api/tags", params={"kind": "shoe"}).status_code == 400


def test_analysis_endpoint(client: TestClient) -> None:
    data = client.get("/api/works/1/analysis").json()
    assert data["status"] == "ready"
    assert data["inferred"]["characters"][0]["name"] == "Mara"
    assert client.get("/api/works/1").json()["inferred"]["tense"]["value"] == "past"


def test_import_api(client: TestClient) -> None:
    t = token(client)
    r = client.post("/api/import", headers={"X-CSRF-Token": t}, files=[
        ("files", ("snow.txt", b"Snow Day\n\nThe school closed and Wren built a fort.\n\nIt fell.")),
        ("files", ("empty.txt", b"")),
    ])
    assert r.status_code == 200
    body = r.json()
    assert body["counts"] == {"added": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert body["outcomes"][1]["error"] == "empty.txt: the file is empty"
    again = client.post("/api/import", headers={"X-CSRF-Token": t}, files=[
        ("files", ("snow.txt", b"Snow Day\n\nThe school closed and Wren built a fort.\n\nIt fell."))])
    assert again.json()["counts"]["unchanged"] == 1
    pasted = client.post("/api/import", headers={"X-CSRF-Token": t},
                         json={"text": "Rainy Harbor\n\nThe boats knocked together all night "
                                       "like teeth.", "filename": "harbor.txt"})
    assert pasted.json()["outcomes"][0]["status"] == "added"
    nothing = client.post("/api/import", headers={"X-CSRF-Token": t}, data={})
    assert nothing.status_code == 400
    refused = client.post("/api/import", headers={"X-CSRF-Token": t},
                          files=[("files", ("x.bin", b"\x00\x01\x02 binary junk"))])
    assert refused.status_code == 422 and refused.json()["counts"]["rejected"] == 1


def test_position_api(client: TestClient) -> None:
    r = client.post("/api/works/1/position", headers={"X-CSRF-Token": token(client)},
                    data={"chapter": 1, "pos": "4.5"})
    assert r.json() == {"saved": True, "chapter": 1, "pos": "4.5"}
    bad = client.post("/api/works/1/position", headers={"X-CSRF-Token": token(client)},
                      data={"chapter": 9, "block": 1})
    assert bad.status_code == 400 and "has no chapter 9" in bad.json()["error"]


# --- OpenAPI -----------------------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "ficshelf"
    routes: dict[str, set[str]] = {}
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.path.startswith("/api/"):
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
            routes.setdefault(path, set()).update(m.lower() for m in route.methods or () if m != "HEAD")
    documented = {p: {m for m in ops if m in {"get", "post", "put", "delete", "patch"}}
                  for p, ops in spec["paths"].items()}
    assert documented == routes
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op["responses"], (path, method)
            assert op["operationId"]
            for param in op.get("parameters", []):
                assert param["in"] in {"query", "path", "header"}
                if param["in"] == "path":
                    assert param["required"] is True and "{" + param["name"] + "}" in path
    for ref in _refs(spec):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in spec["components"]["schemas"], ref
    # the search parameters documented are the ones the app reads
    from ficshelf.web.params import FILTER_KEYS
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert set(FILTER_KEYS) <= names


# --- OPDS --------------------------------------------------------------------------------


def feed(client: TestClient, url: str, kind: str) -> etree._Element:
    r = client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == kind
    root = etree.fromstring(r.content)
    assert root.tag == ATOM + "feed"
    for required in ("id", "title", "updated"):
        assert root.find(ATOM + required) is not None
    return root


def test_opds_navigation(client: TestClient) -> None:
    root = feed(client, "/opds", NAVIGATION)
    hrefs = root.xpath("//a:entry/a:link/@href", namespaces=NS)
    assert "/opds/fandoms" in hrefs and "/opds/relationships" in hrefs and "/opds/tags" in hrefs
    assert root.xpath("a:link[@rel='search']/@href", namespaces=NS) == ["/opds/opensearch.xml"]
    fandoms = feed(client, "/opds/fandoms", NAVIGATION)
    titles = fandoms.xpath("//a:entry/a:title/text()", namespaces=NS)
    assert sorted(titles) == ["Original Work", "Verrin Chronicles"]
    link = fandoms.xpath("//a:entry[a:title='Verrin Chronicles']/a:link", namespaces=NS)[0]
    assert link.get("type") == ACQUISITION
    acq = feed(client, link.get("href"), ACQUISITION)
    assert sorted(acq.xpath("//a:entry/a:title/text()", namespaces=NS)) == ["Ashes Over Verrin",
                                                                             "Stormglass"]
    assert client.get("/opds/nothing").status_code == 404


def test_opds_acquisition_links_and_paging(client: TestClient) -> None:
    root = feed(client, "/opds/works?sort=title&per_page=3", ACQUISITION)
    entries = root.findall(ATOM + "entry")
    assert len(entries) == 3
    first = entries[0]
    assert first.findtext(ATOM + "title") == "Ashes Over Verrin"
    assert first.findtext(ATOM + "author/" + ATOM + "name") == "emberly"
    epub = first.xpath("a:link[@rel='http://opds-spec.org/acquisition' and "
                       "@type='application/epub+zip']/@href", namespaces=NS)
    assert len(epub) == 1 and epub[0].endswith("/export/epub")
    assert client.get(epub[0]).content[:2] == b"PK"
    assert root.findtext("os:totalResults", namespaces=NS) == "4"
    nxt = root.xpath("a:link[@rel='next']/@href", namespaces=NS)
    assert nxt == ["/opds/works?sort=title&per_page=3&page=2"]
    page2 = feed(client, nxt[0], ACQUISITION)
    assert [e.findtext(ATOM + "title") for e in page2.findall(ATOM + "entry")] == [
        "The Lighthouse Keeper's Ledger"]
    assert page2.xpath("a:link[@rel='previous']/@href", namespaces=NS)


def test_opds_search(client: TestClient) -> None:
    r = client.get("/opds/opensearch.xml")
    assert r.headers["content-type"] == "application/opensearchdescription+xml"
    desc = etree.fromstring(r.content)
    url = desc.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url is not None and url.get("template") == "/opds/search?q={searchTerms}"
    root = feed(client, "/opds/search?q=compass", ACQUISITION)
    assert [e.findtext(ATOM + "title") for e in root.findall(ATOM + "entry")] == ["Ashes Over Verrin"]


def test_opds_hides_blocked_works(client: TestClient) -> None:
    client.post("/blocklist/add", data={"csrf_token": token(client), "tag": "Angst"})
    root = feed(client, "/opds/works", ACQUISITION)
    titles = sorted(e.findtext(ATOM + "title") for e in root.findall(ATOM + "entry"))
    assert titles == ["Tea at the Crossing", "The Lighthouse Keeper's Ledger"]
    tags = feed(client, "/opds/tags", NAVIGATION).xpath("//a:entry/a:title/text()", namespaces=NS)
    assert "Angst" not in tags and "Fluff" in tags


def test_status(client: TestClient) -> None:
    assert client.get("/api/status").json() == {
        "works": 4, "similar": "ready", "facets": "inline", "analysis": "inline", "password": False}


@pytest.mark.parametrize(("what", "expected"), [
    ("relationships", {"Mara Quell/Tobias Fenn", "Mara Quell & Ines Dalo", "Ilse Varro/Rook"}),
    ("characters", {"Mara Quell", "Tobias Fenn", "Ines Dalo", "Ilse Varro", "Rook"}),
    ("tags", {"Slow Burn", "Fluff", "Angst", "Lighthouses", "Friendship", "Grief/Mourning"}),
])
def test_opds_browse_feeds(client: TestClient, what: str, expected: set[str]) -> None:
    root = feed(client, f"/opds/{what}", NAVIGATION)
    assert set(root.xpath("//a:entry/a:title/text()", namespaces=NS)) == expected
