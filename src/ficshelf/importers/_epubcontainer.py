"""An EPUB's container, package document (OPF), spine and table of contents.

Read with ``zipfile`` and lxml only (no ebook library): ``META-INF/container.xml``
names the OPF; the OPF holds the Dublin Core metadata, the manifest (every file)
and the spine (reading order); the table of contents is the EPUB 3 navigation
document when there is one, else the EPUB 2 NCX. Content documents are parsed
as XML (XHTML) with namespaces dropped, or as HTML when they are not well formed.

Every failure to read the archive becomes one ``MalformedFile`` with a readable
message; nothing from ``zipfile``/``zlib``/lxml leaks.

>>> resolve_href("OEBPS/content.opf", "Text/ch%201.xhtml#p2")
('OEBPS/Text/ch 1.xhtml', 'p2')
>>> resolve_href("content.opf", "../x.xhtml")
('x.xhtml', None)
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from lxml import etree, html

from ficshelf.errors import MalformedFile
from ficshelf.importers._htmltext import parse_html

__all__ = [
    "EpubBook",
    "ManifestItem",
    "OpfMetadata",
    "SpineItem",
    "TocEntry",
    "is_zip",
    "local_name",
    "open_epub",
    "parse_xhtml",
    "read_ncx",
    "read_opf_metadata",
    "resolve_href",
]

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
_MAX_MEMBER = 64 * 1024 * 1024  # one file inside the archive, uncompressed
_MAX_TOTAL = 512 * 1024 * 1024  # all files inside the archive, uncompressed
_XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/xml", "text/x-oeb1-document"})
_WS = re.compile(r"\s+")


def _clean(s: str | None) -> str:
    return _WS.sub(" ", s).strip() if s else ""


def _q(ns: str, name: str) -> str:
    return f"{{{_NS[ns]}}}{name}"


def local_name(tag: Any) -> str:
    """An element's tag without its namespace ("" for comments and PIs)."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def resolve_href(base_file: str, href: str) -> tuple[str, str | None]:
    """The archive path and fragment an ``href`` in ``base_file`` points at."""
    raw, _, frag = href.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), unquote(raw))) if raw else base_file
    while path.startswith("../"):
        path = path[3:]
    return path.lstrip("/"), (unquote(frag) or None)


def _xml_parser() -> etree.XMLParser:
    # no DTD loading, no entity expansion, no network: an EPUB is untrusted input
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _strip_namespaces(root: Any) -> Any:
    for el in root.iter("{*}*"):
        tag = el.tag
        if tag[0] == "{":
            el.tag = tag.rsplit("}", 1)[-1].lower()
        keys = el.keys()
        if not keys:
            continue
        for key in keys:
            if key[0] == "{":
                value = el.attrib.pop(key)
                plain = key.rsplit("}", 1)[-1]
                if plain not in el.attrib:
                    el.set(plain, value)
    etree.cleanup_namespaces(root)
    return root


def parse_xhtml(data: bytes) -> Any:
    """A content document as an ``lxml.html`` tree with plain tag names; HTML parsing when not XML."""
    parser = html.XHTMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        root = None
    if root is not None and local_name(root.tag) == "html":
        return _strip_namespaces(root)
    try:
        return parse_html(data)
    except (etree.ParserError, ValueError, LookupError):  # empty or undecodable: no text
        return html.document_fromstring("<html><body></body></html>")


@dataclass(frozen=True, kw_only=True, slots=True)
class ManifestItem:
    id: str
    path: str
    media_type: str
    properties: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True, slots=True)
class SpineItem:
    path: str
    idref: str
    linear: bool = True
    media_type: str = ""
    properties: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True, slots=True)
class TocEntry:
    label: str
    path: str
    fragment: str | None = None
    depth: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class OpfMetadata:
    """The package's Dublin Core metadata, as written (whitespace collapsed)."""

    title: str | None = None
    creators: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    language: str | None = None
    description: str | None = None
    publisher: str | None = None
    subjects: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme or id or "", value)
    sources: tuple[str, ...] = ()
    dates: tuple[tuple[str, str], ...] = ()  # (event or "", value)
    meta: Mapping[str, str] = field(default_factory=dict)  # <meta name=... content=...> and properties


