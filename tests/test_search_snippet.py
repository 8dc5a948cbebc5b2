"""Snippets: the scan that stops at the first window holding every term gives
exactly the snippet that reading every match first gave (the earlier
implementation is kept here as the reference), on random texts and terms."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from ficshelf.search import snippet
from ficshelf.search.snippet import make_snippet

WORDS = ("rain", "Rain", "snow", "didn’t", "didnt", "latón", "laton", "dragon", "dragons",
         "drag", "go", "where", "the", "a", "kettle", "Kettle")
SEPARATORS = (" ", " ", " ", ", ", ". ", "\n\n", " — ", "'", "-", "_")


def reference(fields: Sequence[str | None], terms: Sequence[str], words: int = 32) -> str | None:
    """The snippet as made before the early stop: every match (up to the cap)
    first, then the best window over them."""
    pattern = snippet._compile(tuple(terms))
    if pattern is None:
        return None
    width = words * 6
    best: tuple[str, list[tuple[int, int, str]], tuple[int, int, int]] | None = None
    for text in fields:
        if not text:
            continue
        matches = [(m.start(), m.end(), m.lastgroup or "") for m in pattern.finditer(text)]
        matches = matches[:snippet._MAX_MATCHES]
        if not matches:
            continue
        window = (0, 0, 0)
        counts: dict[str, int] = {}
        lo = 0
        for hi, (start, _end, name) in enumerate(matches):
            counts[name] = counts.get(name, 0) + 1
            while start - matches[lo][0] > width:
                counts[matches[lo][2]] -= 1
                if not counts[matches[lo][2]]:
                    del counts[matches[lo][2]]
                lo += 1
            if len(counts) > window[2]:
                window = (lo, hi, len(counts))
        if best is None or window[2] > best[2][2]:
            best = (text, matches, window)
    if best is None:
        return None
    text, matches, (lo, hi, _n) = best
    left, right = snippet._expand(text, matches[lo][0], matches[hi][1], words)
    out = ["…"] if left > 0 else []
    pos = left
    for start, end, _name in matches[lo:]:
        if start >= right:
            break
        if start < pos:
            continue
        out += [html.escape(text[pos:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        pos = end
    out.append(html.escape(text[pos:max(pos, right)]))
    if right < len(text):
        out.append("…")
    return re.sub(r"\s+", " ", "".join(out)).strip()


texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=120).map(
    lambda parts: "".join(w + sep for w, sep in parts))
terms = st.lists(st.one_of(
    st.sampled_from(["rain", "snow", "didnt", "laton", "dragon*", "drag", "go where", "the",
                     "kettle", "rain snow", "absent", "the*"])), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(fields=st.lists(st.one_of(st.none(), texts), min_size=1, max_size=4), query=terms,
       words=st.sampled_from([4, 8, 32]))
def test_early_stop_gives_the_same_snippet(fields: list[str | None], query: list[str],
                                           words: int) -> None:
    assert make_snippet(fields, query, words=words) == reference(fields, query, words)


def test_a_common_word_in_a_long_text_stops_at_the_first_window() -> None:
    text = "The kettle sang. " + "rain and snow, " * 50_000
    assert make_snippet([text], ["kettle", "rain"]) == reference([text], ["kettle", "rain"])
    assert "<mark>kettle</mark>" in (make_snippet([text], ["kettle", "rain"]) or "")
