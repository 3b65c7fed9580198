"""Running the Slack app: HTTP mode on waitress, or Socket Mode.

HTTP mode serves bolt's WSGI adapter on waitress, a production WSGI server (pure Python, no fork, Windows
too). Rejected: bolt's development server (`app.start`, not for production), gunicorn (Unix-only, and a
second process model to explain for a single-purpose bot). `GET /healthz` answers 200 "ok" for load
balancers without touching Slack.

A request whose X-Slack-Request-Timestamp is not a plain number or whose X-Slack-Signature is not
`v0=` + 64 hex digits (missing, empty, another version) is answered 401 here with one warning line, as bolt
answers a wrong signature: bolt's verifier would raise on it (int() of the timestamp, compare_digest of a
non-ASCII signature) and answer 500 with a traceback.

The signature itself is checked here too (slack-sdk's SignatureVerifier: HMAC-SHA256 of the body, and a
timestamp within five minutes) before bolt parses the body: bolt parses first, so an unsigned request
whose body is not JSON or form data would reach its parser and answer 500 with a traceback. A signed
request that bolt still cannot handle (a malformed payload only someone holding the secret could send) is
answered 400 with one log line. Bodies over MAX_BODY_BYTES are refused 413.

The log never holds a secret: the start-up line says only whether each is set, and a filter on the log
handlers replaces any secret's value with *** in whatever a library logs (slack_sdk at DEBUG logs
requests and responses).
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import urllib.parse
from urllib.error import URLError

from slack_bolt.error import BoltError
from slack_sdk.signature import SignatureVerifier

from bot import messages as msg
from bot.settings import Settings
from bot.settings import load as load_settings

log = logging.getLogger("koryu")

TIMESTAMP_SHAPE = re.compile(r"[0-9]{1,18}")  # Unix seconds; 18 digits stay within a 64-bit int
SIGNATURE_SHAPE = re.compile(r"v0=[0-9a-f]{64}")  # HMAC-SHA256 in lowercase hex, Slack's only version
UNAUTHORIZED_BODY = b'{"error": "invalid request"}'  # what bolt answers a wrong signature
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are a few KB (a view submission at most some tens)


def malformed_signature_header(environ: dict) -> str | None:
    """The name of the first Slack signature header that is missing or not of its shape, else None."""
    for header, key, shape in (
        ("X-Slack-Request-Timestamp", "HTTP_X_SLACK_REQUEST_TIMESTAMP", TIMESTAMP_SHAPE),
        ("X-Slack-Signature", "HTTP_X_SLACK_SIGNATURE", SIGNATURE_SHAPE),
    ):
        if not shape.fullmatch(environ.get(key) or ""):
            return header
    return None


def unreadable_payload(body: bytes, content_type: str) -> str | None:
    """Why bolt could not read this body — not UTF-8, a JSON body or form `payload` that is not an object,
    block_actions without actions, an event_callback whose event is not an object with a type, a view
    submission without a view object — or None. bolt answers such bodies 500 with a traceback; Slack never
    sends them, so they are refused 400 with a line naming the fault."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    if "json" in content_type:
        raw: str | None = text
    else:
        raw = urllib.parse.parse_qs(text).get("payload", [None])[0]
    if raw is None:
        return None  # a slash command's form
    try:
        payload = json.loads(raw)
    except ValueError:
        return "the payload is not JSON"
    if not isinstance(payload, dict):
        return "the payload is not a JSON object"
    if not isinstance(payload.get("type", ""), str):
        return "the payload's type is not a string"
    if payload.get("type") == "event_callback":
        event = payload.get("event")
        if not (isinstance(event, dict) and isinstance(event.get("type"), str)):
            return "an event_callback without an event object and its type"
    if payload.get("type") in ("view_submission", "view_closed"):
        view = payload.get("view")
        if not (isinstance(view, dict) and isinstance(view.get("type"), str) and isinstance(view.get("callback_id", ""), str)):
            return f"a {payload['type']} without a view object and its type"
    actions = payload.get("actions")
    if payload.get("type") == "block_actions" and not (
        isinstance(actions, list)
        and actions
        and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    ):
        return "block_actions without actions (each an object with an action_id)"
    return None


