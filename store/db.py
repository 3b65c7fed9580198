"""The SQLite store: records, reports, ingest runs, municipalities' names and readings, the full-text index.
One file, WAL mode. Beside them, in the same file: the question log (store.questions) and the Slack
deliveries already handled (store.deliveries).

sqlite-utils gives table creation, upserts and FTS housekeeping; the SQL that matters (search, atomic replace)
is written out here so a test can read it. Rejected: SQLAlchemy (an ORM layer for eight tables and one
search query is weight without benefit).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from store import deliveries as delivery_log
from store import entries as entry_log
from store import questions as question_log
from store import search as searching
from store import sql
from store.connection import Connection, StoreError, busy, is_locked
from store.faults import fault_point
from store.normalize import fold
from store.query import Lexicon, Query, parse
from store.query.lexicon import home_municipality
from store.query.tokenizer import reading_of
from store.records import Record
from store.schema import ADDITIVE_FROM, MAX_SERIES, SCHEMA, SCHEMA_VERSION, day_number, index_text, sort_rowid
from store.search import SearchResult

if TYPE_CHECKING:
    import sqlite_utils

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000


PARSED_KEPT = 256  # questions whose reading a store keeps (Store.parse)


class NotADatabase(StoreError):
    """The file is not a koryu database (not SQLite, damaged, or made by a newer koryu), or cannot be opened."""


@dataclass
class Diff:
    """What replacing one report's records (one fiscal year and series) changed. Lists hold record ids."""

    fiscal_year: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    series: str = ""

    @property
    def is_noop(self) -> bool:
        return not (self.added or self.removed or self.changed)


def why_unusable(path: str, e: sqlite3.DatabaseError) -> str:
    """One line saying why the database at `path` cannot be used: a full disk, a folder or file that cannot be
    written (when the file is fine otherwise), or a file that is not a koryu database."""
    text = str(e).lower()
    folder = Path(path).parent
    if "disk is full" in text or ("disk i/o" in text and _disk_full(folder)):
        return f"{path}: ディスクがいっぱいです / the disk is full ({e})"
    if "disk i/o" in text:
        return f"{path}: ディスクに書き込めません（空きがないか入出力エラー） / cannot write to the disk: full or failing ({e})"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        if not os.access(folder, os.W_OK):
            return f"{path}: フォルダ {folder} に書き込めません / the folder {folder} is not writable ({e})"
        if Path(path).exists() and not os.access(path, os.W_OK):
            return f"{path}: ファイルに書き込めません / the file is not writable ({e})"
    return f"{path}: koryu のデータベースではありません / not a koryu database ({e})"


def _disk_full(folder: Path) -> bool:
    try:
        usage = shutil.disk_usage(folder)
    except OSError:
        return False
    return usage.free < 1024 * 1024


