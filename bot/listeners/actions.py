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
from bot.listeners.payload import Click
from store.records import csv_bytes

Respond = Callable[..., None]
# a button's work after the ack: (services, the click, the Web API client, the logger, respond)
Work = Callable[[Services, Click, WebClient, logging.Logger, Respond], None]


def tell(respond: Respond, text: str) -> None:
    """A message only the clicker sees, below the message they clicked (which stays)."""
    respond(response_type="ephemeral", replace_original=False, text=text)


# ------------------------------------------------------------------------------------------------ handlers
def page(koryu: Services, click: Click, client: WebClient, logger: logging.Logger, respond: Respond) -> None:
    """前へ / 次へ, and another reading (「熊本県内」で探す): the answer's page in the same message — chat.update for a
    message in a conversation, response_url for an ephemeral one (or one the payload does not locate)."""
    blocks, fallback = koryu.answer_blocks(
        click.question,
        offset=click.offset,
        shareable=click.ephemeral,
        question_id=click.question_id or None,
        after=click.after,
    )
    if click.ephemeral or not (click.channel and click.message_ts):
        respond(replace_original=True, text=fallback, blocks=blocks)
    else:
        client.chat_update(channel=click.channel, ts=click.message_ts, text=fallback, blocks=blocks)


def csv_export(koryu: Services, click: Click, client: WebClient, logger: logging.Logger, respond: Respond) -> None:
    """CSVで出力: every record of the answer as koryu.csv in the conversation (files_upload_v2, in the answer's
    thread); Slack's reason when it refuses (not_in_channel …) goes to the clicker."""
    if not click.channel:
        tell(respond, msg.CSV_FAILED.format(reason="channel"))
        return
    try:
        result = koryu.search(click.question, limit=None, after=click.after)
        label = result.query.label()
        client.files_upload_v2(
            channel=click.channel,
            content=csv_bytes(result.records),
            filename="koryu.csv",
            title=f"koryu {label}"[:200],
            initial_comment=msg.CSV_COMMENT.format(label=mrkdwn.escape(label), total=result.total),
            thread_ts=click.thread_ts or None,
        )
    except Exception as e:  # Slack's reason (not_in_channel, …) tells the user what to do
        reason = getattr(getattr(e, "response", None), "data", {}) or {}
        logger.error("csv upload failed: %s channel=%s", type(e).__name__, click.channel, exc_info=e)
        tell(respond, msg.CSV_FAILED.format(reason=mrkdwn.escape(str(reason.get("error", type(e).__name__)))))


def series_choice(koryu: Services, click: Click, client: WebClient, logger: logging.Logger, respond: Respond) -> None:
    """置き換える: <series> / 別の報告書として追加 under an untitled upload: its ingest finished as that series — for
    an admin, and only while the file offered is still in the reports folder unchanged."""
    if not koryu.settings.is_admin(click.user):
        tell(respond, msg.ADMIN_ONLY)
        return
    path = koryu.saved_report(click.value.get("f"), click.value.get("h"))
    series = click.value.get("s")
    if path is None or not isinstance(series, str):
        tell(respond, msg.SERIES_FILE_GONE.format(file=mrkdwn.escape(str(click.value.get("f") or "?"))))
        return
    outcomes = koryu.run_ingest([path], series=series)
    summary = render.ingest_summary(outcomes) or "—"
    respond(replace_original=True, text=summary, blocks=render.text_blocks(msg.INGEST_TITLE, summary))


def share(koryu: Services, click: Click, client: WebClient, logger: logging.Logger, respond: Respond) -> None:
    """チャンネルに共有: an ephemeral answer posted for everyone (who shared it said), the ephemeral one removed."""
    blocks, fallback = koryu.answer_blocks(click.question, offset=click.offset, after=click.after)
    blocks.insert(1, render.context([msg.SHARED_BY.format(user=click.user)]))
    client.chat_postMessage(channel=click.channel, text=fallback, blocks=blocks[: mrkdwn.MAX_BLOCKS])
    respond(delete_original=True)


def vote_up(koryu: Services, click: Click, client: WebClient, logger: logging.Logger, respond: Respond) -> None:
    """👍: stored with the logged question; thanks to the clicker."""
    if not click.question_id:
        tell(respond, msg.FEEDBACK_GONE)
        return
    koryu.vote(click.question_id, 1, click.user or None)
    tell(respond, msg.FEEDBACK_THANKS)


def vote_down(koryu: Services, click: Click, client: WebClient, logger: logging.Logger) -> None:
    """👎: stored, then a modal asking what the person was looking for (its text is stored with the vote). Runs
    on bolt's listener thread: the modal must open within 3 seconds of the click (trigger_id)."""
    respond = koryu.responder_to(click.response_url)
    try:
        if not click.question_id:
            tell(respond, msg.FEEDBACK_GONE)
            return
        feedback_id = koryu.vote(click.question_id, -1, click.user or None)
        if not click.trigger_id:  # no modal can open without it: the vote alone is kept
            tell(respond, msg.FEEDBACK_THANKS)
            return
        asked = koryu.logged_question(click.question_id)
        question = asked["question"] if asked else ""
        client.views_open(
            trigger_id=click.trigger_id, view=render.feedback_modal(click.question_id, feedback_id, question, click.user)
        )
    except Exception as e:
        text = error_reply(logger, "vote", e, id=click.question_id)
        try:
            tell(respond, text)
        except Exception:
            logger.exception("could not deliver the apology for a vote")


def feedback(koryu: Services, body: dict, view: dict, logger: logging.Logger) -> None:
    """The 👎 modal submitted: its text stored with the vote named in the modal's metadata — by the voter only."""
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


# ------------------------------------------------------------------------------------------------ wiring
# after the ack, on the answer threads; another reading (ACTION_ASK) shows its answer in the same message, as a page
AFTER_ACK: list[tuple[tuple[Any, ...], Work, str]] = [
    ((render.ACTION_PREV, render.ACTION_NEXT, render.ACTION_ASK_ANY), page, "paging"),
    ((render.ACTION_CSV,), csv_export, "csv export"),
    ((render.ACTION_SERIES,), series_choice, "series choice"),
    ((render.ACTION_SHARE,), share, "share"),
    ((render.ACTION_VOTE_UP,), vote_up, "vote"),
]


def after_ack(koryu: Services, work: Work, what: str) -> Callable[..., None]:
    """A bolt listener that acks at once and runs `work` on the answer threads; an exception in it is logged and
    becomes the apology only the clicker sees."""

    def listener(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        ack()
        click = Click.of(body)

        def run() -> None:
            respond = koryu.responder_to(click.response_url)
            try:
                work(koryu, click, client, logger, respond)
            except Exception as e:
                tell(respond, error_reply(logger, what, e, value=click.value))

        koryu.later(run, what)

    return listener


def register(app: App, koryu: Services) -> None:
    """Every button and the 👎 modal's submission, on `app`."""
    for action_ids, work, what in AFTER_ACK:
        listener = after_ack(koryu, work, what)
        for action_id in action_ids:
            listen.action(app, action_id)(listener)

    @listen.action(app, render.ACTION_VOTE_DOWN)
    def on_vote_down(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        ack()  # then, on this thread: the modal must open within 3 seconds of the click
        vote_down(koryu, Click.of(body), client, logger)

    @listen.view(app, render.VIEW_FEEDBACK)
    def on_feedback(ack: Ack, body: dict, view: dict, logger: logging.Logger) -> None:
        ack()  # closes the modal at once; the text is stored after
        feedback(koryu, body, view, logger)
