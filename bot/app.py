"""The Slack app: build the bolt `App` and register each listener group. Listeners live in `bot.listeners`.

slack-bolt handles signature verification (HMAC-SHA256, 5-minute timestamp window), acks, retries' headers
and the Web API client; slack-sdk's retry handlers retry 429 (honouring Retry-After), 5xx and connection
errors. `SLACK_API_URL` sets the Web API base URL (GovSlack: https://slack-gov.com/api/; tests: a stand-in on
127.0.0.1).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners import actions, assistant, commands, entries, events, home
from bot.listeners.common import HTTP_TIMEOUT_S, Services, retry_handlers
from bot.settings import Settings

# bolt runs each listener (whose first act is ack) on these threads; the answers themselves go to
# Services.work (bot/listeners/common.py), so a burst of slow searches never delays an ack.
LISTENER_THREADS = 32


def web_client(settings: Settings) -> WebClient:
    """A WebClient for SLACK_API_URL with the one retry policy (bot.listeners.common.retry_handlers) in place
    of slack-sdk's default (connection errors once)."""
    return WebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=HTTP_TIMEOUT_S,
        retry_handlers=retry_handlers(),
    )


class _QuietTokenWarning(logging.Filter):
    """bolt warns "As you gave `client` as well, `token` will be unused" whenever SLACK_BOT_TOKEN is in the
    environment; the client is built from that very token (web_client), so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def build_app(settings: Settings, db_path: str | None = None) -> App:
    """The bolt App with every listener registered. Raises BoltError when the token is rejected by auth.test."""
    logger = logging.getLogger("koryu.slack")
    if not any(isinstance(f, _QuietTokenWarning) for f in logger.filters):
        logger.addFilter(_QuietTokenWarning())
    app = App(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret or None,
        logger=logger,
        process_before_response=False,  # ack first, answer from the listener thread
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="koryu-listener"),
    )
    koryu = Services(settings=settings, db_path=db_path or settings.koryu_db)
    commands.register(app, koryu)
    assistant.register(app, koryu)  # before `events`: bolt's Assistant takes DM threads first
    events.register(app, koryu)
    actions.register(app, koryu)
    home.register(app, koryu)
    entries.register(app, koryu)
    app.koryu_services = koryu  # type: ignore[attr-defined]  # for a clean stop (bot.server.run_waitress)
    return app
