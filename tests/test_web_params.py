"""The library page's URL parameters -> ``Query`` (``ficshelf.web.params``), and
the pure helpers of the web package (rendering, claims, preferences)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ficshelf.errors import InputError, QueryError, StoreError
from ficshelf.model import ArchiveWarning, Category, Rating
from ficshelf.web.claims import agrees, claims_from_analysis
from ficshelf.web.params import parse_filters
from ficshelf.web.prefs import Prefs, tag_matches_block
from ficshelf.web.render import Mark, paragraph_spans, render_markup, render_text


def test_tags_and_closed_sets() -> None:
    f = parse_filters([("inc", "fandom:A"), ("inc", "freeform:B"), ("exc", "character:C"),
                       ("other_inc", "D, E"), ("other_exc", "F"), ("rating", "teen"),
                       ("warning", "Major Character Death"), ("category", "m/m")])
    q = f.query
    assert q.include == ("fandom:A", "freeform:B", "D", "E")
    assert q.exclude == ("character:C", "F")
    assert q.ratings == (Rating.TEEN,) and q.warnings == (ArchiveWarning.MAJOR_CHARACTER_DEATH,)
    assert q.categories == (Category.MM,)


def test_ranges_dates_and_flags() -> None:
    q = parse_filters([("words_from", "1,000"), ("words_to", "2.5k"), ("date_from", "2020-03"),
                       ("date_to", "2021"), ("complete", "F"), ("lang", "English")]).query
    assert q.words == (1000, 2500)
    assert q.updated == (dt.date(2020, 3, 1), dt.date(2021, 12, 31))
    assert q.complete is False and q.language == "English"


def test_sort_order_and_paging() -> None:
    q = parse_filters([("sort", "title"), ("page", "3"), ("per_page", "50")]).query
    assert (q.sort, q.descending, q.page, q.per_page) == ("title", False, 3, 50)
    assert parse_filters([("sort", "title"), ("order", "desc")]).query.descending is True
    # an inline sort in q wins unless a sort parameter is given
    assert parse_filters([("q", "sort:>words")]).query.sort == "words"
    assert parse_filters([("q", "sort:>words"), ("sort", "kudos")]).query.sort == "kudos"
    assert parse_filters([("per_page", "100000")]).query.per_page == 200


def test_blocklist_and_show_blocked() -> None:
    assert parse_filters([], blocklist=("freeform:Gore", "Spiders")).query.exclude == (
        "freeform:Gore", "tag:Spiders")
    assert parse_filters([("blocked", "show")], blocklist=("Spiders",)).query.exclude == ()


@pytest.mark.parametrize("pairs", [[("words_from", "many")], [("date_to", "yesterday")],
                                   [("rating", "PG-13")], [("sort", "sideways")],
                                   [("page", "two")], [("q", "words>lots")]])
def test_bad_values_raise_query_errors(pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(QueryError):
        parse_filters(pairs)


def test_urls_keep_state_and_drop_the_page() -> None:
    f = parse_filters([("inc", "fandom:A B"), ("sort", "kudos"), ("page", "4"), ("junk", "x")])
    assert f.url() == "?inc=fandom%3AA+B&sort=kudos"
    assert f.url(page=5) == "?inc=fandom%3AA+B&sort=kudos&page=5"
    assert f.without("inc", "fandom:A B") == "?sort=kudos"
    assert f.with_added("exc", "freeform:C") == "?inc=fandom%3AA+B&exc=freeform%3AC&sort=kudos"
    assert f.saved_query == "inc=fandom%3AA+B&sort=kudos"
    assert f.is_filtered and not parse_filters([("sort", "title")]).is_filtered


def test_render_text_marks_across_paragraphs() -> None:
    text = "One two.\n\nThree four.\n\n* * *\n\nFive."
    html = str(render_text(text, [Mark(4, 15, "ev-0")]))
    assert html.split("\n")[0] == '<p id="p0">One <mark class="evidence" id="ev-0">two.</mark></p>'
    assert html.split("\n")[1] == '<p id="p1"><mark class="evidence">Three</mark> four.</p>'
    assert 'class="scene-break"' in html
    assert paragraph_spans(text)[1] == (10, 21)


def test_render_markup_cleans_and_numbers() -> None:
    html = str(render_markup('<div><p>A</p><p title="t">B<img src="javascript:x" onerror="y"></p></div>'))
    assert html == '<div><p id="p0">A</p><p title="t" id="p1">B<img></p></div>'


def test_claims_tolerate_shapes_and_check_offsets() -> None:
    text = "Ann met Ben. They laughed."
    data = {
        "relationships": [{"characters": ["Ann", "Ben"], "kind": "platonic",
                           "evidence": [{"chapter": 1, "start": 0, "end": 12, "text": "Ann met Ben."}]}],
        "warnings": ["No Archive Warnings Apply"],
        "rating": {"value": "General Audiences", "evidence": [
            {"chapter": 1, "start": 99, "end": 120, "text": "They laughed."}]},  # stale offsets
        "characters": [{"name": "Ann", "aliases": ["Ann", "Annie"], "mentions": 1, "role": "main",
                        "evidence": [{"chapter": 2, "start": 0, "end": 3, "text": "Ann"}]}],
    }
    claims = {c.key: c for c in claims_from_analysis(data, {1: text})}
    assert claims["relationship-0"].label == "Ann & Ben"
    assert claims["warning-0"].label == "No Archive Warnings Apply" and not claims["warning-0"].evidence
    rating = claims["rating"].evidence[0]
    assert (rating.start, rating.end) == (13, 26)  # found by its quote
    assert claims["character-0"].evidence[0].start is None  # no chapter 2: quoted only
    assert "also Annie" in claims["character-0"].detail
    assert agrees(claims["relationship-0"], ["Ben & Ann"])
    assert not agrees(claims["relationship-0"], ["Ann/Carl"])


def test_the_point_of_view_claim_names_every_narrator() -> None:
    text = "I burn the toast. I eat it anyway."
    ev = [{"chapter": 1, "start": 0, "end": 17, "text": "I burn the toast."}]
    told = {"pov": {"person": "first", "narrator": "Wren", "narrators": ["Wren", "Tamsin"],
                    "evidence": ev}}
    unnamed = {"pov": {"person": "first", "narrator": "Narrator", "evidence": ev}}
    labels = [[c.label for c in claims_from_analysis(d, {1: text}) if c.key == "pov"]
              for d in (told, unnamed)]
    assert labels == [["First person, narrated by Wren and Tamsin"], ["First person"]]


def test_prefs_persist_and_validate(tmp_path: Path) -> None:
    prefs = Prefs(tmp_path)
    prefs.block("freeform:Angst")
    prefs.block("freeform:angst")  # the same tag, folded
    prefs.block("Spiders")
    assert prefs.blocklist() == ("freeform:Angst", "Spiders")
    assert tag_matches_block("character", "spiders", prefs.blocklist())
    assert not tag_matches_block("fandom", "Angst", prefs.blocklist())
    prefs.unblock("FREEFORM:ANGST")
    assert Prefs(tmp_path).blocklist() == ("Spiders",)
    with pytest.raises(InputError):
        prefs.block("   ")
    with pytest.raises(InputError):
        prefs.save_filter("", "x=1")
    prefs.save_filter("Mine", "a=1")
    prefs.save_filter("mine", "a=2")  # replaced by name
    assert [(f.name, f.query) for f in Prefs(tmp_path).filters()] == [("mine", "a=2")]
    (tmp_path / "web-prefs.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(StoreError, match="not valid JSON"):
        Prefs(tmp_path)
