"""Which store answers a question, and asking it: the database at KORYU_DB (kept open per thread, since a bot
answers many questions), or — when it is missing or holds no records — the sample report shipped inside the
package (`ingest/data/sample/`), ingested once into a cache file; the result says so (`sample`: its title). One
place for the CLI and the Slack app alike (`ask`, `open_for_reading`, `stored_series`)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import store
from bot import messages as msg
from store.search import SearchResult
from store.titles import series_label

_SAMPLE_LOCK = threading.Lock()


def sample_pdf() -> Path:
    """The sample report shipped with the package (令和6年度 交流実績一覧)."""
    return Path(str(resources.files("ingest").joinpath("data/sample/r6_report.pdf")))


def sample_store() -> store.Store:
    """A store holding the sample report, built on first use in the temp folder and reused after."""
    import ingest

    pdf = sample_pdf()
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16]
    # per schema too: koryu versions side by side on one machine each keep a cache they can open
    path = Path(tempfile.gettempdir()) / f"koryu-sample-{digest}-v{store.schema.SCHEMA_VERSION}.db"
    with _SAMPLE_LOCK:
        if path.exists():
            db = store.open(path)
            if not db.is_empty():
                return db
            db.close()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        db = store.open(tmp)
        outcome = ingest.ingest_file(db, pdf)
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.execute("PRAGMA journal_mode=DELETE")
        db.close()
        if not outcome.ok:
            raise RuntimeError(outcome.error)
        os.replace(tmp, path)
    return store.open(path)


def open_for_reading(db_path: str | Path) -> tuple[store.Store, bool]:
    """(store, is_sample): the database at db_path, or the sample store when it is missing or empty."""
    path = Path(db_path)
    if path.exists():
        db = store.open(path)  # NotADatabase for a file that is not one: the caller reports it
        if not db.is_empty():
            return db, False
        db.close()
    return sample_store(), True


_READERS = threading.local()


def thread_store(db_path: str | Path) -> store.Store:
    """The store at db_path, opened once per thread and kept open: a bot answers many questions, and each of
    them — the delivery check, the search, the question log — uses this one connection instead of opening the
    file again; an open store also keeps its parse context (names, readings) until the data changes. Raises
    NotADatabase for a file that is not one (not kept: the next call tries again)."""
    cache: dict[str, store.Store] = _READERS.__dict__.setdefault("stores", {})
    key = str(db_path)
    db = cache.get(key)
    if db is None:
        db = cache[key] = store.open(db_path)
    return db


def _reader(db_path: str | Path) -> tuple[store.Store, bool]:
    """Like open_for_reading, through `thread_store`; the sample store (kept per thread too) when the database
    is missing or empty — a missing file is not created by reading."""
    cache: dict[str, store.Store] = _READERS.__dict__.setdefault("stores", {})
    if str(db_path) in cache or Path(db_path).exists():
        db = thread_store(db_path)
        if not db.is_empty():
            return db, False
    if "<sample>" not in cache:
        cache["<sample>"] = sample_store()
    return cache["<sample>"], True


class UnknownSeries(ValueError):
    """A report series asked for that no stored report has. str(error) is one line naming the stored ones."""


def warm(db_path: str | Path) -> None:
    """Load what a first question would otherwise wait for: the analyser and its dictionary, the records'
    vocabulary with its English glosses and word vectors (store.query.meanings). Never raises: a failure here
    is a slower first answer, nothing more (logged)."""
    import logging

    try:
        db, _ = _reader(db_path)
        lexicon = db.lexicon()
        lexicon.meanings.near("準備")
        db.parse("school lunch")
    except Exception:  # noqa: BLE001 — warming must not stop the server
        logging.getLogger(__name__).warning("warm-up failed; the first question will load what it needs", exc_info=True)


def stored_series(db: store.Store, name: str) -> str:
    """The stored series a name typed by a person means: the same after `ingest.report.series_of` (brackets,
    spaces and a year written or not: 令和6年度 交流実績一覧(協定等締結自治体以外) is 交流実績一覧（協定等締結自治体以外）);
    "" is the series of untitled reports. Raises UnknownSeries when none is stored by that name."""
    from store.titles import series_of  # the one grammar of report titles

    wanted = series_of(name)
    stored = db.series()
    if wanted in stored:
        return wanted
    raise UnknownSeries(msg.SERIES_UNKNOWN.format(name=name, stored="、".join(map(series_label, stored)) or "—"))


def ask(
    db_path: str | Path,
    text: str,
    limit: int | None = 20,
    offset: int = 0,
    series: str | None = None,
    after: Sequence[str] = (),
) -> SearchResult:
    """Answer a question from the database (or the sample); `series` keeps the answer to one report series
    (a name as `stored_series` reads it); `after`: the earlier questions of its conversation, oldest first (a
    follow-up: `store.query.followup`). Raises store.StoreBusy while locked, UnknownSeries for a series not
    stored."""
    db, is_sample = _reader(db_path)
    query = db.parse(text, after=after)
    if series is not None:
        query = query.replace(series=stored_series(db, series))
    result = db.search(query, limit=limit, offset=offset)
    result.sample = next((r["title"] for r in db.reports() if r.get("title")), series_label("")) if is_sample else ""
    return result


def ask_all(
    db_path: str | Path,
    text: str,
    limit: int | None = 20,
    offset: int = 0,
    series: str | None = None,
    after: Sequence[str] = (),
) -> list[tuple[str, SearchResult]]:
    """Every question of a message, answered in order: [(question, result)] — one for a message of one
    question. A later question is read as a follow-up of the earlier ones (金沢市との交流は何件？また担当課は？ asks
    金沢市's departments). Raises what `ask` raises."""
    from store.query import split_questions

    questions = split_questions(text)
    return [
        (question, ask(db_path, question, limit, offset, series, tuple(after) + tuple(questions[:i])))
        for i, question in enumerate(questions)
    ]
