"""Edges of the Slack app, each through the real `koryu serve --http` process over real HTTP on 127.0.0.1:
signature headers of every malformed shape, secrets kept out of the log (DEBUG included), and which DM
message subtypes are questions."""

from __future__ import annotations

import json
import re
import secrets
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import SIGNING_SECRET, block_texts, sign, start_slack_app, stop_slack_app, wait_until

FORM = "application/x-www-form-urlencoded"
BODY = b"command=%2Fkoryu&text=test&user_id=U1&channel_id=C1&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr"


def _log_path(app) -> Path:
    return Path(app.log.name)


def _wait_for_log(app, start: int, pattern: str, timeout_s: float = 10.0) -> str:
    """The log written since offset `start`, once it holds `pattern` (raises AssertionError on timeout)."""

    def new() -> str:
        written = _log_path(app).read_text(encoding="utf-8", errors="replace")[start:]
        return written if re.search(pattern, written) else ""

    return wait_until(new, f"{pattern!r} in the log", timeout_s)


VALID = object()  # the header as `sign` makes it, at the time the test runs


def _headers(timestamp: str | None | object = VALID, signature: str | None | object = VALID) -> dict[str, str]:
    good = sign(BODY)
    h = {}
    for name, value in (("X-Slack-Request-Timestamp", timestamp), ("X-Slack-Signature", signature)):
        if value is not None:
            h[name] = good[name] if value is VALID else value
    return h


MALFORMED = {
    # timestamps, with a signature of the right shape
    "ts-letters": {"timestamp": "abc"},
    "ts-empty": {"timestamp": ""},
    "ts-float-overflow": {"timestamp": "1e309"},
    "ts-missing": {"timestamp": None},
    "ts-negative": {"timestamp": "-1"},
    "ts-negative-now": {"timestamp": f"-{int(time.time())}"},
    "ts-plus": {"timestamp": f"+{int(time.time())}"},
    "ts-underscores": {"timestamp": "1_700_000_000"},
    "ts-fullwidth-digits": {"timestamp": "１７００００００００".encode().decode("latin-1")},  # UTF-8 on the wire
    "ts-huge": {"timestamp": "9" * 5000},
    "ts-beyond-int64": {"timestamp": "9" * 20},
    "ts-decimal": {"timestamp": f"{time.time():.3f}"},
    # signatures, with a current timestamp
    "sig-empty": {"signature": ""},
    "sig-bare-version": {"signature": "v0="},
    "sig-not-hex": {"signature": "v0=" + "z" * 64},
    "sig-short": {"signature": "v0=" + "a" * 63},
    "sig-long": {"signature": "v0=" + "a" * 65},
    "sig-other-version": {"signature": "v1=" + "a" * 64},
    "sig-no-version": {"signature": "a" * 64},
    "sig-missing": {"signature": None},
    "sig-non-ascii": {"signature": "v0=" + "é" * 64},  # compare_digest raises on non-ASCII
    "both-missing": {"timestamp": None, "signature": None},
}


