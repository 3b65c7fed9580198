"""Rendering stays inside Block Kit limits for any records, and nothing echoed can ping or link."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import mrkdwn, render
from store.query import DateRange, Intent, Note, Place, PlaceKind, Query, Term
from store.records import Record
from store.relax import Relaxation
from store.search import Alternative, SearchResult, Summary

LIMITS = dict(blocks=50, section=3000, header=150, fields=10, button_text=75, button_value=2000, context=10, fallback=4000)

any_text = st.text(min_size=0, max_size=4000)
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))


@st.composite
def records(draw):
    a = draw(dates)
    b = draw(st.one_of(st.none(), dates.filter(lambda d: d >= a)))
    return Record(
        fiscal_year=draw(st.integers(2015, 2035)),
        municipality=draw(any_text),
        municipality_code=draw(st.one_of(st.none(), st.from_regex(r"\d{6}", fullmatch=True))),
        printed_name=draw(any_text),
        description=draw(any_text),
        department=draw(any_text),
        period_text=draw(any_text),
        intervals=draw(st.sampled_from([[], [[a.isoformat(), b.isoformat() if b else None]]])),
        approximate=draw(st.booleans()),
        source={"file": "x.pdf", "page": draw(st.integers(1, 999))},
        id="x",
    )


texts = st.text(max_size=300)


@st.composite
def results(draw):
    recs = draw(st.lists(records(), min_size=0, max_size=1000))
    offset = draw(st.integers(0, 5000))
    terms = tuple(Term(t, (t,), tuple(draw(st.lists(texts, max_size=3)))) for t in draw(st.lists(texts, max_size=5)))
    kinds = st.sampled_from(list(PlaceKind))
    places = tuple(Place(n, draw(kinds), frozenset({"123456"})) for n in draw(st.lists(st.text(max_size=200), max_size=5)))
    dates = (DateRange(dt.date(2024, 11, 1), dt.date(2024, 11, 30), "2024年11月"),) if draw(st.booleans()) else ()
    notes = tuple(
        Note(draw(st.sampled_from(["corrected", "former", "other_reading"])), t, t[:50])
        for t in draw(st.lists(st.text(max_size=500), max_size=3))
    )
    q = Query(
        text=draw(st.text(max_size=600)),
        terms=terms,
        places=places,
        dates=dates,
        notes=notes,
        intent=draw(st.sampled_from(list(Intent))),
        count_by=draw(st.sampled_from([None, "month", "municipality"])),
    )
    counts = draw(st.lists(st.tuples(st.text(max_size=200), st.integers(0, 10**6)), max_size=200))
    total = offset + len(recs) + draw(st.integers(0, 10**6)) if draw(st.booleans()) else 0
    parts = st.lists(st.tuples(texts, st.integers(1, 10**6)), max_size=60)
    summary = Summary(
        municipalities=[(n, None, k) for n, k in draw(parts)],
        departments=draw(parts),
        months=[(f"2024-{m:02d}", k) for m, k in draw(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 99)), max_size=12))],
        first="2024-04-01",
        last=draw(st.sampled_from([None, "2025-03-31"])),
        open_ended=draw(st.integers(0, 3)),
        periods=draw(st.integers(0, 40)),
        descriptions=draw(parts),
    )
    relaxed = None
    if draw(st.booleans()) and terms:
        relaxed = Relaxation(draw(st.sampled_from(["unknown_words", "maybe"])), q, dropped=terms[:1], suggestion=draw(texts))
    alternatives = [Alternative(a, a, k) for a, k in draw(st.lists(st.tuples(texts, st.integers(0, 99)), max_size=4))]
    return SearchResult(
        q,
        total,
        recs,
        offset,
        10,
        counts=counts,
        summary=summary,
        relaxed=relaxed,
        alternatives=alternatives,
        suggestions=draw(st.lists(st.text(max_size=100), max_size=3)),
        outside_data=draw(st.booleans()),
        fiscal_years=[2024],
        sample=draw(st.sampled_from(["", "令和６年度交流実績一覧（協定等締結自治体）"])),
    )


def check_blocks(blocks: list[dict]) -> None:
    assert 1 <= len(blocks) <= LIMITS["blocks"]
    for b in blocks:
        if b["type"] == "header":
            assert 0 < len(b["text"]["text"]) <= LIMITS["header"]
        if b["type"] == "section":
            assert 0 < len(b["text"]["text"]) <= LIMITS["section"]
            assert len(b.get("fields", [])) <= LIMITS["fields"]
        if b["type"] == "context":
            assert 0 < len(b["elements"]) <= LIMITS["context"]
            assert all(0 < len(e["text"]) <= LIMITS["section"] for e in b["elements"])
        if b["type"] == "actions":
            for e in b["elements"]:
                assert 0 < len(e["text"]["text"]) <= LIMITS["button_text"]
                assert len(e["value"]) <= LIMITS["button_value"]
    assert len(json.dumps(blocks)) < 200_000


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(results(), st.booleans())
def test_any_result_renders_within_block_kit_limits(result, shareable):
    blocks = render.result_blocks(result, shareable=shareable)
    check_blocks(blocks)
    fallback = render.fallback_text(result)
    assert fallback.strip() and len(fallback) <= LIMITS["fallback"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=5000), st.text(max_size=8000))
def test_text_blocks_within_limits(title, body):
    check_blocks(render.text_blocks(title, body))


HOSTILE = "<!channel> <@U123> <!here> <https://evil.example|click> & &amp; <#C1>"


def test_nothing_echoed_can_ping_or_link():
    r = Record(
        2024,
        HOSTILE,
        None,
        HOSTILE,
        HOSTILE,
        HOSTILE,
        HOSTILE,
        [["2024-11-01", "2024-11-01"]],
        False,
        {"file": "x", "page": 1},
        "x",
    )
    q = Query(
        text=HOSTILE,
        terms=(Term(HOSTILE, (HOSTILE,), (HOSTILE,), place_like=True),),
        places=(Place(HOSTILE, PlaceKind.ABSENT),),
        notes=(Note("corrected", HOSTILE, HOSTILE),),
        intent=Intent.WHAT,
    )
    summary = Summary(municipalities=[(HOSTILE, None, 1)], descriptions=[(HOSTILE, 1)], departments=[(HOSTILE, 1)])
    result = SearchResult(
        q,
        1,
        [r],
        0,
        10,
        counts=[(HOSTILE, 1)],
        summary=summary,
        suggestions=[HOSTILE],
        alternatives=[Alternative(HOSTILE, HOSTILE, 3)],
    )
    out = json.dumps(render.result_blocks(result, shareable=True), ensure_ascii=False) + render.fallback_text(result)
    # a button value is never rendered as text by Slack, so only visible text is checked
    visible = [b for b in render.result_blocks(result) if b["type"] != "actions"]
    text = json.dumps(visible, ensure_ascii=False) + render.fallback_text(result)
    assert "<!" not in text and "<@" not in text and "<http" not in text and "<#" not in text
    assert "&lt;!channel&gt;" in out


def test_unescape_inbound_only_three_entities():
    assert mrkdwn.unescape("A &amp; B &lt;tag&gt; &quot;") == "A & B <tag> &quot;"
    assert mrkdwn.unescape(mrkdwn.escape("<&>")) == "<&>"
