"""The era period grammar: a table of real-looking periods, and properties checked with hypothesis."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.periods import parse_period

D = dt.date

TABLE = [
    # (text, fiscal year context, intervals, approximate)
    ("R6.4", 2024, [("2024-04-01", "2024-04-30")], False),
    ("R6.7.5", 2024, [("2024-07-05", "2024-07-05")], False),
    ("R6.5.30～5.31", 2024, [("2024-05-30", "2024-05-31")], False),
    ("R6.7.5～10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.11.20~11.23", 2024, [("2024-11-20", "2024-11-23")], False),
    ("R6.11.20〜11.23", 2024, [("2024-11-20", "2024-11-23")], False),
    ("R6.11.20-11.23", 2024, [("2024-11-20", "2024-11-23")], False),
    ("R6.11.20－11.23", 2024, [("2024-11-20", "2024-11-23")], False),
    ("R6.4.1～R7.3.31", 2024, [("2024-04-01", "2025-03-31")], False),
    ("R6.10.12～1.13", 2024, [("2024-10-12", "2025-01-13")], False),
    ("R6.11.27～12.1", 2024, [("2024-11-27", "2024-12-01")], False),
    ("R6.3.26～4.21", 2024, [("2024-03-26", "2024-04-21")], False),
    ("R7.1～2", 2024, [("2025-01-01", "2025-02-28")], False),
    ("R6.10～12", 2024, [("2024-10-01", "2024-12-31")], False),
    ("R6.12～R7.2", 2024, [("2024-12-01", "2025-02-28")], False),
    ("R6.6.17～", 2024, [("2024-06-17", None)], False),
    ("R6.7.2発行", 2024, [("2024-07-02", "2024-07-02")], False),
    ("R6.5.24承認受け", 2024, [("2024-05-24", "2024-05-24")], False),
    ("R6.11.22前後", 2024, [("2024-11-22", "2024-11-22")], True),
    ("R6.11.22頃", 2024, [("2024-11-22", "2024-11-22")], True),
    ("R6.10.23（昭和小）", 2024, [("2024-10-23", "2024-10-23")], False),
    ("R6.10.23（昭和小）\nR6.10～12", 2024, [("2024-10-23", "2024-10-23"), ("2024-10-01", "2024-12-31")], False),
    ("R6.4.25～10.11\nR6.6～10移動教室", 2024, [("2024-04-25", "2024-10-11"), ("2024-06-01", "2024-10-31")], False),
    (
        "R7.2.22・3.2・3.8",
        2024,
        [("2025-02-22", "2025-02-22"), ("2025-03-02", "2025-03-02"), ("2025-03-08", "2025-03-08")],
        False,
    ),
    (
        "R6.10.26、11.2、11.16",
        2024,
        [("2024-10-26", "2024-10-26"), ("2024-11-02", "2024-11-02"), ("2024-11-16", "2024-11-16")],
        False,
    ),
    ("R6.10.12～10.13・10.19～10.20", 2024, [("2024-10-12", "2024-10-13"), ("2024-10-19", "2024-10-20")], False),
    ("R7.2.8～2.9・2.11", 2024, [("2025-02-08", "2025-02-09"), ("2025-02-11", "2025-02-11")], False),
    ("R6.12.20・1.10", 2024, [("2024-12-20", "2024-12-20"), ("2025-01-10", "2025-01-10")], False),
    ("Ｒ６．１１．１５～１１．１６", 2024, [("2024-11-15", "2024-11-16")], False),
    ("R６.７.５", 2024, [("2024-07-05", "2024-07-05")], False),
    ("令和6年7月5日", 2024, [("2024-07-05", "2024-07-05")], False),
    ("令和6年7月5日～10月6日", 2024, [("2024-07-05", "2024-10-06")], False),
    ("令和元年5月1日", 2019, [("2019-05-01", "2019-05-01")], False),
    ("R1.5.1～R2.3.31", 2019, [("2019-05-01", "2020-03-31")], False),
    ("R元.10.1", 2019, [("2019-10-01", "2019-10-01")], False),
    ("H31.4.1～R1.5.31", 2019, [("2019-04-01", "2019-05-31")], False),
    ("平成30年12月1日", 2018, [("2018-12-01", "2018-12-01")], False),
    ("H30.12.1～1.31", 2018, [("2018-12-01", "2019-01-31")], False),
    ("R6年度", 2024, [("2024-04-01", "2025-03-31")], False),
    ("令和6年度", 2024, [("2024-04-01", "2025-03-31")], False),
    ("2024年11月15日", 2024, [("2024-11-15", "2024-11-15")], False),
    ("2024/11/15～2024/11/16", 2024, [("2024-11-15", "2024-11-16")], False),
    ("11月15日～16日", 2024, [("2024-11-15", "2024-11-16")], False),
    ("2月3日", 2024, [("2025-02-03", "2025-02-03")], False),
    ("R6.7.5～10", 2024, [("2024-07-05", "2024-07-10")], False),
    ("R6.11上旬", 2024, [("2024-11-01", "2024-11-10")], True),
    ("R6.11中旬～12下旬", 2024, [("2024-11-11", "2024-12-31")], True),
    ("R6.8.1～8.30\n(予定)", 2024, [("2024-08-01", "2024-08-30")], False),
    ("R6.10.3・10.10・\n10.17・10.24", 2024, [(f"2024-10-{d:02d}", f"2024-10-{d:02d}") for d in (3, 10, 17, 24)], False),
    ("R8.2.29", 2025, [], False),  # not a date (2026 is not a leap year): kept as text, reported
    ("随時", 2024, [], False),  # "as needed": no days, kept as text
    # the whole fiscal year, said in a word (a note in brackets aside); without a fiscal year, no dates
    ("通年", 2024, [("2024-04-01", "2025-03-31")], False),
    ("年間", 2024, [("2024-04-01", "2025-03-31")], False),
    ("通年（月1回）", 2024, [("2024-04-01", "2025-03-31")], False),
    ("年度内", 2025, [("2025-04-01", "2026-03-31")], False),
    ("通年", None, [], False),
    ("未定", 2024, [], False),
    # as people type them: weekdays in parentheses, spaces around the range mark, ー/－/−/‐ as the range mark
    ("R6.7.5(金)～10.6(日)", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5（金）～R6.10.6（日）", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5(金・祝)～7.6(土)", 2024, [("2024-07-05", "2024-07-06")], False),
    ("R6.7.5（金曜日）", 2024, [("2024-07-05", "2024-07-05")], False),
    ("R6.7.5 ～ 10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5　～　10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5 ～", 2024, [("2024-07-05", None)], False),
    ("R6.7.5ー10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5－10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5−10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5‐10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.7.5 ー R6.10.6", 2024, [("2024-07-05", "2024-10-06")], False),
    ("R6.11.16(土)ー18(月)", 2024, [("2024-11-16", "2024-11-18")], False),
]


@pytest.mark.parametrize("text,fy,intervals,approx", TABLE)
def test_period_table(text, fy, intervals, approx):
    p = parse_period(text, fy)
    assert p.iso_intervals() == [list(i) for i in intervals], p
    assert p.approximate == approx
    assert p.parsed == bool(intervals)
    if not intervals:
        assert p.problems  # reported, never silently dropped
    assert p.text == text


def test_table_is_big_enough():
    assert len(TABLE) >= 40


# ------------------------------------------------------------------------------------------ properties
FW = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def periods(draw):
    """A structured period inside one fiscal year, and its compact era rendering."""
    fy = draw(st.integers(2019, 2030))
    start = D(fy, 4, 1)
    days = sorted(draw(st.lists(st.integers(0, 363), min_size=1, max_size=8, unique=True)))
    items, text_items = [], []
    prev = None
    i = 0
    while i < len(days):
        a = start + dt.timedelta(days=days[i])
        is_range = i + 1 < len(days) and draw(st.booleans())
        b = start + dt.timedelta(days=days[i + 1]) if is_range else a
        i += 2 if is_range else 1
        if prev is not None and (a.month == prev.month and a.year != prev.year):
            continue

        def fmt(d: dt.date, first: bool) -> str:
            if first:
                return f"R{d.year - 2018}.{d.month}.{d.day}"
            return f"{d.month}.{d.day}"

        first = not items
        s = fmt(a, first)
        if is_range:
            s += draw(st.sampled_from(["～", "〜", "~"])) + fmt(b, False)
        items.append((a, b))
        text_items.append(s)
        prev = b
    text = draw(st.sampled_from(["・", "、"])).join(text_items)
    note = draw(st.sampled_from(["", "発行", "承認受け", "（昭和小）", "前後"]))
    text += note
    if draw(st.booleans()):
        text = text.translate(FW)
    return fy, text, items, note == "前後"


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(periods())
def test_rendered_periods_parse_back(case):
    fy, text, items, approx = case
    p = parse_period(text, fy)
    assert [(a, b) for a, b in p.intervals] == items, text
    assert p.approximate == approx
    assert p.parsed


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.integers(1989, 2040)))
def test_any_text_never_raises_and_is_ordered(text, fy):
    p = parse_period(text, fy)
    for a, b in p.intervals:
        assert b is None or a <= b
    assert p.parsed or p.problems


@settings(max_examples=200, deadline=None)
@given(st.integers(2019, 2040), st.integers(1, 12))
def test_month_only_covers_the_whole_month(year, month):
    p = parse_period(f"R{year - 2018}.{month}")
    ((a, b),) = p.intervals
    assert a == D(year, month, 1) and (b + dt.timedelta(days=1)).day == 1 and b.month == month