@pytest.mark.parametrize("form", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_signature_headers_are_401_with_one_log_line(slack_app, form):
    start = _log_path(slack_app).stat().st_size
    status, body, _ = slack_app.post(BODY, FORM, headers=_headers(**MALFORMED[form]), signed=False)
    assert status == 401, body
    new = _wait_for_log(slack_app, start, "malformed signature header")
    rejected = [line for line in new.splitlines() if "signature" in line.lower()]
    assert len(rejected) == 1, new
    assert "WARNING" in rejected[0]
    assert "Traceback" not in new and " ERROR " not in new
    assert "Traceback" not in _log_path(slack_app).read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize(
    "headers",
    [
        {"timestamp": "9" * 18},  # the right shape, far from now: bolt's 5-minute window refuses it
        {"timestamp": "0"},
        {"signature": "v0=" + "0" * 64},  # the right shape, the wrong value
    ],
    ids=["ts-far-future", "ts-zero", "sig-wrong-value"],
)
def test_well_formed_but_wrong_signature_is_401_without_a_traceback(slack_app, headers):
    start = _log_path(slack_app).stat().st_size
    status, _, _ = slack_app.post(BODY, FORM, headers=_headers(**headers), signed=False)
    assert status == 401
    new = _wait_for_log(slack_app, start, "signature does not match")
    assert "Traceback" not in new and " ERROR " not in new


BAD_BODIES = {
    "json-not-json": (b"{not json", "application/json"),
    "json-array": (b"[1,2]", "application/json"),
    "form-payload-not-json": (b"payload=%7Bnope", FORM),
    "form-payload-array": (b"payload=%5B1%5D", FORM),
    "not-utf8": (b"payload=\xff\xfe", FORM),
    "actions-empty": (b"payload=" + urllib.parse.quote(json.dumps({"type": "block_actions", "actions": []})).encode(), FORM),
    "event-string": (json.dumps({"type": "event_callback", "event": "x", "team_id": "T0KORYU"}).encode(), "application/json"),
    "event-null": (json.dumps({"type": "event_callback", "event": None, "team_id": "T0KORYU"}).encode(), "application/json"),
    "action-without-id": (
        b"payload=" + urllib.parse.quote(json.dumps({"type": "block_actions", "actions": [{}]})).encode(),
        FORM,
    ),
    "view-null": (b"payload=" + urllib.parse.quote(json.dumps({"type": "view_submission", "view": None})).encode(), FORM),
    "view-without-type": (
        b"payload=" + urllib.parse.quote(json.dumps({"type": "view_submission", "view": {"callback_id": "x"}})).encode(),
        FORM,
    ),
}


@pytest.mark.parametrize("name", list(BAD_BODIES), ids=list(BAD_BODIES))
def test_bodies_bolt_cannot_read_are_refused_without_a_traceback(slack_app, name):
    """Unsigned, they are 401 before anything parses them; signed (only someone with the secret can), 4xx with
    one log line — never a 500 and a traceback."""
    body, content_type = BAD_BODIES[name]
    start = _log_path(slack_app).stat().st_size
    fake = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
    status, _, _ = slack_app.post(body, content_type, headers=fake, signed=False)
    assert status == 401
    status, _, _ = slack_app.post(body, content_type)  # signed with the real secret
    if name == "not-utf8":  # its signature cannot even be checked (the verifier reads the body as UTF-8)
        assert status == 401, status
        new = _wait_for_log(slack_app, start, "signature does not match(.|\n)*signature does not match")
    else:
        assert status == 400, status
        new = _wait_for_log(slack_app, start, "could not handle a signed request")
    assert "Traceback" not in new and " ERROR " not in new, new


def test_signed_request_still_accepted(slack_app):
    status, body, _ = slack_app.command("")  # help, answered in the ack
    assert status == 200 and "/koryu" in json.loads(body)["text"]


# ------------------------------------------------------------------------------------------ secrets
def _random_hex(n_bytes: int) -> str:
    """Random hex with a letter in every 6 characters, so no 6-character piece of it can turn up in a log's
    timestamps or ids by chance."""
    while True:
        value = secrets.token_hex(n_bytes)
        if not re.search(r"[0-9]{6}", value):
            return value


def _pieces(secret: str, n: int = 6) -> set[str]:
    return {secret[i : i + n] for i in range(len(secret) - n + 1)}


def _signed_post(app, secret: str, body: bytes, content_type: str) -> int:
    status, _, _ = app.post(body, content_type, headers=sign(body, secret=secret), signed=False)
    return status


@pytest.mark.slow
def test_log_holds_no_part_of_a_secret_even_at_debug(tmp_path, standin, ingested_path):
    signing_secret = _random_hex(16)
    bot_token = "xoxb-" + _random_hex(12)
    app = start_slack_app(
        tmp_path,
        standin,
        ingested_path,
        {"SLACK_SIGNING_SECRET": signing_secret, "SLACK_BOT_TOKEN": bot_token, "KORYU_LOG_LEVEL": "DEBUG"},
    )
    try:
        responses, posts = len(standin.of("response")), len(standin.of("chat.postMessage"))
        form = {
            "command": "/koryu",
            "text": "金沢市 物産展",
            "user_id": "UUSER1",
            "channel_id": "C0GENERAL",
            "team_id": "T0KORYU",
            "response_url": f"{standin.base}/response/secrets",
            "trigger_id": "1.2.3",
            "api_app_id": "A0KORYU",
        }
        assert _signed_post(app, signing_secret, urllib.parse.urlencode(form).encode(), FORM) == 200
        ts = f"{time.time():.6f}"
        event = {
            "type": "event_callback",
            "team_id": "T0KORYU",
            "api_app_id": "A0KORYU",
            "event_id": f"EvSECRET{time.time_ns()}",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": "D0SECRET",
                "user": "UUSER1",
                "text": "金沢市",
                "ts": ts,
            },
            "authorizations": [{"team_id": "T0KORYU", "user_id": "UBOTKORYU", "is_bot": True}],
        }
        assert _signed_post(app, signing_secret, json.dumps(event).encode(), "application/json") == 200
        # one signed with another secret: bolt logs what it refused
        assert _signed_post(app, SIGNING_SECRET, urllib.parse.urlencode(form).encode(), FORM) == 401
        standin.wait_for("response", responses + 1)
        standin.wait_for("chat.postMessage", posts + 1)
    finally:
        stop_slack_app(app)
    log = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert " DEBUG " in log  # KORYU_LOG_LEVEL took effect: the libraries' request logs are in it
    assert "'slack_signing_secret': 'set'" in log and "'slack_bot_token': 'set'" in log
    assert "'slack_app_token': 'not set'" in log
    assert signing_secret[:5] + "…" not in log  # what the start-up line used to show
    for name, secret in (("SLACK_SIGNING_SECRET", signing_secret), ("SLACK_BOT_TOKEN", bot_token[len("xoxb-") :])):
        leaked = sorted(p for p in _pieces(secret) if p in log)
        assert not leaked, f"{name}: {leaked}"