@dataclass(kw_only=True)
class EpubBook:
    """An opened EPUB. ``document(path)`` parses (and caches) one content document."""

    filename: str
    archive: zipfile.ZipFile
    opf_path: str
    version: str
    metadata: OpfMetadata
    manifest: Mapping[str, ManifestItem]
    spine: tuple[SpineItem, ...]
    toc: tuple[TocEntry, ...]
    guide: Mapping[str, str]  # reference type -> archive path
    _docs: dict[str, Any] = field(default_factory=dict)
    _read_total: int = 0

    def has(self, path: str) -> bool:
        try:
            self.archive.getinfo(path)
        except KeyError:
            return False
        return True

    def read(self, path: str) -> bytes:
        """One archive member's bytes; a missing or broken member is a ``MalformedFile``."""
        shown = self.filename or "the EPUB"
        try:
            info = self.archive.getinfo(path)
        except KeyError:
            raise MalformedFile(f"{shown}: the EPUB lists {path!r} but the file is missing from the archive") from None
        if info.file_size > _MAX_MEMBER or self._read_total + info.file_size > _MAX_TOTAL:
            raise MalformedFile(f"{shown}: {path!r} is implausibly large for an ebook; not reading it")
        try:
            data = self.archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise MalformedFile(f"{shown}: {path!r} inside the EPUB cannot be unpacked ({exc}); the file is damaged") from exc
        self._read_total += len(data)
        return data

    def document(self, path: str) -> Any:
        """The parsed content document (root ``html`` element)."""
        doc = self._docs.get(path)
        if doc is None:
            doc = parse_xhtml(self.read(path))
            self._docs[path] = doc
        return doc

    def body(self, path: str) -> Any:
        doc = self.document(path)
        body = doc.find("body")
        return body if body is not None else doc

    def text_documents(self) -> Iterator[SpineItem]:
        """Spine items that are (X)HTML content documents, in reading order."""
        for item in self.spine:
            if item.media_type in _XHTML_TYPES or item.path.lower().endswith((".xhtml", ".html", ".htm", ".xml")):
                yield item


def _xml(book_name: str, data: bytes, what: str) -> Any:
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedFile(f"{book_name}: the EPUB's {what} is not well-formed XML ({exc.msg})") from exc
    if root is None:
        raise MalformedFile(f"{book_name}: the EPUB's {what} is empty")
    return root


def _find_opf(archive: zipfile.ZipFile, shown: str) -> str:
    names = set(archive.namelist())
    if "META-INF/container.xml" in names:
        try:
            root = etree.fromstring(archive.read("META-INF/container.xml"), parser=_xml_parser())
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise MalformedFile(f"{shown}: META-INF/container.xml cannot be read ({exc}); the EPUB is damaged") from exc
        for rootfile in root.iter(_q("c", "rootfile"), "rootfile"):
            path = (rootfile.get("full-path") or "").lstrip("/")
            if path and path in names:
                return path
    # no (usable) container: some tools write the package document without one
    opfs = sorted(n for n in names if n.lower().endswith(".opf"))
    if opfs:
        return opfs[0]
    raise MalformedFile(f"{shown}: no package document (.opf) in the EPUB; it is not a complete EPUB")


_FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})


def _refuse_drm(archive: zipfile.ZipFile, shown: str) -> None:
    """Encrypted content documents (DRM) cannot be read; obfuscated fonts alone are harmless."""
    try:
        data = archive.read("META-INF/encryption.xml")
    except KeyError:
        return
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise MalformedFile(f"{shown}: META-INF/encryption.xml cannot be read ({exc}); the EPUB is damaged") from exc
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except etree.XMLSyntaxError:
        return
    for enc in root.iter("{*}EncryptedData"):
        method = next(iter(enc.iter("{*}EncryptionMethod")), None)
        algorithm = method.get("Algorithm") if method is not None else None
        if algorithm in _FONT_OBFUSCATION:
            continue
        for ref in enc.iter("{*}CipherReference"):
            uri = (ref.get("URI") or "").lower()
            if uri.endswith((".xhtml", ".html", ".htm", ".xml", ".opf")):
                raise MalformedFile(f"{shown}: the EPUB is encrypted (DRM); ficshelf can only read DRM-free books")


