"""Running the Slack app: HTTP mode on waitress, or Socket Mode.

HTTP mode serves bolt's WSGI adapter on waitress, a production WSGI server (pure Python, no fork, Windows
too). Rejected: bolt's development server (`app.start`, not for production), gunicorn (Unix-only, and a
second process model to explain for a single-purpose bot). `GET /healthz` answers 200 "ok" for load
balancers without touching Slack.
"""

from __future__ import annotations

import logging

from bot.settings import Settings

log = logging.getLogger("koryu")


def wsgi_app(settings: Settings, db_path: str):
    """The WSGI application: POST /slack/events (and /slack/commands, /slack/interactivity) → bolt, GET /healthz."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.app import build_app

    handler = SlackRequestHandler(build_app(settings, db_path))

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok"]
        if path.startswith("/slack/") and environ.get("REQUEST_METHOD") == "POST":
            return handler(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found"]

    return application


def serve(mode: str, host: str = "0.0.0.0", port: int = 3000, db_path: str | None = None) -> None:
    """Run until interrupted. Raises ValueError (one line) when a required setting is missing."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    db_path = db_path or settings.koryu_db
    if not settings.slack_bot_token:
        raise ValueError("SLACK_BOT_TOKEN が設定されていません / SLACK_BOT_TOKEN is not set (see .env.example)")
    log.info("starting koryu (%s) with %s", mode, settings.redacted())
    if mode == "socket":
        if not settings.slack_app_token:
            raise ValueError("Socket Mode には SLACK_APP_TOKEN が必要です / Socket Mode needs SLACK_APP_TOKEN")
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from bot.app import build_app

        SocketModeHandler(build_app(settings, db_path), settings.slack_app_token).start()
        return
    if not settings.slack_signing_secret:
        raise ValueError("HTTP モードには SLACK_SIGNING_SECRET が必要です / HTTP mode needs SLACK_SIGNING_SECRET")
    import waitress

    waitress.serve(wsgi_app(settings, db_path), host=host, port=port, threads=16, ident="koryu")