def test_log_filter_scrubs_a_secret_from_messages_and_tracebacks():
    import io
    import logging

    from bot.server import RedactSecrets

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactSecrets(["xoxb-123-secret", ""]))
    logger = logging.getLogger("koryu.test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("token %s in args", "xoxb-123-secret")
        try:
            raise RuntimeError("bad token xoxb-123-secret")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert "token *** in args" in text and "bad token ***" in text and "123-secret" not in text


# ------------------------------------------------------------------------------------------ DM subtypes
def _dm(subtype: str | None, text: str, **extra) -> dict:
    ts = f"{time.time():.6f}"
    event = {"type": "message", "channel_type": "im", "channel": "D0EDGES", "user": "UUSER1", "text": text, "ts": ts}
    if subtype:
        event["subtype"] = subtype
    event.update(extra)
    return event


def _posts_in_thread(standin, thread_ts: str) -> list[dict]:
    return [c.params for c in standin.of("chat.postMessage") if c.params.get("thread_ts") == thread_ts]


def _wait_thread(standin, thread_ts: str, timeout_s: float = 10.0) -> list[dict]:
    return wait_until(lambda: _posts_in_thread(standin, thread_ts), f"a post in thread {thread_ts}", timeout_s)


@pytest.mark.parametrize(
    "subtype, text",
    [
        ("thread_broadcast", "金沢市 物産展"),
        ("me_message", "金沢市 物産展"),
        (None, "金沢市 物産展 :pray:"),
        (None, "金沢市 物産展 :slightly_smiling_face:"),
        (None, ":slightly_smiling_face: 金沢市 物産展"),
    ],
    ids=["thread_broadcast", "me_message", "emoji-pray", "emoji-smile", "emoji-first"],
)
def test_dm_question_subtypes_are_answered_in_their_thread(slack_app, subtype, text):
    parent = f"{time.time() - 60:.6f}"
    event = _dm(subtype, text, **({"thread_ts": parent} if subtype == "thread_broadcast" else {}))
    status, _, _ = slack_app.event(event)
    assert status == 200
    thread = parent if subtype == "thread_broadcast" else event["ts"]
    posts = _wait_thread(slack_app.standin, thread)
    assert len(posts) == 1 and posts[0]["channel"] == "D0EDGES"
    assert "5件" in block_texts(posts[0]["blocks"])


IGNORED = {
    "message_changed": _dm(
        "message_changed",
        "",
        hidden=True,
        message={"type": "message", "user": "UUSER1", "text": "金沢市 物産展", "ts": "1.000001"},
        previous_message={"type": "message", "user": "UUSER1", "text": "金沢", "ts": "1.000001"},
    ),
    "message_deleted": _dm("message_deleted", "", hidden=True, deleted_ts="1.000001"),
    "message_replied": _dm("message_replied", "金沢市 物産展", hidden=True),
    "bot_message": _dm("bot_message", "金沢市 物産展", bot_id="B0OTHER"),
    "channel_join": _dm("channel_join", "<@UUSER1> has joined the channel"),
    "ekm_access_denied": _dm("ekm_access_denied", "Your admins have suspended everyone's access to this content."),
    "tombstone": _dm("tombstone", "This message was deleted.", hidden=True),
    "assistant_app_thread": _dm("assistant_app_thread", "金沢市 物産展"),
    "hidden-plain": _dm(None, "金沢市 物産展", hidden=True),
}


@pytest.mark.parametrize("kind", list(IGNORED), ids=list(IGNORED))
def test_dm_non_question_subtypes_get_no_answer(slack_app, kind):
    ignored = dict(IGNORED[kind], ts=f"{time.time():.6f}")
    assert slack_app.event(ignored)[0] == 200
    # then a plain question: once it is answered, the ignored event (sent first, handled the same way) had
    # every chance to be answered too
    question = _dm(None, "金沢市 物産展")
    assert slack_app.event(question)[0] == 200
    _wait_thread(slack_app.standin, question["ts"])
    assert _posts_in_thread(slack_app.standin, ignored["ts"]) == []


def test_lone_surrogates_in_a_mention_are_read_like_invisible_characters(slack_app):
    standin = slack_app.standin
    ts = f"{time.time():.6f}"
    event = {
        "type": "app_mention",
        "user": "UUSER1",
        "text": "<@UBOTKORYU> 金沢市 \ud800 物産展",
        "ts": ts,
        "channel": "C0GENERAL",
        "event_ts": ts,
    }
    start = _log_path(slack_app).stat().st_size
    status, _, _ = slack_app.event(event)
    assert status == 200
    post = _wait_thread(standin, ts)[0]
    assert "5件" in post["text"]
    assert "Traceback" not in _log_path(slack_app).read_text(encoding="utf-8", errors="replace")[start:]
