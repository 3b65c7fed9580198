"""Mentions and direct messages: answered once, in the thread of the question.

A reply in a thread is read as a follow-up of the thread's earlier questions (それはいつ？, 盛岡市は？: what it
does not replace is kept, and the answer says so), and a new DM as one of the DM's questions of the last half
hour; the questions are kept in the database (`store.questions` conversations). A message asking several
questions (…は何件？また担当課は？) gets an answer each, in order, a later one read as a follow-up of the earlier.

Slack may deliver an event more than once (retries with X-Slack-Retry-Num) and a mention in a channel can
also arrive as a message event; each question is answered once, keyed by channel and message ts in the
database so the guard holds across worker processes. An admin's PDF sent by DM is downloaded with the bot
token, checked (really a PDF, not too large), saved to KORYU_REPORTS_DIR and ingested. An untitled report
whose fiscal year already holds named series is not guessed at: a message with buttons asks which stored
report it replaces, or to add it as another (bot.listeners.actions finishes the ingest).

What each message subtype (https://api.slack.com/events/message) is, in a DM with the bot:

| subtype | what it is | koryu |
|---|---|---|
| (none) | a message the user wrote | question |
| thread_broadcast | a thread reply also sent to the conversation | question (answered in its thread) |
| me_message | written with /me | question |
| file_share | a message with files | files: a report to ingest (admins) |
| bot_message, or any message with bot_id | a bot's post, ours included | ignored |
| message_changed | an edit (the event carries the old and new message) | ignored: the original was answered |
| message_deleted | a deletion | ignored |
| message_replied | notice that a thread got a reply (the reply comes as its own message) | ignored |
| assistant_app_thread | notice that the user opened an assistant thread | ignored: the question follows as a message |
| ekm_access_denied | a message the bot may not read (Enterprise Key Management) | ignored |
| tombstone | the stand-in left for a deleted thread parent | ignored |
| channel_join, channel_leave, channel_topic, channel_purpose, channel_name, channel_archive, channel_unarchive, group_* | membership and conversation changes | ignored |
| pinned_item, unpinned_item, reminder_add, huddle_thread, file_comment, file_mention, … (any other) | notices, not questions | ignored |

A message marked `hidden: true` (Slack's own bookkeeping, e.g. edits and tombstones) is ignored whatever its
subtype. In channels only mentions are questions (app_mention); message events there are ignored.
"""

from __future__ import annotations

import http.client
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from slack_bolt import App
from slack_sdk import WebClient

from bot import messages as msg
from bot import mrkdwn, render
from bot.listeners import registry as listen
from bot.listeners.common import Services, error_reply
from ingest import files as report_files
from store.query import split_questions
from store.questions import Asked

log = logging.getLogger(__name__)

SAFE_NAME = re.compile(r"[^\w.\-]+")
# the message subtypes that are questions (None: a plain message); file_share is a report upload; every
# other subtype is ignored (the table in the module docstring says why, one by one)
QUESTION_SUBTYPES = frozenset({None, "thread_broadcast", "me_message"})
FILE_SUBTYPE = "file_share"
DM_FOLLOW_UP_S = 30 * 60.0  # a new DM within this many seconds of the last one is read as its follow-up


def register(app: App, koryu: Services) -> None:
    @listen.event(app, "app_mention")
    def on_mention(event: dict, client: WebClient, logger: logging.Logger) -> None:
        koryu.later(lambda: answer_message(koryu, event, client, logger, surface="mention"), "mention", posted=True)

    @listen.event(app, "message")
    def on_message(event: dict, client: WebClient, logger: logging.Logger) -> None:
        message(koryu, event, client, logger)


def message(koryu: Services, event: dict, client: WebClient, logger: logging.Logger) -> None:
    """A message event: a question in a DM (answered in its thread), a file sent by DM (an admin's report); bot
    posts, edits, notices and channel chatter are ignored (see the module docstring)."""
    subtype = event.get("subtype")
    if event.get("bot_id") or event.get("hidden") or (subtype not in QUESTION_SUBTYPES and subtype != FILE_SUBTYPE):
        return  # bot posts (ours included), edits, deletions, notices: see the module docstring
    if event.get("channel_type") != "im":
        return  # in channels, only mentions are questions
    if subtype == FILE_SUBTYPE or event.get("files"):
        koryu.later(lambda: receive_files(koryu, event, client, logger), "file upload", posted=True)
        return
    koryu.later(lambda: answer_message(koryu, event, client, logger, surface="dm"), "direct message", posted=True)


