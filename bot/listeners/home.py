"""The App Home tab: what koryu is, example questions, stored reports and the last ingest; for admins
(KORYU_ADMIN_USERS) also the question log — the questions that found nothing and the answers voted 👎 (most
frequent first, with counts, and what people said they were looking for) and the most asked questions.
Other users never see the log."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from slack_bolt import App
from slack_sdk import WebClient

import store
from bot import messages as msg
from bot import mrkdwn, render
from bot.listeners import registry as listen
from bot.listeners.common import Services
from bot.stores import open_for_reading
from store.titles import series_label

HOME_LIST = 10  # questions per admin list


def home_view(koryu: Services, user: str | None = None) -> dict:
    """The Home tab view (type "home") for `user`, ≤ 100 blocks (views allow 100; we stay far below): the
    admin's view of the question log is added for admins only."""
    try:
        db, sample = open_for_reading(koryu.db_path)
        with db:
            reports = db.reports()
            last = db.last_ingest()
    except Exception as e:  # the Home tab still opens, and says what is wrong
        return {
            "type": "home",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": msg.HOME_TITLE}},
                render.section(msg.HOME_INTRO),
                render.context([msg.HOME_DB_ERROR.format(reason=mrkdwn.escape(str(e))[:500])]),
            ],
        }
    _, report_lines = render.reports_text(reports)
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": msg.HOME_TITLE}},
        render.section(msg.HOME_INTRO),
        render.section(msg.HOME_EXAMPLES),
        {"type": "divider"},
        render.section(msg.HOME_REPORTS + "\n" + mrkdwn.truncate(report_lines, 2800)),
    ]
    if sample:
        title = next((r["title"] for r in reports if r.get("title")), series_label(""))
        blocks.append(render.context([msg.SAMPLE_NOTICE.format(title=title)]))
    elif last:
        blocks.append(
            render.context(
                [
                    msg.HOME_LAST_INGEST.format(
                        when=render.local_time(last["finished_at"]),
                        source=mrkdwn.escape(last["source"].split("/")[-1]),
                        status=last["status"],
                    )
                ]
            )
        )
    else:
        blocks.append(render.context([msg.HOME_NO_INGEST]))
    if koryu.settings.is_admin(user):
        blocks += admin_blocks(koryu)
    return {"type": "home", "blocks": blocks}


def admin_blocks(koryu: Services) -> list[dict]:
    """The question log for an admin, over the retention window (KORYU_QUESTION_LOG_DAYS): unanswered and
    voted-down questions most frequent first, then the most asked. Empty lists say so."""
    days = koryu.settings.koryu_question_log_days
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    unanswered = disliked = most = []
    if Path(koryu.db_path).exists():  # no question asked yet: nothing to show, and no file to create
        with store.open(koryu.db_path) as db:
            log = db.questions
            unanswered = log.summary(since, unanswered=True, limit=HOME_LIST)
            disliked = log.summary(since, disliked=True, limit=HOME_LIST)
            most = log.summary(since, limit=HOME_LIST)

    def lines(rows: list[dict], line) -> str:
        return mrkdwn.truncate("\n".join(line(r) for r in rows), 2900) if rows else msg.HOME_NO_QUESTIONS

    def asked_line(r: dict) -> str:
        reading = msg.HOME_QUESTION_READ.format(interpretation=mrkdwn.escape(r["interpretation"]))
        shown = msg.HOME_QUESTION_LINE.format(question=mrkdwn.escape(r["question"]), count=r["asked"])
        return shown + (reading if r["interpretation"] and r["interpretation"] != r["question"] else "")

    def disliked_line(r: dict) -> str:
        out = msg.HOME_DISLIKED_LINE.format(
            question=mrkdwn.escape(r["question"]), down=r["down"], count=r["asked"], found=r["found"]
        )
        return "\n".join([out] + [msg.HOME_COMMENT_LINE.format(comment=mrkdwn.escape(c)) for c in r["comments"][:3]])

    return [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": msg.HOME_ADMIN_TITLE.format(days=days)}},
        render.section(msg.HOME_UNANSWERED + "\n" + lines(unanswered, asked_line)),
        render.section(msg.HOME_DISLIKED + "\n" + lines(disliked, disliked_line)),
        render.section(msg.HOME_MOST_ASKED + "\n" + lines(most, asked_line)),
        render.context([msg.HOME_ADMIN_CLI]),
    ]


def register(app: App, koryu: Services) -> None:
    @listen.event(app, "app_home_opened")
    def on_home(event: dict, client: WebClient, logger: logging.Logger) -> None:
        home(koryu, event, client, logger)


def home(koryu: Services, event: dict, client: WebClient, logger: logging.Logger) -> None:
    """The Home tab opened: its view published after the ack (the admin's view of the question log for admins)."""
    if event.get("tab") not in (None, "home") or not event.get("user"):
        return

    def publish() -> None:
        try:
            client.views_publish(user_id=event["user"], view=home_view(koryu, event.get("user")))
        except Exception:
            logger.exception("views.publish failed user=%s", event.get("user"))

    koryu.later(publish, "app home", posted=True)
