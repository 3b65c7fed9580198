"""The real app (`koryu serve --http`: waitress + bolt) over real HTTP, with signed requests, talking to the
Web API stand-in on 127.0.0.1."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import ADMIN, block_texts, read_log, wait_until


def _response_for(standin, since: int) -> dict:
    return wait_until(lambda: standin.of("response")[since:], "a response_url post")[-1].params


def test_slash_command_answers_with_the_five_records(slack_app):
    before = len(slack_app.standin.of("response"))
    status, body, elapsed = slack_app.command("金沢市 物産展")
    assert status == 200
    assert elapsed < 3.0
    answer = _response_for(slack_app.standin, before)
    assert answer["response_type"] == "ephemeral"
    text = block_texts(answer["blocks"])
    assert "金沢市 × 物産展: 5件" in text
    for phrase in ("アルバルク東京", "ほおずき市", "かなざわマルシェ", "文京梅まつり", "都市交流フェスタにて、物産展を実施"):
        assert phrase in text
    assert answer["text"].strip()  # a plain-text fallback is always sent
    assert len(answer["blocks"]) <= 50


def test_slash_command_help(slack_app):
    status, body, _ = slack_app.command("")
    assert status == 200
    payload = json.loads(body)
    assert "/koryu 金沢市 物産展" in payload["text"]


@pytest.mark.slow
def test_mention_answered_once_in_thread_even_when_redelivered(slack_app):
    standin = slack_app.standin
    ts = f"{time.time():.6f}"
    event = {
        "type": "app_mention",
        "user": "UUSER1",
        "text": "<@UBOTKORYU> 金沢市 物産展",
        "ts": ts,
        "channel": "C0GENERAL",
        "event_ts": ts,
    }
    before = len(standin.of("chat.postMessage"))
    status, _, elapsed = slack_app.event(event, event_id="EvMENTION1")
    assert status == 200 and elapsed < 3.0
    # Slack re-delivers the same event, then the same message arrives as a message event too
    status, _, _ = slack_app.event(
        event, event_id="EvMENTION1", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert status == 200
    standin.wait_for("chat.postMessage", before + 1)
    # the redelivery that loses the dedupe says so in the log, after which it can post nothing
    wait_until(lambda: read_log(slack_app).count(f"repeated delivery msg:C0GENERAL:{ts}") == 1, "the repeat dropped")
    assert len([c for c in standin.of("chat.postMessage")[before:] if c.params.get("thread_ts") == ts]) == 1
    posts = [c.params for c in standin.of("chat.postMessage")[before:]]
    assert len(posts) == 1
    assert posts[0]["thread_ts"] == ts and posts[0]["channel"] == "C0GENERAL"
    assert "5件" in posts[0]["text"]


def test_bad_signature_and_stale_timestamp_are_rejected(slack_app):
    body = b"command=%2Fkoryu&text=test&user_id=U1&channel_id=C1&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr"
    status, _, _ = slack_app.post(
        body,
        "application/x-www-form-urlencoded",
        headers={"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=deadbeef"},
        signed=False,
    )
    assert status == 401
    status, _, _ = slack_app.post(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60)
    assert status == 401
    status, _, _ = slack_app.post(body, "application/x-www-form-urlencoded", signed=False)
    assert status == 401


def test_non_admin_cannot_ingest(slack_app):
    status, body, _ = slack_app.command("ingest", user="UNOBODY")
    assert status == 200
    assert "管理者" in json.loads(body)["text"]


@pytest.mark.slow
def test_admin_ingest_reads_reports_dir(admin_slack_app, sample_report_pdf):
    (admin_slack_app.reports_dir / "r6.pdf").write_bytes(sample_report_pdf.read_bytes())
    before = len(admin_slack_app.standin.of("response"))
    status, _, _ = admin_slack_app.command("ingest", user=ADMIN)
    assert status == 200
    answer = _response_for(admin_slack_app.standin, before)
    assert "2024年度 交流実績一覧（協定等締結自治体） 123件" in answer["text"] and "変更 0" in answer["text"]