def answer_message(koryu: Services, event: dict, client: WebClient, logger: logging.Logger, surface: str) -> None:
    """Answer a message event (a mention, a DM, a message in an assistant thread) once, in its thread, and log
    the question as asked on `surface` (store.questions.SURFACES). Failures become an apology in the thread."""
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        return
    thread_ts = event.get("thread_ts") or ts
    try:
        if not koryu.is_first(f"msg:{channel}:{ts}"):  # inside: a database that cannot be opened gets the apology
            return
        asked = Asked(surface, event.get("user"))
        text = koryu.query_text(event.get("text", ""))
        thread_key = f"thread:{channel}:{thread_ts}"
        if event.get("thread_ts") and event.get("thread_ts") != ts:  # a reply in a thread: a follow-up of it
            earlier = koryu.earlier(thread_key)
        elif surface == "dm":  # a new DM: a follow-up of the DM's last questions, if they were just asked
            earlier = koryu.earlier(f"dm:{channel}", DM_FOLLOW_UP_S)
        else:
            earlier = []
        questions = split_questions(text)
        for i, question in enumerate(questions):  # several questions in one message: an answer each, in order
            blocks, fallback = koryu.answer_blocks(question, asked=asked, after=earlier + questions[:i])
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=fallback, blocks=blocks)
        koryu.remember(thread_key, earlier + questions)
        if surface == "dm":
            koryu.remember(f"dm:{channel}", earlier + questions)
    except Exception as e:
        apology = error_reply(logger, "answer", e, channel=channel, ts=ts)
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=apology)
        except Exception:
            logger.exception("could not post the apology channel=%s ts=%s", channel, ts)


