"""Slack's assistant surface (the AI-app side panel), through bolt's `Assistant` middleware.

- A thread starts (`assistant_thread_started`): suggested prompts built from the stored data — the partners
  with the most records, the month with the most events, the busiest department — each one a question
  koryu answers (`suggested_prompts`).
- The user writes in the thread: the thread is titled by the question, a status line shows while
  searching, and the answer is posted in the thread with the same blocks as a DM (feedback buttons
  included). A file sent in the thread is an upload, as in a DM.
- The context changes (`assistant_thread_context_changed`, the channel the user is viewing): nothing to
  do — answers do not depend on it, so no context is stored (bolt's default would write it to the thread).

bolt sends every direct message in a thread to the assistant listeners, so DM threads in workspaces
without the assistant view are answered here too; the status and title calls then fail harmlessly and
are logged at debug level. Slack's limits: 4 suggested prompts per thread (assistant.threads.setSuggestedPrompts).
"""

from __future__ import annotations

import logging
from collections import Counter

from slack_bolt import App, Assistant
from slack_sdk import WebClient

from bot import messages as msg
from bot import mrkdwn
from bot.listeners import events
from bot.listeners import registry as listen
from bot.listeners.common import Services
from bot.stores import open_for_reading

MAX_PROMPTS = 4  # Slack shows up to four suggested prompts
MAX_TITLE_CHARS = 100  # a thread title is a line in the history list; longer questions are cut with …


def suggested_prompts(koryu: Services) -> list[dict[str, str]]:
    """Up to MAX_PROMPTS {"title", "message"} pairs from what is stored: the two partners with the most
    records, the month (of the newest fiscal year) with the most events, the department with the most
    records. Falls back to fixed examples (bot.messages.EXAMPLES) when the data offers fewer."""
    db, _ = open_for_reading(koryu.db_path)
    with db:
        partners = [m for m in db.municipalities() if m.get("records")]
        years = db.fiscal_years()
        records = db.records(fiscal_year=max(years)) if years else []
    prompts: list[str] = []
    for m in partners[:2]:
        prompts.append(msg.PROMPT_PARTNER.format(name=m["short_name"] or m["name"]))
    months = Counter(str(r.intervals[0][0])[:7] for r in records if r.intervals and r.intervals[0][0] and not r.approximate)
    if months:
        ym = sorted(months.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        prompts.append(msg.PROMPT_MONTH.format(year=int(ym[:4]), month=int(ym[5:7])))
    departments = Counter(r.department for r in records if r.department)
    if departments:
        prompts.append(msg.PROMPT_DEPARTMENT.format(department=departments.most_common(1)[0][0]))
    for example in msg.EXAMPLES:
        if len(prompts) >= MAX_PROMPTS:
            break
        prompts.append(example)
    return [{"title": p, "message": p} for p in dict.fromkeys(prompts)][:MAX_PROMPTS]


def register(app: App, koryu: Services) -> None:
    assistant = Assistant()

    @assistant.thread_started
    def on_thread_started(payload: dict, client: WebClient, logger: logging.Logger) -> None:
        thread_started(koryu, payload, client, logger)

    @assistant.thread_context_changed
    def context_changed(payload: dict) -> None:
        pass  # answers do not depend on the channel being viewed: nothing to keep

    @assistant.user_message
    def on_user_message(payload: dict, client: WebClient, logger: logging.Logger) -> None:
        user_message(koryu, payload, client, logger)

    listen.assistant(app, assistant)


def thread_started(koryu: Services, payload: dict, client: WebClient, logger: logging.Logger) -> None:
    """The assistant panel opened: its suggested prompts, set after the ack."""
    thread = payload.get("assistant_thread") or {}
    channel, thread_ts = str(thread.get("channel_id") or ""), str(thread.get("thread_ts") or "")
    if not channel or not thread_ts:
        logger.warning("assistant_thread_started without its thread: ignored")
        return

    def suggest() -> None:
        try:
            client.assistant_threads_setSuggestedPrompts(
                channel_id=channel, thread_ts=thread_ts, title=msg.PROMPTS_TITLE, prompts=suggested_prompts(koryu)
            )
        except Exception:
            logger.exception("could not set the suggested prompts channel=%s", channel)

    koryu.later(suggest, "assistant thread start", posted=True)


def user_message(koryu: Services, payload: dict, client: WebClient, logger: logging.Logger) -> None:
    """A message in the assistant panel: a question answered in its thread, or a file (an admin's report)."""
    if payload.get("hidden"):
        return  # Slack's own bookkeeping, as in a DM (bot.listeners.events)
    if payload.get("subtype") == "file_share" or payload.get("files"):
        koryu.later(lambda: events.receive_files(koryu, payload, client, logger), "file upload", posted=True)
        return
    koryu.later(lambda: _answer(koryu, payload, client, logger), "assistant message", posted=True)


def _answer(koryu: Services, event: dict, client: WebClient, logger: logging.Logger) -> None:
    channel, thread_ts = str(event.get("channel") or ""), str(event.get("thread_ts") or "")
    question = koryu.query_text(event.get("text", ""))
    try:
        client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread_ts, status=msg.ASSISTANT_STATUS)
        if question:
            title = mrkdwn.truncate(question.replace("\n", " "), MAX_TITLE_CHARS)
            client.assistant_threads_setTitle(channel_id=channel, thread_ts=thread_ts, title=title)
    except Exception as e:  # a DM thread outside the assistant view: Slack refuses, the answer still goes out
        logger.debug("assistant status/title not set: %s", e)
    events.answer_message(koryu, event, client, logger, surface="assistant")
