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
from slack_sdk import WebClient

import ingest as ingest_pkg
from bot import entry_views, mrkdwn, render
from bot import messages as msg
from bot.listeners import entries
from bot.listeners import registry as listen
from bot.listeners.common import Services, error_reply
from store.questions import Asked

HELP_WORDS = {"", "help", "ヘルプ", "使い方", "?", "？"}
CITY_WORDS = {"一覧", "cities", "自治体", "自治体一覧", "交流自治体"}
REPORT_WORDS = {"reports", "報告書", "レポート"}
INGEST_WORDS = {"ingest", "取り込み", "取込"}
ENTRY_WORDS = {"登録", "add", "記録", "新規登録"}
EXPORT_WORDS = {"export", "出力", "印刷"}
EXPORT_FORMATS = ("pdf", "xlsx")


def register(app: App, koryu: Services) -> None:
    """The slash command, on `app`."""

    @listen.command(app, koryu.settings.koryu_command)
    def on_command(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        command(koryu, ack, body, client, logger)


def command(koryu: Services, ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
    """One `/koryu …`: acked at once (with the answer when it is immediate: help, a refusal), the rest on the
    answer threads (see the module docstring)."""
    respond = koryu.responder(body)
    text = koryu.query_text(body.get("text", ""))
    word = text.lower()
    if word in ENTRY_WORDS:  # the 登録 modal: opened here, within the 3 seconds of its trigger_id
        ack()
        try:
            entries.open_modal(client, body, entry_views.entry_modal(), logger)
        except Exception as e:
            respond(response_type="ephemeral", text=error_reply(logger, "entry modal", e, user=body.get("user_id")))
        return
    head, _, rest = word.partition(" ")
    if head in EXPORT_WORDS:
        if not koryu.settings.is_admin(body.get("user_id")):
            ack(response_type="ephemeral", text=msg.ADMIN_ONLY)
            return
        args = rest.split()
        year = next((int(a) for a in args if a.isdigit() and len(a) == 4), None)
        fmt = next((a for a in args if a in EXPORT_FORMATS), "pdf")
        if year is None:
            ack(response_type="ephemeral", text=msg.EXPORT_USAGE.format(command=koryu.settings.koryu_command))
            return
        ack(response_type="ephemeral", text=msg.EXPORT_STARTED)
        koryu.later(lambda: _export(koryu, client, respond, logger, body, year, fmt), "export command", posted=True)
        return
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


def _export(
    koryu: Services, client: WebClient, respond: Callable[..., None], logger: logging.Logger, body: dict, year: int, fmt: str
) -> None:
    """The year's 一覧 (every series) printed as `koryu export` prints it, uploaded to the admin's DM with the app
    (conversations.open, then files.getUploadURLExternal + files.completeUploadExternal through
    WebClient.files_upload_v2; files.upload is retired)."""
    from bot import printing
    from bot.stores import open_for_reading

    user = body.get("user_id") or ""
    try:
        db, _ = open_for_reading(koryu.db_path)
        with db:
            lists = printing.stored_lists(db, year)
        if not lists:
            respond(response_type="ephemeral", text=msg.EXPORT_NONE.format(fiscal_year=year))
            return
        data = printing.pdf_bytes(lists) if fmt == "pdf" else printing.xlsx_bytes(lists)
        count = sum(len(p.records) for p in lists)
        channel = client.conversations_open(users=user)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            content=data,
            filename=f"交流実績一覧_{year}.{fmt}",
            title=f"交流実績一覧 {year}年度",
            initial_comment=msg.EXPORT_DONE.format(fiscal_year=year, count=count),
        )
    except Exception as e:  # the admin hears why (no font, not_in_channel, …); the log gets the traceback
        reason = getattr(getattr(e, "response", None), "data", {}) or {}
        why = str(reason.get("error") or "") or (str(e) if isinstance(e, printing.PrintError) else type(e).__name__)
        logger.error("export failed: %s", type(e).__name__, exc_info=e)
        respond(response_type="ephemeral", text=msg.EXPORT_FAILED.format(reason=mrkdwn.escape(why)))


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
            respond(response_type="ephemeral", text=msg.INGEST_NO_FOLDER.format(folder=mrkdwn.escape(str(folder))))
            return
        files = ingest_pkg.expand_paths([folder])
        if not files:
            respond(response_type="ephemeral", text=msg.INGEST_NO_FILES.format(folder=mrkdwn.escape(str(folder))))
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