def receive_files(koryu: Services, event: dict, client: WebClient, logger: logging.Logger) -> None:
    """Files sent to the bot (a DM, or an assistant thread): an admin's reports are downloaded, checked and
    ingested, with the summary and any series question posted in the thread; anyone else is told politely."""
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        return
    thread_ts = event.get("thread_ts") or ts

    def say(text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    try:
        if not koryu.is_first(f"msg:{channel}:{ts}"):
            return
        if not koryu.settings.is_admin(event.get("user")):
            say(msg.ADMIN_ONLY)
            return
        saved = []
        files = event.get("files")
        entries = [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []
        if not entries:
            say(msg.UPLOAD_FAILED.format(file="?", reason=msg.UPLOAD_NO_FILE_INFO))
        for f in entries:
            path = _download_pdf(koryu, f, client, say)
            if path:
                saved.append(path)
        if saved:
            outcomes = koryu.run_ingest(saved)
            summary = render.ingest_summary(outcomes)
            if summary:
                say(summary)
            for outcome in outcomes:
                if outcome.series_choice is not None:
                    blocks, fallback = koryu.series_choice(outcome)
                    client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=fallback, blocks=blocks)
    except Exception as e:
        say(error_reply(logger, "file upload", e, channel=channel, ts=ts))


def _download_pdf(koryu: Services, f: dict, client: WebClient, say) -> Path | None:
    """Fetch one shared report file with the bot token — a PDF, an .xlsx workbook or a CSV; refuse anything
    else (by Slack's filetype and by the file's first bytes) or what is too large. Returns the saved path."""
    name = SAFE_NAME.sub("_", str(f.get("name") or "report.pdf")).strip("._") or "report.pdf"
    limit = koryu.settings.koryu_max_upload_bytes
    size: int = f["size"] if isinstance(f.get("size"), int) else 0  # Slack's size in bytes; the download is checked too
    if size > limit:
        say(msg.UPLOAD_TOO_LARGE.format(file=mrkdwn.escape(name), size_mb=size / 1e6, limit_mb=limit / 1e6))
        return None
    kind = _upload_kind(f, name)
    if kind is None:
        say(msg.UPLOAD_NOT_PDF.format(file=mrkdwn.escape(name)))
        return None
    url = f.get("url_private_download") or f.get("url_private")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        say(msg.UPLOAD_FAILED.format(file=mrkdwn.escape(name), reason=msg.UPLOAD_NO_URL))
        return None
    if not token_may_go_to(url, koryu.settings.slack_api_url):
        host = urllib.parse.urlsplit(url).hostname or "?"
        log.warning("refused to send the bot token to %s (not a Slack file host over https)", host)
        say(msg.UPLOAD_FAILED.format(file=mrkdwn.escape(name), reason=msg.UPLOAD_NOT_SLACK_URL))
        return None
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with _FILE_OPENER.open(request, timeout=30) as response:  # Slack's file URL (checked above)
            data = response.read(limit + 1)
    except (urllib.error.URLError, TimeoutError, ValueError, http.client.HTTPException) as e:  # not a URL at all
        say(msg.UPLOAD_FAILED.format(file=mrkdwn.escape(name), reason=mrkdwn.escape(str(getattr(e, "reason", e)))))
        return None
    if len(data) > limit:
        say(msg.UPLOAD_TOO_LARGE.format(file=mrkdwn.escape(name), size_mb=len(data) / 1e6, limit_mb=limit / 1e6))
        return None
    if not report_files.has_signature(kind, data):
        say(msg.UPLOAD_NOT_PDF.format(file=mrkdwn.escape(name)))
        return None
    try:
        path = save_upload(koryu.settings.reports_dir, name if name.lower().endswith(kind) else name + kind, data)
    except OSError as e:
        log.warning("could not save an upload in %s: %s", koryu.settings.reports_dir, e)
        say(msg.UPLOAD_NOT_SAVED.format(file=mrkdwn.escape(name), reason=mrkdwn.escape(str(e.strerror or e))))
        return None
    say(msg.UPLOAD_RECEIVED.format(file=mrkdwn.escape(path.name)))
    return path


def save_upload(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as folder/name through a .part file renamed into place, so a reader never sees half a
    report. Raises OSError (a full disk, a folder that cannot be written) and leaves no .part behind."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    tmp = path.with_suffix(path.suffix + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return path


def token_may_go_to(url: str, api_url: str) -> bool:
    """True when the bot token may be sent to `url`: a file host of the Slack the app talks to, derived from
    SLACK_API_URL — the API's own domain and its subdomains (slack.com → files.slack.com; slack-gov.com for
    GovSlack), over https. An http API URL (the loopback stand-in of the tests) allows its own host and port
    only. Anything else gets no token: a file event can name any URL — and one with user info (a@host), a
    backslash or a control character is refused, since urllib and the check could read different hosts."""
    if re.search(r"[\\\s\x00-\x1f\x7f]", url):  # a backslash or a control character: parsers disagree on the host
        return False
    target, api = urllib.parse.urlsplit(url), urllib.parse.urlsplit(api_url)
    if not target.hostname or not api.hostname or "@" in target.netloc:  # user info: the same
        return False
    if api.scheme != "https":
        return target.scheme == api.scheme and (target.hostname, target.port) == (api.hostname, api.port)
    domain = ".".join(api.hostname.split(".")[-2:])
    return target.scheme == "https" and (target.hostname == domain or target.hostname.endswith("." + domain))


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect, but the Authorization header only to the same scheme, host and port: urllib would
    carry it to wherever the redirect points."""

    def redirect_request(self, req, fp, code, msg_, headers, newurl):  # noqa: ANN001 — urllib's signature
        new = super().redirect_request(req, fp, code, msg_, headers, newurl)
        if new is not None:
            old, moved = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(new.full_url)
            if (old.scheme, old.hostname, old.port) != (moved.scheme, moved.hostname, moved.port):
                new.remove_header("Authorization")
                log.info("redirected to another host (%s): the bot token is not sent there", moved.hostname)
        return new


_FILE_OPENER = urllib.request.build_opener(_SameHostRedirects)

_FILETYPES = {"pdf": ".pdf", "xlsx": ".xlsx", "csv": ".csv"}  # Slack's `filetype` of each
_MIMETYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/csv": ".csv",
}


def _upload_kind(f: dict, name: str) -> str | None:
    """ ".pdf" | ".xlsx" | ".csv" from the file's Slack filetype, mimetype or name; None for anything else."""
    for kind in (_FILETYPES.get(f.get("filetype") or ""), _MIMETYPES.get(f.get("mimetype") or "")):
        if kind:
            return kind
    if f.get("filetype") in (None, "") and f.get("mimetype") in (None, ""):
        suffix = Path(name).suffix.lower()
        return suffix if suffix in report_files.SIGNATURES else ".pdf"  # no type at all: judged by its bytes as a PDF
    return None
