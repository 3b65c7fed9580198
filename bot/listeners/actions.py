"""Buttons under an answer: 前へ / 次へ and 「…」で探す (another reading, a "もしかして" name: update the same
message), CSVで出力 (upload the full result to the conversation, by channel ID), チャンネルに共有 (post an
ephemeral answer for everyone), 👍 / 👎 (stored in the question log; a 👎 opens a modal asking what the person
was looking for, whose text is stored with the vote). And under the question which report an untitled upload
is: 置き換える: <series> / 別の報告書として追加 finish its ingest as that series — for an admin only, and only
while the file offered is still in the reports folder unchanged.

Every button is acked at once and its work runs on the answer threads (`after_ack`), where a failure becomes
an apology only the clicker sees; the 👎 alone opens its modal on bolt's listener thread, since a modal
must open within 3 seconds of the click."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import messages as msg
from bot import mrkdwn, render
from bot.listeners import registry as listen
from bot.listeners.common import Services, error_reply
from store.records import csv_bytes


def _payload(body: dict) -> dict:
    try:
        value = json.loads(body["actions"][0].get("value") or "{}")
        return value if isinstance(value, dict) else {}
    except (ValueError, KeyError, IndexError):
        return {}


MAX_OFFSET = 1_000_000  # a page further than any stored result


def _offset(value: dict) -> int:
    """The button's record offset: a whole number 0..MAX_OFFSET, anything else (text, a fraction, null) 0."""
    o = value.get("o", 0)
    if isinstance(o, bool) or not isinstance(o, int):
        return 0
    return max(0, min(o, MAX_OFFSET))


def _question_id(value: dict) -> str:
    """The logged question a button's value names (store.questions ids are 16 hex), "" for anything else."""
    question_id = value.get("id")
    return question_id if isinstance(question_id, str) and question_id.isalnum() and len(question_id) <= 32 else ""


def _context(value: dict) -> tuple[str, ...]:
    """The earlier questions a follow-up's button carries (`render.page_value`), oldest first; () for anything
    that is not a short list of strings."""
    earlier = value.get("a")
    if not isinstance(earlier, list):
        return ()
    return tuple(str(e) for e in earlier[: render.MAX_CONTEXT] if isinstance(e, str))


def _tell(respond: Callable[..., None], text: str) -> None:
    """A message only the clicker sees, below the message they clicked (which stays)."""
    respond(response_type="ephemeral", replace_original=False, text=text)


Work = Callable[[dict, WebClient, logging.Logger, Callable[..., None]], Any]


