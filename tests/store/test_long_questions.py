"""A long question without spaces (a paste, a run of 草) is read in work that grows gently with its length:
counted in SQL statements and in spans folded, not timed (benchmarks time things)."""

from __future__ import annotations

import pytest

from store.query import stages

pytestmark = pytest.mark.slow  # processes and files: the fast lane (make test-fast) leaves them to CI

LONG = {
    "repeated name": "金沢" * 1000,
    "kanji": "".join(chr(0x4E00 + i * 7) for i in range(2000)),
    "hiragana": "あいうえお" * 400,
}


@pytest.mark.parametrize("text", LONG.values(), ids=LONG.keys())
def test_long_run_without_spaces_costs_little(ingested, monkeypatch, text):
    ingested.ask("金沢市")  # the lexicon and caches, built once
    statements = []
    ingested.conn.set_trace_callback(statements.append)
    folds = []
    original = stages.State.folded
    monkeypatch.setattr(stages.State, "folded", lambda self, i, j: folds.append(j - i) or original(self, i, j))
    try:
        result = ingested.ask(text)
    finally:
        ingested.conn.set_trace_callback(None)
    assert len(result.records) == min(result.total, 20) and isinstance(result.answered.label(), str)
    # each grows with the number of words times a bounded span; all spans of 1,000 words would be ~500,000
    assert len(statements) < 60_000, len(statements)
    assert len(folds) < 60_000, len(folds)


def test_a_long_question_still_finds_its_records(ingested):
    assert ingested.ask("金沢" * 1000).total > 0
    assert ingested.ask("給食に関する交流を教えてください" * 100).total > 0
