"""What the listeners share: settings, the database path, answering a question, running an ingest, asking
an admin which report an untitled file is."""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

import store
from bot import messages as msg
from bot import mrkdwn, render
from bot.settings import Settings
from bot.stores import ask, thread_store
from store.normalize import without_surrogates, word_chars
from store.questions import Asked
from store.search import SearchResult

log = logging.getLogger("koryu.slack")
RETRIES = 2  # per Web API or response_url call, on top of the first attempt
HTTP_TIMEOUT_S = 10  # per call to Slack; bolt's ack deadline is 3 s, but these calls come after the ack
ANSWER_THREADS = 4  # searches are CPU-bound under one GIL: more threads only slow each answer and the acks
# Slack markup in inbound text: user/channel mentions and @here/@channel (<@U1>, <#C1|general>, <!here>),
# and links (<https://…|label>). What the user typed as < > & arrives escaped (&lt; &gt; &amp;).
MARKUP = re.compile(r"<[@#!][^>]*>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>")


def retry_handlers() -> list[RetryHandler]:
    """slack-sdk's handlers that retry 429 (honouring Retry-After), 5xx and connection errors RETRIES times:
    the one retry policy of every call to Slack (the Web API client in bot.app, response_url posts here)."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=RETRIES),
        ServerErrorRetryHandler(max_retry_count=RETRIES),
        ConnectionErrorRetryHandler(max_retry_count=RETRIES),
    ]


@dataclass
class Services:
    """What every listener uses, made once per app (bot.app.build_app): the settings and database path, the
    answer threads (`later`), and the steps listeners share — reading Slack text (`query_text`), answering
    (`answer_blocks`, with the question log and votes), replying by response_url (`responder`), de-duplicating
    deliveries (`is_first`), ingesting (`run_ingest`, `series_choice`, `saved_report`). `ingest_lock` keeps two
    ingests from one process from interleaving."""

    settings: Settings
    db_path: str
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    # Answers (searches, uploads, ingests) run here, not on bolt's listener threads: bolt runs the function
    # that acks on those threads, so slow work there would make later requests wait for their ack.
    work: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(ANSWER_THREADS, thread_name_prefix="koryu-answer")
    )
    # Answers posted with chat.postMessage (mentions, DMs, uploads, the assistant) have threads of their own:
    # a slow Web API endpoint then holds only them, never the slash answers sent to response_url.
    posts: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(ANSWER_THREADS, thread_name_prefix="koryu-post"))

    _pending: set[Future] = field(default_factory=set)
    _pending_lock: threading.Lock = field(default_factory=threading.Lock)

    def later(self, job: Callable[[], object], what: str, posted: bool = False) -> None:
        """Run job on the answer threads (`posted`: on those of answers posted through the Web API); an
        exception there is logged with `what`, never lost silently."""

        def run() -> None:
            try:
                job()
            except Exception:
                log.exception("%s failed in the background", what)

        future = (self.posts if posted else self.work).submit(run)
        with self._pending_lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        with self._pending_lock:
            self._pending.discard(future)

    def drain(self, timeout_s: float) -> bool:
        """Take no more work and wait up to timeout_s for the answers in flight (a clean stop). True when all
        finished."""
        with self._pending_lock:
            pending = set(self._pending)
        for pool in (self.work, self.posts):
            pool.shutdown(wait=False)
        _, left = wait(pending, timeout=timeout_s)
        return not left

    def query_text(self, raw: str) -> str:
        """Slack text → the user's words: mentions and @channel removed, links to their label, then
        &lt; &gt; &amp; unescaped (in that order, so an escaped "&lt;!channel&gt;" stays literal text)."""
        text = MARKUP.sub(" ", without_surrogates(raw or ""))
        text = LINK.sub(lambda m: m.group(2) or m.group(1), text)
        return mrkdwn.unescape(text).strip()

    def search(self, text: str, offset: int = 0, limit: int | None = render.PAGE_SIZE, after: Sequence[str] = ()) -> SearchResult:
        """Answer a question (`bot.stores.ask`); after: the earlier questions it follows up, oldest first."""
        return ask(self.db_path, text, limit=limit, offset=offset, after=after)

    def answer_blocks(
        self,
        text: str,
        offset: int = 0,
        shareable: bool = False,
        asked: Asked | None = None,
        question_id: str | None = None,
        after: Sequence[str] = (),
    ) -> tuple[list[dict], str]:
        """(blocks, fallback text) for a question; busy and failure become friendly messages. A new question
        (`asked` given: who asked where) is written to the question log and its answer gets 👍 / 👎 buttons;
        a page of a logged answer (`question_id`, from its buttons) keeps them and is not logged again.
        after: the earlier questions of its thread, oldest first (a follow-up: `store.query.followup`)."""
        if not word_chars(text):  # empty, punctuation only or invisible characters: show how to ask
            return render.text_blocks(msg.HELP_TITLE, msg.help_text(self.settings.koryu_command)), msg.EMPTY_QUERY
        try:
            result = self.search(text, offset=offset, after=after)
            if offset and offset >= result.total > 0:  # a page past the end (the data shrank): the last page
                result = self.search(text, offset=(result.total - 1) // render.PAGE_SIZE * render.PAGE_SIZE, after=after)
        except store.StoreBusy:
            return [render.section(msg.BUSY)], msg.BUSY
        if asked is not None:
            question_id = self.log_question(text, result, asked)
        blocks = render.result_blocks(result, shareable=shareable, question_id=question_id)
        return blocks, render.fallback_text(result)

    def log_question(self, text: str, result: SearchResult, asked: Asked) -> str | None:
        """Write a question to the log (store.questions) and return its id; None when the database cannot be
        written (read-only, busy past its timeout): the answer goes out without feedback buttons, and the
        log says why."""
        reading = result.query.label()
        if result.answered is not None and result.answered.label() != reading:
            reading += " → " + result.answered.label()
        try:
            return thread_store(self.db_path).questions.log(
                text,
                reading,
                result.total,
                asked,
                keep_days=self.settings.koryu_question_log_days,
                log_users=self.settings.koryu_log_users,
            )
        except (store.StoreError, sqlite3.Error, OSError) as e:
            log.warning("question not logged: %s (%s)", type(e).__name__, str(e).splitlines()[0][:200])
            return None

    def vote(self, question_id: str, vote: int, user: str | None) -> int:
        """Store a 👍 (+1) / 👎 (-1) for a logged question; returns the feedback row's id. Raises
        store.StoreError or sqlite3.Error when the database cannot be written."""
        return thread_store(self.db_path).questions.vote(question_id, vote, user, log_users=self.settings.koryu_log_users)

    def logged_question(self, question_id: str) -> dict | None:
        """A logged question's row (store.questions) or None."""
        return thread_store(self.db_path).questions.question(question_id)

    def feedback_comment(self, feedback_id: int, text: str) -> bool:
        """Attach the 👎 modal's text to its vote; False when the vote is gone (see QuestionLog.comment)."""
        return thread_store(self.db_path).questions.comment(feedback_id, without_surrogates(text))

    def responder(self, body: dict) -> Callable[..., None]:
        """A `respond` for this request's response_url (`responder_to`)."""
        return self.responder_to(body.get("response_url"))

    def responder_to(self, url: object) -> Callable[..., None]:
        """A `respond` posting to a response_url that retries 429 (Retry-After), 5xx and connection errors like
        the Web API client does (bolt's own respond does not retry). Raises RuntimeError when Slack still
        refuses. A request without a usable response_url (Slack always sends one; a forged or broken payload
        may not) has nobody to answer: one warning line, and nothing is sent."""
        usable = isinstance(url, str) and url.startswith(("https://", "http://"))
        hooks = WebhookClient(str(url), timeout=HTTP_TIMEOUT_S, retry_handlers=retry_handlers()) if usable else None

        def respond(**payload: Any) -> None:
            if hooks is None:
                log.warning("no answer sent: the request has no usable response_url (%r)", str(url)[:80])
                return
            response = hooks.send_dict(payload)
            if response.status_code != 200:
                raise RuntimeError(f"response_url answered {response.status_code}: {response.body[:200]}")

        return respond

    def earlier(self, key: str, max_age_s: float | None = None) -> list[str]:
        """The questions asked before in a conversation (`store.questions`: a thread or a DM), oldest first;
        [] when there are none or the database cannot be read (the question is then read on its own)."""
        try:
            asked = thread_store(self.db_path).questions
            return asked.earlier(key) if max_age_s is None else asked.earlier(key, max_age_s)
        except (store.StoreError, sqlite3.Error) as e:
            log.warning("conversation %s not read: %s", key, type(e).__name__)
            return []

    def remember(self, key: str, questions: list[str]) -> None:
        """Keep a conversation's questions for its follow-ups; a database that cannot be written is logged
        (the answer went out; only a later follow-up loses its context)."""
        try:
            thread_store(self.db_path).questions.remember(key, questions)
        except (store.StoreError, sqlite3.Error) as e:
            log.warning("conversation %s not kept: %s", key, type(e).__name__)

    def is_first(self, key: str) -> bool:
        """Dedupe Slack deliveries across processes (event retries, a mention also seen as a message); a
        repeat is logged (INFO "repeated delivery <key>"), the one trace that it was seen and dropped."""
        try:
            first = thread_store(self.db_path).deliveries.first_seen(key)
        except store.StoreBusy:
            return True  # better a rare duplicate than a lost answer
        if not first:
            log.info("repeated delivery %s: answered once already", key)
        return first

    def run_ingest(self, paths: list[Path], series: str | None = None) -> list[Any]:
        """Ingest files into the database (every file as `series` when given, see ingest.ingest_file) and return
        their `ingest.Outcome`s; `render.ingest_summary` turns them into the Slack summary."""
        import ingest

        with self.ingest_lock, store.open(self.db_path) as db:
            return ingest.ingest_paths(db, paths, series=series)

    def series_choice(self, outcome: Any) -> tuple[list[dict], str]:
        """(blocks, fallback) asking which report an untitled file in the reports folder is (its Outcome has a
        `series_choice`): replace one of the year's stored series, or add it — as the series of untitled
        reports when the year has none, else under the file's name (made unique among the stored ones)."""
        from store.titles import series_of

        choice = outcome.series_choice
        stored = list(choice.stored)
        added_as = ""
        if "" in stored:
            base = series_of(outcome.path.stem) or msg.ADDED_SERIES
            added_as, n = base, 2
            while added_as in stored:
                added_as, n = f"{base}（{n}）", n + 1
        return render.series_choice_blocks(outcome.path.name, choice.fiscal_year, stored, added_as, file_hash(outcome.path))

    def saved_report(self, name: Any, digest: Any) -> Path | None:
        """The file `name` in the reports folder when it is still there and still has the content offered (the
        first 16 hex of its sha256 are `digest`), else None. A name with a folder part is never followed."""
        folder = self.settings.reports_dir
        if not isinstance(name, str) or not isinstance(digest, str) or not name or Path(name).name != name:
            return None
        path = folder / name
        try:
            if path.resolve().parent != folder.resolve() or not path.is_file():
                return None
            return path if file_hash(path) == digest else None
        except (OSError, ValueError):  # ValueError: a NUL in the name
            return None


def file_hash(path: Path) -> str:
    """The first 16 hex of a file's sha256: which upload a button was offered for."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def error_reply(logger: logging.Logger, context: str, exc: BaseException, **details: Any) -> str:
    """Log the failure with its context (never secrets) and return the apology for the user."""
    logger.error("%s failed: %s %s", context, type(exc).__name__, details, exc_info=exc)
    return msg.ERROR
