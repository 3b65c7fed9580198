"""Edges of the Slack app, each through the real `koryu serve --http` process over real HTTP on 127.0.0.1:
signature headers of every malformed shape."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.conftest import sign

FORM = "application/x-www-form-urlencoded"
BODY = b"command=%2Fkoryu&text=test&user_id=U1&channel_id=C1&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr"


def _log_path(app) -> Path:
    return Path(app.log.name)


def _wait_for_log(app, start: int, pattern: str, timeout_s: float = 10.0) -> str:
    """The log written since offset `start`, once it holds `pattern` (raises AssertionError on timeout)."""
    deadline = time.time() + timeout_s
    while True:
        new = _log_path(app).read_text(encoding="utf-8", errors="replace")[start:]
        if re.search(pattern, new):
            return new
        if time.time() > deadline:
            raise AssertionError(f"{pattern!r} not in the log:\n{new}")
        time.sleep(0.02)


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
    new = _wait_for_log(slack_app, start, "Invalid request signature")
    assert "Traceback" not in new and " ERROR " not in new


def test_signed_request_still_accepted(slack_app):
    status, body, _ = slack_app.command("")  # help, answered in the ack
    assert status == 200 and "/koryu" in json.loads(body)["text"]