def _body(environ: dict) -> bytes | None:
    """The request body (at most MAX_BODY_BYTES; None when longer)."""
    stream = environ.get("wsgi.input")
    data = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
    return None if len(data) > MAX_BODY_BYTES else data


def _refuse(start_response, status: str) -> list[bytes]:
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(UNAUTHORIZED_BODY)))])
    return [UNAUTHORIZED_BODY]


def representations(secret: str) -> set[str]:
    """Every way a secret may be printed: as is, escaped as in repr() and JSON, as the repr of its bytes, percent-
    encoded, and each of its lines of 8 characters or more (a value with a line break split by a header error)."""
    forms = {
        secret,
        repr(secret)[1:-1],
        json.dumps(secret)[1:-1],
        repr(secret.encode("utf-8"))[2:-1],
        urllib.parse.quote(secret, safe=""),
    }
    forms |= {line for line in re.split(r"[\r\n]+", secret) if len(line) >= 8}
    return {f for f in forms if f}


class RedactSecrets(logging.Filter):
    """Replaces every secret's value with *** in a record's message and traceback, in every representation
    (`representations`)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = sorted({form for s in secrets if s for form in representations(s)}, key=len, reverse=True)

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let logging report it as usual
            return True
        record.msg, record.args = self._scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self._scrub(record.stack_info)
        return True


def configure_logging(settings: Settings) -> None:
    """The root log at KORYU_LOG_LEVEL, with secrets scrubbed from every handler's output."""
    logging.basicConfig(level=settings.koryu_log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    root = logging.getLogger()
    root.setLevel(settings.koryu_log_level)
    for handler in root.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets(settings.secret_values()))


