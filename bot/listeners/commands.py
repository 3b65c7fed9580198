"""The slash command (`/koryu` or KORYU_COMMAND).

`/koryu` or `help` → usage; `一覧` / `cities` → partners with counts; `reports` → stored reports;
`ingest` → admins re-read KORYU_REPORTS_DIR; anything else (a municipality included) → search.
Answers are ephemeral with a 「チャンネルに共有」 button. The command is acked at once; the answer follows
through `respond` (response_url), so the 3-second ack deadline never depends on the search.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Ack, App

import ingest as ingest_pkg
from bot import messages as msg
from bot import render
from bot.listeners import registry as listen
from bot.listeners.common import Services, error_reply
from store.questions import Asked

HELP_WORDS = {"", "help", "ヘルプ", "使い方", "?", "？"}
CITY_WORDS = {"一覧", "cities", "自治体", "自治体一覧", "交流自治体"}
REPORT_WORDS = {"reports", "報告書", "レポート"}
INGEST_WORDS = {"ingest", "取り込み", "取込"}


def register(app: App, koryu: Services) -> None:
    @listen.command(app, koryu.settings.koryu_command)
    def handle_command(ack: Ack, body: dict, logger: logging.Logger) -> None:
        respond = koryu.responder(body)
        text = koryu.query_text(body.get("text", ""))
        word = text.lower()
        if word in HELP_WORDS:
            command = koryu.settings.koryu_command
            ack(
                response_type="ephemeral",
                text=msg.help_text(command),
                blocks=render.text_blocks(msg.HELP_TITLE, msg.help_text(command)),
            )
            return
        if word in INGEST_WORDS:
            if not koryu.settings.is_admin(body.get("user_id")):
                ack(response_type="ephemeral", text=msg.ADMIN_ONLY)
                return
            ack(response_type="ephemeral", text=msg.INGEST_STARTED)
            koryu.later(lambda: _ingest_reports_dir(koryu, respond, logger, body), "ingest command")
            return
        ack()
        koryu.later(lambda: _answer(koryu, word, text, respond, logger, body), "slash command")


def _answer(koryu: Services, word: str, text: str, respond: Callable[..., None], logger: logging.Logger, body: dict) -> None:
    try:
        if word in CITY_WORDS:
            from bot.stores import open_for_reading

            db, _ = open_for_reading(koryu.db_path)
            with db:
                title, lines = render.cities_text(db.municipalities())
            respond(response_type="ephemeral", text=title + "\n" + lines, blocks=render.text_blocks(title, lines))
        elif word in REPORT_WORDS:
            from bot.stores import open_for_reading

            db, _ = open_for_reading(koryu.db_path)
            with db:
                title, lines = render.reports_text(db.reports())
            respond(response_type="ephemeral", text=title + "\n" + lines, blocks=render.text_blocks(title, lines))
        else:
            asked = Asked("command", body.get("user_id"))
            blocks, fallback = koryu.answer_blocks(text, shareable=True, asked=asked)
            respond(response_type="ephemeral", text=fallback, blocks=blocks)
    except Exception as e:  # the user always gets an answer; the log gets the traceback
        apology = error_reply(logger, "slash command", e, user=body.get("user_id"), channel=body.get("channel_id"))
        try:
            respond(response_type="ephemeral", text=apology)
        except Exception:
            logger.exception("could not deliver the apology via response_url")


def _ingest_reports_dir(koryu: Services, respond: Callable[..., None], logger: logging.Logger, body: dict) -> None:
    folder = koryu.settings.reports_dir
    try:
        if not folder.is_dir():
            respond(response_type="ephemeral", text=msg.INGEST_NO_FOLDER.format(folder=render.escape(str(folder))))
            return
        files = ingest_pkg.expand_paths([folder])
        if not files:
            respond(response_type="ephemeral", text=msg.INGEST_NO_FILES.format(folder=render.escape(str(folder))))
            return
        outcomes = koryu.run_ingest(files)
        summary = render.ingest_summary(outcomes)
        if summary:
            respond(response_type="ephemeral", text=summary, blocks=render.text_blocks("報告書の取り込み", summary))
        for outcome in outcomes:  # an untitled report of a year with named ones: which is it?
            if outcome.series_choice is not None:
                blocks, fallback = koryu.series_choice(outcome)
                respond(response_type="ephemeral", text=fallback, blocks=blocks)
    except Exception as e:
        respond(response_type="ephemeral", text=error_reply(logger, "ingest command", e, user=body.get("user_id")))
