"""The layout of a koryu database: its tables (records, reports, the day index, the full-text index, partners'
names, ingest runs, and the logs kept beside them), its version, how a record's rowid orders it within its fiscal
year and series (`sort_rowid`), and the text the full-text index holds for a record (`index_text`)."""

from __future__ import annotations

import datetime as dt

from store import deliveries as delivery_log
from store import entries as entry_log
from store import questions as question_log
from store.normalize import bigrams

# 5: the index folds ー/－ typed for a hyphen, ヶ/ヵ, small vowels and invisible characters (store.normalize);
# 6: an open end (R6.6.17～) runs to the end of its report's fiscal year in the day index.
# 7: the full-text index holds each description's kana reading too (a question in kana finds kanji).
# 8: reports are keyed by (fiscal_year, series): several lists of one year stand side by side; records carry
#    their series, and their rowids a per-series number (sort_rowid).
# 9: records keep what could not be read (`problems`, a file stored with --force) and the spreadsheet row they
#    came from (`source_row`, for .xlsx and CSV reports).
# 10: the question log (store.questions: `questions`, `feedback`) — added beside the rest, nothing re-indexed.
# 11: the earlier questions of each Slack thread (store.questions: `conversations`), for follow-ups — added.
# 12: who recorded an event one at a time, and its note (store.entries: `entries`) — added.
# Bump whenever fold() or the indexing changes, so every stored record is re-indexed by the migration.
SCHEMA_VERSION = 12
ADDITIVE_FROM = 9  # from this version on, an upgrade only adds tables (store.questions.SCHEMA)
SEQ_BITS = 24  # a record's place in its report: up to 16.7 million records per report
MAX_SERIES = 256  # series of one fiscal year (their number takes the 8 bits above SEQ_BITS)


SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS reports (
    fiscal_year INTEGER NOT NULL,
    series TEXT NOT NULL DEFAULT '',
    series_no INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0,
    record_count INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (fiscal_year, series),
    UNIQUE (fiscal_year, series_no)
);
CREATE TABLE IF NOT EXISTS records (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    series TEXT NOT NULL DEFAULT '',
    seq INTEGER NOT NULL,
    municipality TEXT NOT NULL,
    municipality_code TEXT,
    printed_name TEXT NOT NULL,
    description TEXT NOT NULL,
    department TEXT NOT NULL,
    period_text TEXT NOT NULL,
    intervals TEXT NOT NULL,
    start TEXT,
    "end" TEXT,
    approximate INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    source_page INTEGER,
    source_row INTEGER,
    problems TEXT NOT NULL DEFAULT '[]',
    search_text TEXT NOT NULL,
    UNIQUE (id, fiscal_year, series),
    FOREIGN KEY (fiscal_year, series) REFERENCES reports(fiscal_year, series)
);
CREATE INDEX IF NOT EXISTS records_report ON records(fiscal_year, series, seq);
CREATE INDEX IF NOT EXISTS records_series ON records(series);
CREATE INDEX IF NOT EXISTS records_code ON records(municipality_code, start);
CREATE INDEX IF NOT EXISTS records_department ON records(department);
CREATE VIRTUAL TABLE IF NOT EXISTS record_days USING rtree_i32(
    id, first_day, last_day, +record_rowid INTEGER
);
CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(
    description, department, municipality, reading,
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS municipalities (
    key TEXT PRIMARY KEY,
    municipality_code TEXT,
    name TEXT NOT NULL,
    local_name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    prefecture TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    reading TEXT NOT NULL DEFAULT '',
    short_reading TEXT NOT NULL DEFAULT '',
    romaji TEXT NOT NULL DEFAULT '',
    printed_names TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS ingest_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    source TEXT NOT NULL,
    fiscal_year INTEGER,
    status TEXT NOT NULL,
    records INTEGER,
    added INTEGER,
    removed INTEGER,
    changed INTEGER,
    message TEXT NOT NULL DEFAULT ''
);
"""
    + delivery_log.SCHEMA
    + question_log.SCHEMA
    + entry_log.SCHEMA
)


def day_number(iso_date: str) -> int:
    """ "2024-11-15" → proleptic Gregorian ordinal (739205), the R*Tree's integer day axis."""
    return dt.date.fromisoformat(iso_date).toordinal()


def sort_rowid(fiscal_year: int, start: str | None, seq: int, series_no: int = 0) -> int:
    """A record's rowid is its place in display order: newest fiscal year first, then start date, then the
    report (series) and the order printed. So the full-text index (which yields rowids in order) gives the
    first page of a date-ordered answer without sorting every match, and one fiscal year is one rowid range
    whatever its series (store.sql's fiscal-year constraint).

    Layout (63 bits): (3000 - fiscal_year) << 48 | days since 1 April two years before the fiscal year << 32
    | series_no << 24 | seq, where series_no numbers the series of one fiscal year in the order they were
    first stored (0 for the first, so rowids stored before series existed are unchanged). Raises ValueError
    for a fiscal year outside 1000–2999, seq outside 0 – 2^24-1 or series_no outside 0 – MAX_SERIES-1.
    """
    if not 1000 <= fiscal_year <= 2999 or not 0 <= seq < 1 << SEQ_BITS or not 0 <= series_no < MAX_SERIES:
        raise ValueError(f"cannot place record {seq} of fiscal year {fiscal_year} (series {series_no})")
    if start:
        offset = (dt.date.fromisoformat(start) - dt.date(fiscal_year - 2, 4, 1)).days
        offset = min(max(offset, 0), 0xFFFE)
    else:
        offset = 0xFFFF  # undated records last within their year
    return ((3000 - fiscal_year) << 48) | (offset << 32) | (series_no << SEQ_BITS) | seq


def index_text(text: str) -> str:
    """A field as the full-text index stores it: space-separated character bigrams of the folded text, then
    the last character alone — so every character begins some token and a 1-character term is a prefix
    query ("米"* finds 米 before any character and at the end of a field)."""
    grams = bigrams(text)
    if len(grams) > 1 or (grams and len(grams[0]) == 2):
        grams.append(grams[-1][-1])
    return " ".join(grams)
