"""Buttons under an answer: 前へ / 次へ and 「…」で探す (another reading, a "もしかして" name: update the same
message), CSVで出力 (upload the full result to the conversation, by channel ID), チャンネルに共有 (post an
ephemeral answer for everyone), 👍 / 👎 (stored in the question log; a 👎 opens a modal asking what the person
was looking for, whose text is stored with the vote). And under the question which report an untitled upload is: 置き換える: <series>
/ 別の報告書として追加 finish its ingest as that series — for an admin only, and only while the file offered is
still in the reports folder unchanged."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import messages as msg
from bot import render
from bot.listeners import registry as listen
from bot.listeners.common import Services, error_reply


def _payload(body: dict) -> dict:
    try:
        value = json.loads(body["actions"][0].get("value") or "{}")
        return value if isinstance(value, dict) else {}
    except (ValueError, KeyError, IndexError):
        return {}


def register(app: App, koryu: Services) -> None:
    def page(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        ack()
        koryu.later(lambda: _page(body, client, logger), "paging")

    def _page(body: dict, client: WebClient, logger: logging.Logger) -> None:
        respond = koryu.responder(body)
        value = _payload(body)
        ephemeral = bool(body.get("container", {}).get("is_ephemeral"))
        try:
            same = value.get("id")
            blocks, fallback = koryu.answer_blocks(
                str(value.get("q", "")),
                offset=max(0, int(value.get("o", 0))),
                shareable=ephemeral,
                question_id=same if isinstance(same, str) and same.isalnum() else None,
            )
            if ephemeral:
                respond(replace_original=True, text=fallback, blocks=blocks)
            else:
                client.chat_update(
                    channel=body["channel"]["id"], ts=body["container"]["message_ts"], text=fallback, blocks=blocks
                )
        except Exception as e:
            respond(response_type="ephemeral", replace_original=False, text=error_reply(logger, "paging", e, value=value))

    listen.action(app, render.ACTION_PREV)(page)
    listen.action(app, render.ACTION_NEXT)(page)
    listen.action(app, render.ACTION_ASK)(page)  # another reading: the same message shows its answer

    @listen.action(app, render.ACTION_CSV)
    def csv_export(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        ack()
        koryu.later(lambda: _csv_export(body, client, logger), "csv export")

    def _csv_export(body: dict, client: WebClient, logger: logging.Logger) -> None:
        respond = koryu.responder(body)
        value = _payload(body)
        channel = body.get("channel", {}).get("id") or body.get("container", {}).get("channel_id")
        try:
            result = koryu.search(str(value.get("q", "")), limit=None)
            label = result.query.label()
            client.files_upload_v2(
                channel=channel,
                content=render.csv_bytes(result.records),
                filename="koryu.csv",
                title=f"koryu {label}"[:200],
                initial_comment=msg.CSV_COMMENT.format(label=render.escape(label), total=result.total),
                thread_ts=body.get("container", {}).get("thread_ts"),
            )
        except Exception as e:
            reason = getattr(getattr(e, "response", None), "data", {}) or {}
            logger.error("csv upload failed: %s channel=%s", type(e).__name__, channel, exc_info=e)
            respond(
                response_type="ephemeral",
                replace_original=False,
                text=msg.CSV_FAILED.format(reason=render.escape(str(reason.get("error", type(e).__name__)))),
            )

    @listen.action(app, render.ACTION_SERIES)
    def series_choice(ack: Ack, body: dict, logger: logging.Logger) -> None:
        ack()
        koryu.later(lambda: _series_choice(body, logger), "series choice")

    def _series_choice(body: dict, logger: logging.Logger) -> None:
        respond = koryu.responder(body)
        value = _payload(body)
        try:
            if not koryu.settings.is_admin(body.get("user", {}).get("id")):
                respond(response_type="ephemeral", replace_original=False, text=msg.ADMIN_ONLY)
                return
            path = koryu.saved_report(value.get("f"), value.get("h"))
            series = value.get("s")
            if path is None or not isinstance(series, str):
                name = render.escape(str(value.get("f") or "?"))
                respond(response_type="ephemeral", replace_original=False, text=msg.SERIES_FILE_GONE.format(file=name))
                return
            outcomes = koryu.run_ingest([path], series=series)
            summary = render.ingest_summary(outcomes) or "—"
            respond(replace_original=True, text=summary, blocks=render.text_blocks("報告書の取り込み", summary))
        except Exception as e:
            respond(response_type="ephemeral", replace_original=False, text=error_reply(logger, "series choice", e, value=value))

    def _question_id(body: dict) -> str:
        value = _payload(body).get("id")
        return value if isinstance(value, str) and value.isalnum() and len(value) <= 32 else ""

    @listen.action(app, render.ACTION_VOTE_UP)
    def vote_up(ack: Ack, body: dict, logger: logging.Logger) -> None:
        ack()
        koryu.later(lambda: _vote_up(body, logger), "vote")

    def _vote_up(body: dict, logger: logging.Logger) -> None:
        respond = koryu.responder(body)
        question_id = _question_id(body)
        try:
            if not question_id:
                respond(response_type="ephemeral", replace_original=False, text=msg.FEEDBACK_GONE)
                return
            koryu.vote(question_id, 1, body.get("user", {}).get("id"))
            respond(response_type="ephemeral", replace_original=False, text=msg.FEEDBACK_THANKS)
        except Exception as e:
            respond(response_type="ephemeral", replace_original=False, text=error_reply(logger, "vote", e, id=question_id))

    @listen.action(app, render.ACTION_VOTE_DOWN)
    def vote_down(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        # the modal must open within 3 seconds of the click (trigger_id), so this runs here, after the ack,
        # on bolt's listener thread rather than behind queued answers
        ack()
        question_id = _question_id(body)
        try:
            if not question_id:
                koryu.responder(body)(response_type="ephemeral", replace_original=False, text=msg.FEEDBACK_GONE)
                return
            feedback_id = koryu.vote(question_id, -1, body.get("user", {}).get("id"))
            asked = koryu.logged_question(question_id)
            question = asked["question"] if asked else ""
            client.views_open(trigger_id=body["trigger_id"], view=render.feedback_modal(question_id, feedback_id, question))
        except Exception as e:
            text = error_reply(logger, "vote", e, id=question_id)
            try:
                koryu.responder(body)(response_type="ephemeral", replace_original=False, text=text)
            except Exception:
                logger.exception("could not deliver the apology for a vote")

    @listen.view(app, render.VIEW_FEEDBACK)
    def feedback(ack: Ack, body: dict, view: dict, logger: logging.Logger) -> None:
        ack()  # closes the modal at once; the text is stored after
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            feedback_id = int(meta.get("f"))
        except (ValueError, TypeError, AttributeError):
            logger.warning("feedback modal without its vote: %r", view.get("private_metadata", "")[:100])
            return
        field = view.get("state", {}).get("values", {}).get("koryu_feedback_text", {}).get("text", {})
        text = (field.get("value") or "").strip()
        if text:
            koryu.later(lambda: koryu.feedback_comment(feedback_id, text), "feedback comment")

    @listen.action(app, render.ACTION_SHARE)
    def share(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        ack()
        koryu.later(lambda: _share(body, client, logger), "share")

    def _share(body: dict, client: WebClient, logger: logging.Logger) -> None:
        respond = koryu.responder(body)
        value = _payload(body)
        channel = body.get("channel", {}).get("id")
        try:
            blocks, fallback = koryu.answer_blocks(str(value.get("q", "")), offset=max(0, int(value.get("o", 0))))
            blocks.insert(1, render.context([msg.SHARED_BY.format(user=body.get("user", {}).get("id", ""))]))
            client.chat_postMessage(channel=channel, text=fallback, blocks=blocks[: render.MAX_BLOCKS])
            respond(delete_original=True)
        except Exception as e:
            respond(response_type="ephemeral", replace_original=False, text=error_reply(logger, "share", e, channel=channel))
