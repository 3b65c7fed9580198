"""The App Home tab: what koryu is, example questions, stored reports and the last ingest."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot import messages as msg
from bot import render
from bot.answer import open_for_reading
from bot.listeners import registry as listen
from bot.listeners.common import Koryu


def home_view(koryu: Koryu) -> dict:
    """The Home tab view (type "home"), ≤ 100 blocks (views allow 100; we stay far below)."""
    db, sample = open_for_reading(koryu.db_path)
    with db:
        reports = db.reports()
        last = db.last_ingest()
    _, report_lines = render.reports_text(reports)
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": msg.HOME_TITLE}},
        render.section(msg.HOME_INTRO),
        render.section(msg.HOME_EXAMPLES),
        {"type": "divider"},
        render.section(msg.HOME_REPORTS + "\n" + render.truncate(report_lines, 2800)),
    ]
    if sample:
        blocks.append(render.context([msg.SAMPLE_NOTICE.format(title="令和6年度 交流実績一覧")]))
    elif last:
        blocks.append(
            render.context(
                [
                    msg.HOME_LAST_INGEST.format(
                        when=render.local_time(last["finished_at"]),
                        source=render.escape(last["source"].split("/")[-1]),
                        status=last["status"],
                    )
                ]
            )
        )
    else:
        blocks.append(render.context([msg.HOME_NO_INGEST]))
    return {"type": "home", "blocks": blocks}


def register(app: App, koryu: Koryu) -> None:
    @listen.event(app, "app_home_opened")
    def on_home(event: dict, client: WebClient, logger: logging.Logger) -> None:
        if event.get("tab") not in (None, "home"):
            return

        def publish() -> None:
            try:
                client.views_publish(user_id=event["user"], view=home_view(koryu))
            except Exception:
                logger.exception("views.publish failed user=%s", event.get("user"))

        koryu.later(publish, "app home")