def _metadata(root: Any) -> OpfMetadata:
    md = root.find("opf:metadata", _NS)
    if md is None:
        md = root.find("metadata")
    if md is None:
        return OpfMetadata()

    def dc(name: str) -> list[Any]:
        return list(md.iter(_q("dc", name)))

    def texts(name: str) -> tuple[str, ...]:
        return tuple(t for t in (_clean(e.text) for e in dc(name)) if t)

    creators: list[str] = []
    contributors: list[str] = []
    for e in dc("creator") + dc("contributor"):
        name = _clean("".join(e.itertext()))
        if not name:
            continue
        role = e.get(_q("opf", "role")) or e.get("role")
        if local_name(e.tag) == "creator" and role in (None, "", "aut"):
            creators.append(name)
        else:
            contributors.append(name)
    meta: dict[str, str] = {}
    for e in md.iter(_q("opf", "meta"), "meta"):
        key = e.get("name") or e.get("property")
        value = e.get("content") if e.get("content") is not None else _clean(e.text)
        if key and value and not e.get("refines"):
            meta.setdefault(key, value)
    titles = texts("title")
    langs = texts("language")
    descriptions = [("".join(e.itertext())).strip() for e in dc("description")]
    publishers = texts("publisher")
    return OpfMetadata(
        title=titles[0] if titles else None,
        creators=tuple(creators),
        contributors=tuple(contributors),
        language=langs[0] if langs else None,
        description=next((d for d in descriptions if d), None),
        publisher=publishers[0] if publishers else None,
        subjects=texts("subject"),
        identifiers=tuple(
            (e.get(_q("opf", "scheme")) or e.get("scheme") or "", _clean(e.text)) for e in dc("identifier") if _clean(e.text)
        ),
        sources=texts("source"),
        dates=tuple((e.get(_q("opf", "event")) or e.get("event") or "", _clean(e.text)) for e in dc("date") if _clean(e.text)),
        meta=meta,
    )


def read_opf_metadata(data: bytes, *, filename: str = "") -> OpfMetadata:
    """The Dublin Core metadata of a stand-alone package document (MOBI unpacks write one)."""
    return _metadata(_xml(filename or "the book", data, "package document (OPF)"))


def read_ncx(data: bytes, ncx_path: str, *, filename: str = "") -> tuple[TocEntry, ...]:
    """The entries of an NCX table of contents, paths resolved against ``ncx_path``."""
    return _ncx_toc(filename or "the book", data, ncx_path)


def _ncx_toc(book_name: str, data: bytes, ncx_path: str) -> tuple[TocEntry, ...]:
    root = _xml(book_name, data, "table of contents (NCX)")
    out: list[TocEntry] = []

    def walk(parent: Any, depth: int) -> None:
        for point in parent:
            if local_name(point.tag) != "navpoint":
                continue
            label_el = next((e for e in point.iter() if local_name(e.tag) == "text"), None)
            content = next((e for e in point if local_name(e.tag) == "content"), None)
            if content is not None and content.get("src"):
                path, frag = resolve_href(ncx_path, content.get("src", ""))
                label = _clean("".join(label_el.itertext())) if label_el is not None else ""
                out.append(TocEntry(label=label, path=path, fragment=frag, depth=depth))
            walk(point, depth + 1)

    navmap = next((e for e in root.iter() if local_name(e.tag) == "navmap"), None)
    if navmap is not None:
        walk(navmap, 0)
    return tuple(out)