def wsgi_app(settings: Settings, db_path: str):
    """The WSGI application: POST /slack/events (and /slack/commands, /slack/interactivity) → bolt, GET /healthz."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.app import build_app

    bolt_app = build_app(settings, db_path)
    handler = SlackRequestHandler(bolt_app)
    verifier = SignatureVerifier(settings.slack_signing_secret)

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok"]
        if path.startswith("/slack/") and environ.get("REQUEST_METHOD") == "POST":
            header = malformed_signature_header(environ)
            if header is not None:  # bolt's verifier must not see it (see the module docstring)
                log.warning("rejected a request with a missing or malformed signature header (%s) on %s", header, path)
                return _refuse(start_response, "401 Unauthorized")
            body = _body(environ)
            if body is None:
                log.warning("rejected a request body over %d bytes on %s", MAX_BODY_BYTES, path)
                return _refuse(start_response, "413 Payload Too Large")
            timestamp, signature = environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"], environ["HTTP_X_SLACK_SIGNATURE"]
            try:
                valid = verifier.is_valid(body, timestamp, signature)
            except ValueError:  # slack-sdk decodes the body as UTF-8 first: not UTF-8 cannot be Slack's
                valid = False
            if not valid:
                log.warning("rejected a request whose signature does not match (or is over five minutes old) on %s", path)
                return _refuse(start_response, "401 Unauthorized")
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
            problem = unreadable_payload(body, environ.get("CONTENT_TYPE", ""))
            if problem:
                log.warning("could not handle a signed request on %s: %s", path, problem)
                return _refuse(start_response, "400 Bad Request")
            try:
                return handler(environ, start_response)
            except Exception as e:  # signed, yet not a payload bolt can read
                log.warning("could not handle a signed request on %s: %s %s", path, type(e).__name__, str(e)[:200])
                return _refuse(start_response, "400 Bad Request")
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found"]

    application.koryu_services = bolt_app.koryu_services  # type: ignore[attr-defined]
    return application


def serve(mode: str, host: str = "0.0.0.0", port: int = 3000, db_path: str | None = None) -> None:
    """Run until interrupted. Raises ValueError (one line) when a setting is missing, invalid or still the
    example from .env.example, or Slack refuses the token or cannot be reached at start-up."""
    settings = load_settings()  # SettingsError, a ValueError, for a value a setting cannot have
    configure_logging(settings)
    db_path = db_path or settings.koryu_db
    if not settings.slack_bot_token:
        raise ValueError(msg.SERVE_NO_BOT_TOKEN)
    if mode == "socket" and not settings.slack_app_token:
        raise ValueError(msg.SERVE_NO_APP_TOKEN)
    if mode == "http" and not settings.slack_signing_secret:
        raise ValueError(msg.SERVE_NO_SIGNING_SECRET)
    examples = settings.still_example(["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if mode == "socket" else "SLACK_SIGNING_SECRET"])
    if examples:
        names = ", ".join(examples)
        raise ValueError(msg.SERVE_EXAMPLE_VALUES.format(names=names, verb="holds" if len(examples) == 1 else "hold"))
    where = f"http://{host}:{port}/slack/events" if mode == "http" else "Socket Mode"
    shown = {k: v for k, v in settings.redacted().items() if k != "port"}  # the port in use is in `where`
    log.info("starting koryu on %s, database %s, settings %s", where, db_path, shown)
    if not settings.koryu_admin_users:
        log.warning("KORYU_ADMIN_USERS is empty: nobody can ingest reports from Slack (/koryu ingest, PDF by DM)")
    try:
        if mode == "socket":
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            from bot.app import build_app
            from bot.stores import warm

            threading.Thread(target=warm, args=(db_path,), name="koryu-warm", daemon=True).start()
            SocketModeHandler(build_app(settings, db_path), settings.slack_app_token).start()
            return
        application = wsgi_app(settings, db_path)
    except BoltError as e:  # auth.test refused the token
        raise ValueError(msg.SERVE_TOKEN_REJECTED.format(why=e)) from None
    except (URLError, OSError) as e:
        raise ValueError(msg.SERVE_UNREACHABLE.format(url=settings.slack_api_url, why=getattr(e, "reason", e))) from None
    from bot.stores import warm

    threading.Thread(target=warm, args=(db_path,), name="koryu-warm", daemon=True).start()
    run_waitress(application, host, port)


# waitress's limits (its defaults allow 100 connections that may stall for 120 s, and read a 1 GiB body)
WAITRESS = {
    "threads": 16,
    "connection_limit": 200,  # open connections; Slack's own retries and 20 staff at once need far fewer
    "channel_timeout": 15,  # seconds a connection may stay silent (a stalled header), then it is closed
    "max_request_body_size": MAX_BODY_BYTES,  # refused 413 before it is read whole
    "max_request_header_size": 64 * 1024,
    "cleanup_interval": 5,
    "ident": "koryu",
}
SHUTDOWN_GRACE_S = 20  # SIGTERM: answers in flight get this long to finish


def run_waitress(application, host: str, port: int) -> None:
    """Serve `application` with WAITRESS's limits until SIGTERM or SIGINT; then stop taking requests, let the
    answers in flight finish (at most SHUTDOWN_GRACE_S), log it and return (exit 0)."""
    import signal

    import waitress

    server = waitress.create_server(application, host=host, port=port, **WAITRESS)

    stopping = threading.Event()

    def stop(signum, _frame) -> None:
        if stopping.is_set():
            return
        stopping.set()
        log.info("stopping on %s: no new requests, finishing the answers in flight", signal.Signals(signum).name)
        # waitress's loop re-raises only KeyboardInterrupt and SystemExit from a handler (anything else it logs
        # and goes on), and on either it shuts its request threads down and returns
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if not stopping.is_set():
        return
    server.close()  # the listening socket: nothing new is accepted
    server.task_dispatcher.shutdown(timeout=5)  # requests being handled finish their ack
    services = getattr(application, "koryu_services", None)
    finished = True
    if services is not None:
        finished = services.drain(SHUTDOWN_GRACE_S)
    log.info("stopped%s", "" if finished else f" (answers still running after {SHUTDOWN_GRACE_S} s were left)")