class Store(Connection):
    """One koryu database. Create with `store.open(path)`.

    Records are replaced a report at a time — one fiscal year and series (`replace_report`) — in one
    transaction, so readers see the old report or the new one, never a mix; the other series of that year
    stay as they are. Reads never block on a writer (WAL).
    """

    def __init__(self, path: str | Path):
        """Open or create the database. Raises NotADatabase (one line) for a file that is not one, or a
        path that cannot be opened; StoreBusy when it stays locked."""
        self.path = str(path)
        self._db: sqlite_utils.Database | None = None
        self._lexicon_cache: tuple | None = None
        self._parsed: dict[tuple[str, tuple[str, ...]], Query] = {}
        self._parsed_for: Lexicon | None = None
        folder = Path(self.path).parent
        if self.path != ":memory:" and not folder.is_dir():
            raise NotADatabase(f"{self.path}: フォルダ {folder} がありません / the folder {folder} does not exist")
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as e:
            raise NotADatabase(f"{self.path}: データベースを開けません / cannot open the database ({e})") from None
        self.conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.path != ":memory:":
                try:
                    self.retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
                except sqlite3.OperationalError as e:
                    if "readonly" not in str(e):
                        raise  # a read-only file or folder: readers still work in its current journal mode
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self.retry_locked(self._ensure_schema)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as e:
            conn.close()
            raise NotADatabase(why_unusable(self.path, e)) from None

    @property
    def db(self) -> sqlite_utils.Database:
        """The same connection as a sqlite-utils Database (table listings and row helpers); made on first
        use, since importing sqlite-utils and loading its plugins takes ~150 ms a one-shot `koryu ask` never needs."""
        if self._db is None:
            import sqlite_utils  # imported here: it costs ~100 ms, and most answers never touch it

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------ schema
    def _ensure_schema(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise NotADatabase(f"{self.path}: 新しい koryu で作られたデータベースです / made by a newer koryu (schema {version})")
        if version >= ADDITIVE_FROM:
            self._add_tables()
            return
        if version >= 1:
            self._migrate(version)
            return
        with self.transaction() as conn:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _add_tables(self) -> None:
        """Upgrade a database of schema ADDITIVE_FROM or later: create the tables added since, in one
        transaction. A read-only file stays as it is (its records still answer; the log is not written)."""
        try:
            with self.transaction() as conn:
                for statement in (question_log.SCHEMA + entry_log.SCHEMA).split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as e:
            if "readonly" not in str(e):
                raise

    def _migrate(self, version: int) -> None:
        """Rebuild an older schema in place, in one transaction: reports, records (re-indexed), runs kept.

        Before schema 8 a fiscal year held one report: it gets the series of its stored title
        (`ingest.report.series_of`) and series number 0, so its records keep their ids and rowids."""
        reports = self.rows("SELECT * FROM reports", [])
        records = [row_to_record(row) for row in self.rows("SELECT * FROM records ORDER BY fiscal_year, seq", [])]
        munis = self.rows("SELECT * FROM municipalities", [])
        if version < 8:
            from store.titles import series_of  # the one grammar of titles

            named = {}
            for rep in reports:
                rep["series"] = named[rep["fiscal_year"]] = series_of(rep.get("title") or "")
                rep["series_no"] = 0
            for r in records:
                r.series = named.get(r.fiscal_year, "")
        with self.transaction() as conn:
            for table in ("records_fts", "record_intervals", "record_days", "records", "municipalities", "reports"):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            for m in munis:
                conn.execute(f"INSERT INTO municipalities ({', '.join(m)}) VALUES ({', '.join('?' * len(m))})", list(m.values()))
            for rep in sorted(reports, key=lambda d: (d["fiscal_year"], d["series_no"])):
                mine = [r for r in records if (r.fiscal_year, r.series) == (rep["fiscal_year"], rep["series"])]
                conn.execute(
                    "INSERT INTO reports (fiscal_year, series, series_no, title, source_file, sha256, pages, record_count, "
                    "warnings, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        rep["fiscal_year"],
                        rep["series"],
                        rep["series_no"],
                        rep.get("title") or "",
                        rep.get("source_file") or "",
                        rep.get("sha256") or "",
                        rep.get("pages") or 0,
                        len(mine),
                        rep.get("warnings") or "[]",
                        rep.get("ingested_at") or _now(),
                    ),
                )
                self._insert_records(conn, mine, rep["series_no"])
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # ------------------------------------------------------------------------------------------- writes
    def replace_report(self, report: dict[str, Any], records: list[Record], municipalities: list[dict[str, Any]]) -> Diff:
        """Replace one report's records — one fiscal year and series — atomically and return what changed.
        The other series of that year are untouched; a series not stored yet is added beside them.

        report: {"fiscal_year", "series" ("" when unknown; absent = ""), "title", "source_file", "sha256",
        "pages", "warnings"}; records: with ids assigned, all of that fiscal year and series; municipalities:
        rows for the `municipalities` table (key, municipality_code, name, local_name, short_name, prefecture,
        kind, reading, short_reading, romaji, printed_names list). Raises ValueError for a record of another
        fiscal year or series, StoreError when the year already holds MAX_SERIES series, StoreBusy when
        another writer holds the database past the busy timeout.
        """
        fy = int(report["fiscal_year"])
        series = str(report.get("series") or "")
        strays = [r for r in records if (r.fiscal_year, r.series) != (fy, series)]
        if strays:
            raise ValueError(f"record {strays[0].id} is of {strays[0].fiscal_year} {strays[0].series!r}, not {fy} {series!r}")
        try:
            with self.transaction() as conn:
                diff = _diff(conn, fy, series, records)
                _delete_records(conn, fy, series)
                number = _report_row(conn, report, fy, series, len(records))
                self._insert_records(conn, records, number)
                _municipality_rows(conn, municipalities)
                fault_point()  # a test hook (store.faults); nothing unless KORYU_FAULT_PAUSE_S is set
        except sqlite3.OperationalError as e:
            if is_locked(e):
                raise busy() from None
            raise
        return diff

    def delete_report(self, fiscal_year: int, series: str) -> int:
        """Remove one report (fiscal year and series) and its records, atomically; returns how many records went.
        Partners no other record names leave the municipalities table. Raises StoreBusy while locked."""
        key = (fiscal_year, series)
        try:
            with self.transaction() as conn:
                count = conn.execute(f"SELECT count(*) FROM records WHERE {ONE_REPORT}", key).fetchone()[0]
                _delete_records(conn, fiscal_year, series)
                conn.execute(f"DELETE FROM reports WHERE {ONE_REPORT}", key)
                _forget_unnamed_partners(conn)
        except sqlite3.OperationalError as e:
            if is_locked(e):
                raise busy() from None
            raise
        return count

    def _insert_records(self, conn: sqlite3.Connection, records: list[Record], series_no: int = 0) -> None:
        rows, days, fts = [], [], []
        for seq, r in enumerate(records):
            rowid = sort_rowid(r.fiscal_year, r.start, seq, series_no)
            muni = f"{r.municipality} {r.printed_name}" if r.printed_name != r.municipality else r.municipality
            rows.append(
                (
                    rowid,
                    r.id,
                    r.fiscal_year,
                    r.series,
                    seq,
                    r.municipality,
                    r.municipality_code,
                    r.printed_name,
                    r.description,
                    r.department,
                    r.period_text,
                    json.dumps(r.intervals),
                    r.start,
                    r.end,
                    int(r.approximate),
                    r.source.get("file", ""),
                    r.source.get("page"),
                    r.source.get("row"),
                    json.dumps(r.problems, ensure_ascii=False),
                    "\n".join(fold(t) for t in (r.description, r.department, muni)),
                )
            )
            # an open end runs to its report's fiscal year end: a question about 2030 is not answered by a FY2024 record
            days += [(day_number(a), day_number(b), rowid) for a, b in r.closed_intervals()]
            fts.append(
                (
                    rowid,
                    index_text(r.description),
                    index_text(r.department),
                    index_text(muni),
                    index_text(reading_of(r.description)),
                )
            )
        conn.executemany(
            "INSERT INTO records (rowid, id, fiscal_year, series, seq, municipality, municipality_code, printed_name, "
            'description, department, period_text, intervals, start, "end", approximate, source_file, source_page, '
            "source_row, problems, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany("INSERT INTO record_days (first_day, last_day, record_rowid) VALUES (?, ?, ?)", days)
        conn.executemany(
            "INSERT INTO records_fts (rowid, description, department, municipality, reading) VALUES (?, ?, ?, ?, ?)", fts
        )

    def log_ingest(
        self,
        source: str,
        status: str,
        fiscal_year: int | None = None,
        records: int | None = None,
        diff: Diff | None = None,
        message: str = "",
        started_at: str | None = None,
    ) -> None:
        """Append one row to `ingest_runs` (ok / failed), for the summary, App Home and audits."""
        try:
            with self.transaction() as conn:
                conn.execute(
                    "INSERT INTO ingest_runs (started_at, finished_at, source, fiscal_year, status, records, added, removed, changed, message) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        started_at or _now(),
                        _now(),
                        source,
                        fiscal_year,
                        status,
                        records,
                        len(diff.added) if diff else None,
                        len(diff.removed) if diff else None,
                        len(diff.changed) if diff else None,
                        message,
                    ),
                )
        except sqlite3.OperationalError:
            pass  # the audit row is best effort; the ingest itself already landed or failed cleanly

    @property
    def deliveries(self) -> delivery_log.Deliveries:
        """Which Slack deliveries were already handled (store.deliveries)."""
        return delivery_log.Deliveries(self)

    @property
    def entries(self) -> entry_log.EntryLog:
        """Who recorded each event entered one at a time, and its note (store.entries)."""
        return entry_log.EntryLog(self)

    @property
    def questions(self) -> question_log.QuestionLog:
        """The question log kept in this database (store.questions)."""
        return question_log.QuestionLog(self)

    # -------------------------------------------------------------------------------------------- reads
    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM records").fetchone()[0]

    def is_empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM records LIMIT 1").fetchone() is None

    def reports(self) -> list[dict[str, Any]]:
        """Stored reports, newest fiscal year first, then the series of a year in the order first stored:
        dicts with fiscal_year, series ("" unknown), series_no, title, source_file, sha256, pages,
        record_count, municipalities (distinct count), warnings (list), ingested_at."""
        counts = {
            (fy, series): n
            for fy, series, n in self.conn.execute(
                "SELECT fiscal_year, series, count(DISTINCT municipality) FROM records GROUP BY fiscal_year, series"
            )
        }
        out = []
        for d in self.rows("SELECT * FROM reports ORDER BY fiscal_year DESC, series_no", []):
            d["warnings"] = json.loads(d["warnings"])
            d["municipalities"] = counts.get((d["fiscal_year"], d["series"]), 0)
            out.append(d)
        return out

    def series(self, fiscal_year: int | None = None) -> list[str]:
        """The distinct series stored (of one fiscal year if given), newest year first, then in the order first
        stored; "" stands for a report of unknown series."""
        where = " WHERE fiscal_year = ?" if fiscal_year is not None else ""
        rows = self.conn.execute(
            f"SELECT series FROM reports{where} ORDER BY fiscal_year DESC, series_no",
            [] if fiscal_year is None else [fiscal_year],
        )
        return list(dict.fromkeys(row[0] for row in rows))

    def fiscal_years(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT fiscal_year FROM reports ORDER BY fiscal_year")]

    def last_ingest(self) -> dict[str, Any] | None:
        """The latest row of `ingest_runs` (started_at, finished_at, source, fiscal_year, status, records,
        added, removed, changed, message), or None before the first ingest."""
        return next(iter(self.db["ingest_runs"].rows_where(order_by="id desc", limit=1)), None)

    def records(self, fiscal_year: int | None = None, series: str | None = None) -> list[Record]:
        """Every stored record (of one fiscal year and/or series if given), in report order: fiscal year,
        then the series in the order first stored, then the order printed."""
        conds: list[str] = []
        params: list[Any] = []
        if fiscal_year is not None:
            conds.append("r.fiscal_year = ?")
            params.append(fiscal_year)
        if series is not None:
            conds.append("r.series = ?")
            params.append(series)
        sql = (
            "SELECT r.* FROM records r JOIN reports p ON p.fiscal_year = r.fiscal_year AND p.series = r.series"
            + (" WHERE " + " AND ".join(conds) if conds else "")
            + " ORDER BY r.fiscal_year, p.series_no, r.seq"
        )
        return [row_to_record(row) for row in self.rows(sql, params)]

    def records_by_id(self, ids: list[str], series: str | None = None) -> list[Record]:
        """Records with these ids, in the order given. Ids are unique within a report: the same event printed in
        two series of a year is two records with one id — `series` picks one report's (a Diff's series)."""
        if not ids:
            return []
        where = f"id IN ({', '.join('?' * len(ids))})" + (" AND series = ?" if series is not None else "")
        rows = self.rows(f"SELECT * FROM records WHERE {where}", [*ids, series] if series is not None else ids)
        order = {i: k for k, i in enumerate(ids)}
        return sorted((row_to_record(r) for r in rows), key=lambda r: order[r.id])

    def municipalities(self, with_counts: bool = True) -> list[dict[str, Any]]:
        """Partners known to the store (rows of the municipalities table, printed_names as a list), with
        `records` counts when asked, most records first."""
        if with_counts:
            sql = (
                "SELECT m.*, coalesce(c.n, 0) AS records FROM municipalities m LEFT JOIN "
                "(SELECT coalesce(municipality_code, 'name:' || municipality) AS k, count(*) AS n FROM records GROUP BY k) c "
                "ON c.k = m.key ORDER BY records DESC, m.municipality_code"
            )
        else:
            sql = "SELECT * FROM municipalities ORDER BY municipality_code"
        rows = self.rows(sql, [])
        for r in rows:
            r["printed_names"] = json.loads(r["printed_names"])
        return rows

    def departments(self) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT DISTINCT department FROM records WHERE department != '' ORDER BY department")
        ]

    # ------------------------------------------------------------------------------------------- search
    def data_span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day any stored record covers (an open end counts as its start), or None when empty."""
        row = self.conn.execute('SELECT min(start), max(coalesce("end", start)) FROM records').fetchone()
        if not row or not row[0]:
            return None
        return dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])

    def lexicon(self, today: dt.date | None = None) -> Lexicon:
        """What the question parser needs from this store (partners' names and readings, departments,
        fiscal years, the span of the data) with the national gazetteer. Cached until the database changes
        (from this connection or another process) or the day changes — with the stored series (`series()`),
        which an answer reports."""
        version = (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)
        key = (version, today or dt.date.today())
        cached = self._lexicon_cache
        if cached is None or cached[0] != key:
            partners = self.municipalities(with_counts=False)
            descriptions = [r[0] for r in self.conn.execute("SELECT description FROM records ORDER BY rowid LIMIT 5000")]
            home = home_municipality(descriptions, {p["municipality_code"] for p in partners if p["municipality_code"]})
            lex = Lexicon.build(partners, self.departments(), self.fiscal_years(), key[1], self.data_span(), home, descriptions)
            cached = self._lexicon_cache = (key, lex, self.series())
        return cached[1]

    def parse(self, text: str, today: dt.date | None = None, after: Sequence[str] = ()) -> Query:
        """Read a question against this store's lexicon (store.query.parse); after: the earlier questions of
        its conversation, oldest first (a follow-up keeps what it does not replace). A question read before
        against the same lexicon (a page of its answer, a button under it) is not read again: the last
        PARSED_KEPT readings are kept (a Query is immutable)."""
        lexicon = self.lexicon(today)
        key = (text, tuple(after))
        cache = self._parsed if self._parsed_for is lexicon else {}
        if key not in cache:
            if len(cache) >= PARSED_KEPT:
                cache.pop(next(iter(cache)))  # the oldest first
            cache[key] = parse(text, lexicon, after=after)
        self._parsed, self._parsed_for = cache, lexicon
        return cache[key]

    def search_sql(self, query: Query, today: dt.date | None = None) -> list[sql.Statement]:
        """The statements `search(query)` runs when the question needs no looser reading, in order (ids,
        rank when it applies, page, summaries, then the other reading of a prefecture) — what
        `koryu ask --sql` prints."""
        wide = searching.widened(query, self.lexicon(today))
        # widened by related words: the question as asked is run too, to see whether they found more
        asked = [sql.Statement("as_asked", st.sql, st.params) for st in [sql.ids_statement(query)]] if wide is not query else []
        others = searching.other_readings(wide, self.lexicon(today))
        other = [sql.Statement("other_reading", st.sql, st.params) for _, _, q in others for st in [sql.ids_statement(q)]]
        statements = sql.statements(wide, searching.summaries_for(wide))
        return statements[:1] + asked + statements[1:] + other

    def search(self, query: Query, limit: int | None = 20, offset: int = 0, today: dt.date | None = None) -> SearchResult:
        """Answer a parsed question. limit None or 0 = all. Raises StoreBusy while locked.

        Returns a `SearchResult`: total, the requested page (date order, newest fiscal year first, exact
        names and words as written first), the figures for the one-line answer, a looser answer when the
        question as asked finds nothing (see store.search), and the series stored (`stored_series`)."""
        try:
            result = searching.run(self.conn, query, self.lexicon(today), limit, offset, row_to_record)
            assert self._lexicon_cache is not None  # filled by self.lexicon() above
            result.stored_series = list(self._lexicon_cache[2])  # read with the lexicon, not by the search
            return result
        except sqlite3.OperationalError as e:
            if is_locked(e):
                raise busy() from None
            raise

    def ask(
        self, text: str, limit: int | None = 20, offset: int = 0, today: dt.date | None = None, after: Sequence[str] = ()
    ) -> SearchResult:
        """Parse and answer a question in one call: `search(parse(text, after=after))`. Never raises on user text."""
        return self.search(self.parse(text, today, after), limit=limit, offset=offset, today=today)


ONE_REPORT = "fiscal_year = ? AND series = ?"  # the rows of one report (fiscal_year, series)


def _diff(conn: sqlite3.Connection, fy: int, series: str, records: list[Record]) -> Diff:
    """What replacing the stored report (fy, series) with `records` changes, by record id; a record that only
    moved to another page is not "changed"."""
    old = {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT id, municipality || '|' || printed_name || '|' || department || '|' || intervals || '|' "
            f"|| approximate FROM records WHERE {ONE_REPORT}",
            (fy, series),
        )
    }
    diff = Diff(fy, series=series)
    new_ids = set()
    for r in records:
        new_ids.add(r.id)
        sig = f"{r.municipality}|{r.printed_name}|{r.department}|{json.dumps(r.intervals)}|{int(r.approximate)}"
        if r.id not in old:
            diff.added.append(r.id)
        elif old[r.id] != sig:
            diff.changed.append(r.id)
        else:
            diff.unchanged += 1
    diff.removed = [i for i in old if i not in new_ids]
    return diff


def _report_row(conn: sqlite3.Connection, report: dict[str, Any], fy: int, series: str, count: int) -> int:
    """Write the `reports` row of (fy, series) and return its series number (a new series of the year gets the
    next one). An export file carries no title, page count or warnings: what is stored for that report stays.
    Raises StoreError when the year already holds MAX_SERIES series."""
    stored = conn.execute(f"SELECT title, pages, warnings, series_no FROM reports WHERE {ONE_REPORT}", (fy, series)).fetchone()
    if stored is None:
        number = conn.execute("SELECT coalesce(max(series_no) + 1, 0) FROM reports WHERE fiscal_year = ?", (fy,)).fetchone()[0]
        if number >= MAX_SERIES:
            raise StoreError(
                f"{fy}年度の報告書が多すぎます（{MAX_SERIES}件まで） / fiscal year {fy} already holds {MAX_SERIES} series"
            )
        stored = ("", 0, "[]", number)
    title, pages, warnings, number = stored
    conn.execute(
        "INSERT INTO reports (fiscal_year, series, series_no, title, source_file, sha256, pages, record_count, "
        "warnings, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fiscal_year, series) DO UPDATE SET "
        "title = excluded.title, source_file = excluded.source_file, sha256 = excluded.sha256, "
        "pages = excluded.pages, record_count = excluded.record_count, warnings = excluded.warnings, "
        "ingested_at = excluded.ingested_at",
        (
            fy,
            series,
            number,
            report.get("title") or title,
            report.get("source_file", ""),
            report.get("sha256", ""),
            report.get("pages") or pages,
            count,
            json.dumps(report["warnings"], ensure_ascii=False) if report.get("warnings") else warnings,
            _now(),
        ),
    )
    return int(number)


def _municipality_rows(conn: sqlite3.Connection, municipalities: list[dict[str, Any]]) -> None:
    """Upsert the partners' rows (names, readings, printed labels) and drop those no record names any more."""
    for m in municipalities:
        row = dict(m)
        row["printed_names"] = json.dumps(sorted(set(row.get("printed_names", []))), ensure_ascii=False)
        cols = ", ".join(row)
        conn.execute(f"INSERT OR REPLACE INTO municipalities ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    _forget_unnamed_partners(conn)


def _forget_unnamed_partners(conn: sqlite3.Connection) -> None:
    """Partners no stored record names leave the `municipalities` table."""
    conn.execute(
        "DELETE FROM municipalities WHERE key NOT IN (SELECT DISTINCT coalesce(municipality_code, 'name:' || municipality) FROM records)"
    )


def _delete_records(conn: sqlite3.Connection, fy: int, series: str) -> None:
    """The records of one report, with their full-text and day index entries."""
    key = (fy, series)
    conn.execute(f"DELETE FROM records_fts WHERE rowid IN (SELECT rowid FROM records WHERE {ONE_REPORT})", key)
    conn.execute(f"DELETE FROM record_days WHERE record_rowid IN (SELECT rowid FROM records WHERE {ONE_REPORT})", key)
    conn.execute(f"DELETE FROM records WHERE {ONE_REPORT}", key)


def row_to_record(row: dict[str, Any]) -> Record:
    """A `records` table row → Record."""
    return Record(
        fiscal_year=row["fiscal_year"],
        municipality=row["municipality"],
        municipality_code=row["municipality_code"],
        printed_name=row["printed_name"],
        description=row["description"],
        department=row["department"],
        period_text=row["period_text"],
        intervals=json.loads(row["intervals"]),
        approximate=bool(row["approximate"]),
        source={"file": row["source_file"], "page": row["source_page"]}
        | ({"row": row["source_row"]} if row.get("source_row") is not None else {}),
        id=row["id"],
        series=row.get("series") or "",
        problems=json.loads(row.get("problems") or "[]"),
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
