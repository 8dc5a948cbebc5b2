"""Glyph widths of PDF fonts, to measure how wide a piece of extracted text was drawn.

Extracted text is Unicode; widths are per character code. The font's
``/ToUnicode`` map (``bfchar``/``bfrange``) is inverted to go from a character
back to its code, then the width comes from ``/W`` (CID fonts, the ``Type0``
fonts browsers embed) or ``/FirstChar`` + ``/Widths`` (simple fonts). Widths are
in thousandths of the font size. A font without width information gives
``None``, and callers fall back to counting characters.

>>> cmap = b"2 beginbfchar <0003> <0020> <0024> <0041> endbfchar 1 beginbfrange <0044> <0046> <0061> endbfrange"
>>> sorted(parse_to_unicode(cmap).items())
[(' ', 3), ('A', 36), ('a', 68), ('b', 69), ('c', 70)]
>>> cid_widths([3, [250, 333], 10, 12, 500])
{3: 250.0, 4: 333.0, 10: 500.0, 11: 500.0, 12: 500.0}
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FontMetrics", "cid_widths", "metrics_for", "parse_to_unicode"]

_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]")
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)


def _hex_text(h: bytes) -> str:
    raw = bytes.fromhex(re.sub(rb"\s", b"", h).decode("ascii"))
    if len(raw) % 2:
        return raw.decode("latin-1")
    return raw.decode("utf-16-be", errors="ignore")


def _hex_int(h: bytes) -> int:
    digits = re.sub(rb"\s", b"", h)
    return int(digits, 16) if digits else 0


def parse_to_unicode(data: bytes) -> dict[str, int]:
    """Single characters to the code that draws them, from a ToUnicode CMap (first code wins)."""
    out: dict[str, int] = {}

    def put(text: str, code: int) -> None:
        if len(text) == 1:
            out.setdefault(text, code)

    for kind, body in _SECTION.findall(data):
        tokens: list[bytes | None] = []  # hex strings, None for "[" and b"]" for "]"
        for m in _HEX.finditer(body):
            tok = m.group(0)
            tokens.append(m.group(1) if tok.startswith(b"<") else (None if tok == b"[" else b"]"))
        i = 0
        if kind == b"bfchar":
            while i + 1 < len(tokens):
                src, dst = tokens[i], tokens[i + 1]
                if src is not None and dst not in (None, b"]"):
                    put(_hex_text(dst), _hex_int(src))
                i += 2
            continue
        while i + 2 < len(tokens):
            lo, hi, dst = tokens[i], tokens[i + 1], tokens[i + 2]
            if lo is None or hi is None or lo == b"]" or hi == b"]":
                i += 1
                continue
            start, end = _hex_int(lo), _hex_int(hi)
            if dst is None:  # [<d1> <d2> ...]
                j = i + 3
                code = start
                while j < len(tokens) and tokens[j] != b"]":
                    t = tokens[j]
                    if t is not None and code <= end:
                        put(_hex_text(t), code)
                    code += 1
                    j += 1
                i = j + 1
                continue
            base = _hex_text(dst)
            if base and end - start < 65536:
                first = ord(base[-1])
                for k in range(end - start + 1):
                    put(base[:-1] + chr(first + k), start + k)
            i += 3
    return out


def cid_widths(w: Sequence[Any]) -> dict[int, float]:
    """A CID font's ``/W`` array as code -> width: ``c [w1 w2 ...]`` and ``c_first c_last w`` runs."""
    out: dict[int, float] = {}
    i = 0
    items = list(w)
    while i < len(items):
        first = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        if isinstance(nxt, list | tuple):  # pypdf's ArrayObject is a list
            for k, width in enumerate(nxt):
                out[int(first) + k] = float(width)
            i += 2
        elif i + 2 < len(items):
            for code in range(int(first), int(items[i + 1]) + 1):
                out[code] = float(items[i + 2])
            i += 3
        else:
            break
    return out


@dataclass(frozen=True, kw_only=True, slots=True)
class FontMetrics:
    codes: Mapping[str, int]
    widths: Mapping[int, float]
    default: float

    def width(self, text: str, size: float) -> float:
        """Drawn width of ``text`` at ``size`` (in the same units as ``size``)."""
        total = 0.0
        for ch in text:
            code = self.codes.get(ch, ord(ch) if not self.codes else None)
            total += self.widths.get(code, self.default) if code is not None else self.default
        return total * size / 1000.0


def _obj(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def metrics_for(font: Any) -> FontMetrics | None:
    """Width information of a font resource dictionary, or None when it has none usable."""
    from pypdf.errors import PyPdfError

    try:
        font = _obj(font)
        if font is None:
            return None
        codes: dict[str, int] = {}
        tu = font.get("/ToUnicode")
        if tu is not None:
            codes = parse_to_unicode(_obj(tu).get_data())
        if font.get("/Subtype") == "/Type0":
            desc = _obj(_obj(font.get("/DescendantFonts"))[0])
            widths = cid_widths(_obj(desc.get("/W")) or [])
            default = float(desc.get("/DW", 1000))
        else:
            raw = _obj(font.get("/Widths"))
            if not raw:
                return None
            first = int(font.get("/FirstChar", 0))
            widths = {first + k: float(v) for k, v in enumerate(raw)}
            default = sum(widths.values()) / len(widths) if widths else 500.0
        if not widths:
            return None
        return FontMetrics(codes=codes, widths=widths, default=default)
    except (PyPdfError, AttributeError, KeyError, TypeError, ValueError, IndexError):
        return None