def _nav_toc(doc: Any, nav_path: str) -> tuple[TocEntry, ...]:
    navs = [e for e in doc.iter() if isinstance(e.tag, str) and e.tag == "nav"]
    nav = next((n for n in navs if (n.get("type") or "").split() and "toc" in (n.get("type") or "").split()), None)
    if nav is None and navs:
        nav = navs[0]
    if nav is None:
        return ()
    out: list[TocEntry] = []

    def walk(ol: Any, depth: int) -> None:
        for li in ol:
            if not isinstance(li.tag, str) or li.tag != "li":
                continue
            a = next((e for e in li if isinstance(e.tag, str) and e.tag == "a"), None)
            if a is not None and a.get("href"):
                path, frag = resolve_href(nav_path, a.get("href", ""))
                out.append(TocEntry(label=_clean("".join(a.itertext())), path=path, fragment=frag, depth=depth))
            for sub in li:
                if isinstance(sub.tag, str) and sub.tag == "ol":
                    walk(sub, depth + 1)

    top = next((e for e in nav.iter() if isinstance(e.tag, str) and e.tag == "ol"), None)
    if top is not None:
        walk(top, 0)
    return tuple(out)


def open_epub(data: bytes, *, filename: str = "") -> EpubBook:
    """Open an EPUB held in memory; raise ``MalformedFile`` when it cannot be read as one."""
    shown = posixpath.basename(filename) or "the EPUB"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise MalformedFile(f"{shown}: not a readable EPUB (the zip archive is truncated or damaged: {exc})") from exc
    _refuse_drm(archive, shown)
    opf_path = _find_opf(archive, shown)
    book = EpubBook(
        filename=shown, archive=archive, opf_path=opf_path, version="", metadata=OpfMetadata(),
        manifest={}, spine=(), toc=(), guide={},
    )
    root = _xml(shown, book.read(opf_path), "package document (OPF)")
    if local_name(root.tag) != "package":
        raise MalformedFile(f"{shown}: {opf_path} is not an EPUB package document")
    manifest: dict[str, ManifestItem] = {}
    for item in root.iter(_q("opf", "item"), "item"):
        item_id, href = item.get("id"), item.get("href")
        if not item_id or not href:
            continue
        path, _ = resolve_href(opf_path, href)
        manifest[item_id] = ManifestItem(
            id=item_id, path=path, media_type=(item.get("media-type") or "").lower(),
            properties=frozenset((item.get("properties") or "").split()),
        )
    spine_el = next((e for e in root if local_name(e.tag) == "spine"), None)
    spine: list[SpineItem] = []
    if spine_el is not None:
        for ref in spine_el:
            if local_name(ref.tag) != "itemref":
                continue
            m = manifest.get(ref.get("idref") or "")
            if m is None:
                continue
            spine.append(SpineItem(
                path=m.path, idref=m.id, linear=(ref.get("linear") or "yes").lower() != "no",
                media_type=m.media_type, properties=m.properties | frozenset((ref.get("properties") or "").split()),
            ))
    if not spine:
        raise MalformedFile(f"{shown}: the EPUB's spine lists no content documents; there is nothing to read")
    guide: dict[str, str] = {}
    for ref in root.iter(_q("opf", "reference"), "reference"):
        if ref.get("type") and ref.get("href"):
            guide.setdefault(ref.get("type", "").lower(), resolve_href(opf_path, ref.get("href", ""))[0])

    book.version = root.get("version") or ""
    book.metadata = _metadata(root)
    book.manifest = manifest
    book.spine = tuple(spine)
    book.guide = guide
    book.toc = _toc(book, spine_el)
    return book


def _toc(book: EpubBook, spine_el: Any) -> tuple[TocEntry, ...]:
    nav = next((m for m in book.manifest.values() if "nav" in m.properties), None)
    if nav is not None and book.has(nav.path):
        try:
            entries = _nav_toc(book.document(nav.path), nav.path)
        except MalformedFile:
            entries = ()
        if entries:
            return entries
    ncx_id = spine_el.get("toc") if spine_el is not None else None
    ncx = book.manifest.get(ncx_id or "") or next(
        (m for m in book.manifest.values() if m.media_type == "application/x-dtbncx+xml"), None
    )
    if ncx is not None and book.has(ncx.path):
        try:
            return _ncx_toc(book.filename, book.read(ncx.path), ncx.path)
        except MalformedFile:
            return ()
    return ()
