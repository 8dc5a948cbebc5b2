"""LitBank proper-name person mentions: the pipeline's name mentions against ``PROP_PER``.

A predicted mention is every mention of a cluster the pipeline judged to be a
person, and of a family it names by a plural ("the Musgroves": LitBank's
``PROP_PER`` covers named groups of people). Scores are given for exact spans and for overlapping spans (one gold
span per predicted one), micro-averaged per split.

``score_narrators``: how often a first-person narrator whom the text names
is named, against the narrator of LitBank's coreference chains.

LitBank's text is tokenised ("Ossie , where is it ? ”"); the
pipeline reads text as people write it, so each excerpt is detokenised first
(``detokenize``) and the predicted spans are mapped back to LitBank's offsets.

>>> capitalisation_baseline("The day began . Later , Anne met Mr. Elliot in Bath .")
[(24, 28), (33, 43), (47, 51)]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ficshelf.evaluate.data import LitbankDoc
from ficshelf.evaluate.scores import cluster_spans, span_prf
from ficshelf.understand.analysis import PointOfView
from ficshelf.understand.cast import Cast
from ficshelf.understand.document import Document
from ficshelf.understand.keys import CAST, CHARACTERS, POV
from ficshelf.understand.mentions import UPPER, sentence_initial
from ficshelf.understand.names import TITLES
from ficshelf.understand.run import core_pipeline

__all__ = ["capitalisation_baseline", "detokenize", "pipeline_spans", "score_litbank",
           "score_narrators", "span_errors"]

_CAP_RUN = re.compile(rf"[{UPPER}][\w'’-]*(?:\.? [{UPPER}][\w'’-]*)*")


def capitalisation_baseline(text: str) -> list[tuple[int, int]]:
    """Every run of capitalised words that does not start a sentence (the plain rule)."""
    return [m.span() for m in _CAP_RUN.finditer(text) if not sentence_initial(text, m.start())
            and m.group() != "I"]


_ATTACH_LEFT = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "”", "’", "%", "…", "...",
                          "'s", "’s", "n't", "n’t", "'re", "’re", "'ve", "’ve", "'ll", "’ll",
                          "'d", "’d", "'m", "’m", "'"})
_ATTACH_RIGHT = frozenset({"(", "[", "{", "“", "‘"})


def detokenize(text: str) -> tuple[str, list[int]]:
    """Text with spaces before punctuation and inside quotes removed, and for
    each character of it, its offset in ``text`` (one more entry for the end).

    >>> text = '" Well , Ossie , what is it ? " he said .'
    >>> clean, where = detokenize(text)
    >>> clean
    '"Well, Ossie, what is it?" he said.'
    >>> text[where[7]:where[12 - 1] + 1]
    'Ossie'
    """
    out: list[str] = []
    where: list[int] = []
    quote_open = False
    for line in re.finditer(r"[^\n]*\n?", text):
        if not line.group():
            continue
        glue = True
        for tok in re.finditer(r"\S+", line.group()):
            t = tok.group()
            attach = t in _ATTACH_LEFT
            if t == '"':
                attach = quote_open
            if not glue and not attach:
                out.append(" ")
                where.append(line.start() + tok.start() - 1)
            for k, ch in enumerate(t):
                out.append(ch)
                where.append(line.start() + tok.start() + k)
            glue = t in _ATTACH_RIGHT
            if t == '"':
                glue = not quote_open
                quote_open = not quote_open
        if line.group().endswith("\n"):
            out.append("\n")
            where.append(line.end() - 1)
    where.append(len(text))
    return "".join(out), where


@functools.lru_cache(maxsize=256)
def _analysed(text: str) -> tuple[list[int], Document]:
    """One excerpt detokenised and run through the core pipeline (text only: the
    name and point-of-view layers are all LitBank scores), once for every score."""
    clean, where = detokenize(text)
    return where, core_pipeline().run(Document.from_texts(clean))


def pipeline_spans(text: str) -> list[tuple[int, int]]:
    """The pipeline's person-name mentions in LitBank's (tokenised) offsets."""
    where, doc = _analysed(text)
    cast = doc.need(CAST, Cast)
    return [(where[s], where[e - 1] + 1) for s, e in cluster_spans((*cast.people, *cast.groups))]


def _words(names: Iterable[str]) -> set[str]:
    return {w.casefold() for n in names for w in re.findall(r"[^\W\d_]{2,}", n)
            if w not in TITLES}


def score_narrators(docs: Sequence[LitbankDoc]) -> dict[str, Any]:
    """First-person narrators named, per split, on the excerpts the pipeline reads
    as first person and LitBank's coreference gives a narrator (``data.litbank_narrator``).

    ``named``: the pipeline names the narrator (not ``Narrator``); ``named_right``:
    a word of that character's names is a word of the narrator's gold names;
    ``gold_named``: the gold narrator has a name in the excerpt. Precision is
    ``named_right / named`` (a name given where the gold chain has none counts as
    wrong), recall ``named_right / gold_named``.
    """
    totals: dict[str, dict[str, int]] = {}
    for d in docs:
        if d.narrator is None:
            continue
        _where, doc = _analysed(d.text)
        pov = doc.need(POV, PointOfView)
        if pov.person != "first":
            continue
        t = totals.setdefault(d.split, {"first_person": 0, "gold_named": 0, "named": 0,
                                        "named_right": 0})
        t["first_person"] += 1
        t["gold_named"] += bool(d.narrator)
        if pov.narrator and pov.narrator != "Narrator":
            t["named"] += 1
            me = next((c for c in doc.get(CHARACTERS) if c.name == pov.narrator), None)
            mine = _words(me.aliases if me is not None else (pov.narrator,))
            t["named_right"] += bool(mine & _words(d.narrator))
    return {split: {**t, "precision": round(t["named_right"] / t["named"], 4) if t["named"]
                    else None,
                    "recall": round(t["named_right"] / t["gold_named"], 4) if t["gold_named"]
                    else None}
            for split, t in sorted(totals.items())}


def _prf(t: dict[str, int], key: str) -> dict[str, float | None]:
    p = t[key] / t["pred"] if t["pred"] else None
    r = t[key] / t["gold"] if t["gold"] else None
    f = 2 * p * r / (p + r) if p and r else None
    return {"precision": round(p, 4) if p is not None else None,
            "recall": round(r, 4) if r is not None else None,
            "f1": round(f, 4) if f is not None else None}


def score_litbank(docs: Sequence[LitbankDoc], *,
                  spans: Callable[[str], list[tuple[int, int]]] = pipeline_spans
                  ) -> dict[str, Any]:
    totals: dict[str, dict[str, int]] = {}
    for d in docs:
        counts = span_prf(d.people, spans(d.text))
        t = totals.setdefault(d.split, {"docs": 0, "gold": 0, "pred": 0, "exact": 0, "overlap": 0})
        t["docs"] += 1
        for k, v in counts.items():
            t[k] += v
    return {split: {"docs": t["docs"], "gold": t["gold"], "pred": t["pred"],
                    "exact": _prf(t, "exact"), "overlap": _prf(t, "overlap")}
            for split, t in sorted(totals.items())}


def span_errors(docs: Sequence[LitbankDoc], *, split: str = "dev", width: int = 30,
                spans: Callable[[str], list[tuple[int, int]]] = pipeline_spans
                ) -> list[dict[str, str]]:
    """Diagnostics (no score): every predicted span that is not a gold one and every
    gold span not predicted, in one split, with its context. ``kind`` is
    ``boundary`` when the span overlaps one of the other side (a title, a modifier
    or an "of" phrase in or out), else ``spurious`` (predicted) or ``missed`` (gold).

    >>> doc = LitbankDoc("d", "dev", "Then old Tom met Ann in Bath .", ((5, 12), (17, 20)))
    >>> [(e["kind"], e["span"]) for e in span_errors([doc], spans=capitalisation_baseline)]
    [('boundary', 'old Tom'), ('boundary', 'Tom'), ('spurious', 'Bath')]
    """
    found: list[tuple[str, int, int, dict[str, str]]] = []
    for d in docs:
        if d.split != split:
            continue
        gold, pred = set(d.people), set(spans(d.text))
        for side, mine, theirs, alone in (("predicted", pred - gold, gold, "spurious"),
                                          ("gold", gold - pred, pred, "missed")):
            for a, b in sorted(mine):
                touching = any(x < b and y > a for x, y in theirs)
                found.append((d.id, a, b, {
                    "doc": d.id, "side": side, "kind": "boundary" if touching else alone,
                    "span": d.text[a:b],
                    "context": (d.text[max(0, a - width):a] + "[" + d.text[a:b] + "]"
                                + d.text[b:b + width]).replace("\n", " ")}))
    found.sort(key=lambda f: f[:3])
    return [f[3] for f in found]