def register(app: App, koryu: Services) -> None:
    def after_ack(*action_ids: Any, what: str) -> Callable[[Work], Work]:
        """Register `work(body, client, logger, respond)` for these action ids: ack at once, then run it on
        the answer threads; an exception in it is logged and becomes the apology (ephemeral)."""

        def decorate(work: Work) -> Work:
            def listener(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
                ack()

                def run() -> None:
                    respond = koryu.responder(body)
                    try:
                        work(body, client, logger, respond)
                    except Exception as e:
                        _tell(respond, error_reply(logger, what, e, value=_payload(body)))

                koryu.later(run, what)

            for action_id in action_ids:
                listen.action(app, action_id)(listener)
            return work

        return decorate

    # another reading (ACTION_ASK) shows its answer in the same message, as a page does
    @after_ack(render.ACTION_PREV, render.ACTION_NEXT, render.ACTION_ASK_ANY, what="paging")
    def page(body: dict, client: WebClient, logger: logging.Logger, respond: Callable[..., None]) -> None:
        value = _payload(body)
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        blocks, fallback = koryu.answer_blocks(
            str(value.get("q", "")),
            offset=_offset(value),
            shareable=ephemeral,
            question_id=_question_id(value) or None,
            after=_context(value),
        )
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        ts = (body.get("container") or {}).get("message_ts")
        if ephemeral or not (channel and ts):  # an ephemeral message, or one the payload does not locate
            respond(replace_original=True, text=fallback, blocks=blocks)
        else:
            client.chat_update(channel=channel, ts=ts, text=fallback, blocks=blocks)

    @after_ack(render.ACTION_CSV, what="csv export")
    def csv_export(body: dict, client: WebClient, logger: logging.Logger, respond: Callable[..., None]) -> None:
        value = _payload(body)
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if not channel:
            _tell(respond, msg.CSV_FAILED.format(reason="channel"))
            return
        try:
            result = koryu.search(str(value.get("q", "")), limit=None, after=_context(value))
            label = result.query.label()
            client.files_upload_v2(
                channel=channel,
                content=csv_bytes(result.records),
                filename="koryu.csv",
                title=f"koryu {label}"[:200],
                initial_comment=msg.CSV_COMMENT.format(label=mrkdwn.escape(label), total=result.total),
                thread_ts=(body.get("container") or {}).get("thread_ts"),
            )
        except Exception as e:  # Slack's reason (not_in_channel, …) tells the user what to do
            reason = getattr(getattr(e, "response", None), "data", {}) or {}
            logger.error("csv upload failed: %s channel=%s", type(e).__name__, channel, exc_info=e)
            _tell(respond, msg.CSV_FAILED.format(reason=mrkdwn.escape(str(reason.get("error", type(e).__name__)))))

    @after_ack(render.ACTION_SERIES, what="series choice")
    def series_choice(body: dict, client: WebClient, logger: logging.Logger, respond: Callable[..., None]) -> None:
        value = _payload(body)
        if not koryu.settings.is_admin((body.get("user") or {}).get("id")):
            _tell(respond, msg.ADMIN_ONLY)
            return
        path = koryu.saved_report(value.get("f"), value.get("h"))
        series = value.get("s")
        if path is None or not isinstance(series, str):
            _tell(respond, msg.SERIES_FILE_GONE.format(file=mrkdwn.escape(str(value.get("f") or "?"))))
            return
        outcomes = koryu.run_ingest([path], series=series)
        summary = render.ingest_summary(outcomes) or "—"
        respond(replace_original=True, text=summary, blocks=render.text_blocks(msg.INGEST_TITLE, summary))

    @after_ack(render.ACTION_SHARE, what="share")
    def share(body: dict, client: WebClient, logger: logging.Logger, respond: Callable[..., None]) -> None:
        value = _payload(body)
        blocks, fallback = koryu.answer_blocks(str(value.get("q", "")), offset=_offset(value), after=_context(value))
        blocks.insert(1, render.context([msg.SHARED_BY.format(user=(body.get("user") or {}).get("id", ""))]))
        channel = str((body.get("channel") or {}).get("id") or "")
        client.chat_postMessage(channel=channel, text=fallback, blocks=blocks[: mrkdwn.MAX_BLOCKS])
        respond(delete_original=True)

    @after_ack(render.ACTION_VOTE_UP, what="vote")
    def vote_up(body: dict, client: WebClient, logger: logging.Logger, respond: Callable[..., None]) -> None:
        question_id = _question_id(_payload(body))
        if not question_id:
            _tell(respond, msg.FEEDBACK_GONE)
            return
        koryu.vote(question_id, 1, (body.get("user") or {}).get("id"))
        _tell(respond, msg.FEEDBACK_THANKS)

    @listen.action(app, render.ACTION_VOTE_DOWN)
    def vote_down(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        ack()  # then, on this thread: the modal must open within 3 seconds of the click (trigger_id)
        question_id = _question_id(_payload(body))
        try:
            if not question_id:
                _tell(koryu.responder(body), msg.FEEDBACK_GONE)
                return
            user = (body.get("user") or {}).get("id")
            feedback_id = koryu.vote(question_id, -1, user)
            if not body.get("trigger_id"):  # no modal can open without it: the vote alone is kept
                _tell(koryu.responder(body), msg.FEEDBACK_THANKS)
                return
            asked = koryu.logged_question(question_id)
            question = asked["question"] if asked else ""
            view = render.feedback_modal(question_id, feedback_id, question, user or "")
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except Exception as e:
            text = error_reply(logger, "vote", e, id=question_id)
            try:
                _tell(koryu.responder(body), text)
            except Exception:
                logger.exception("could not deliver the apology for a vote")

    @listen.view(app, render.VIEW_FEEDBACK)
    def feedback(ack: Ack, body: dict, view: dict, logger: logging.Logger) -> None:
        ack()  # closes the modal at once; the text is stored after
        meta_text: str = view["private_metadata"] if isinstance(view.get("private_metadata"), str) else ""
        try:
            meta = json.loads(meta_text or "{}")
        except ValueError:
            meta = None
        feedback_id = meta.get("f") if isinstance(meta, dict) else None
        if isinstance(feedback_id, bool) or not isinstance(feedback_id, int) or not 0 < feedback_id < 2**63:
            logger.warning("feedback modal without its vote: %r", meta_text[:100])
            return
        if meta.get("u") and meta.get("u") != (body.get("user") or {}).get("id"):
            logger.warning("feedback modal submitted by someone other than the voter: ignored")
            return
        text = _modal_text(view)
        if text:
            koryu.later(lambda: koryu.feedback_comment(feedback_id, text), "feedback comment")


def _modal_text(view: dict) -> str:
    """The text typed into the 👎 modal, "" when the submission holds none (or not in the shape Slack sends)."""
    values = (view.get("state") or {}).get("values") or {}
    block = values.get("koryu_feedback_text") if isinstance(values, dict) else None
    field = block.get("text") if isinstance(block, dict) else None
    value = field.get("value") if isinstance(field, dict) else None
    return value.strip() if isinstance(value, str) else ""
