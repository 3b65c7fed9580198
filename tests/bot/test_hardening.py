"""Hardening, through `koryu serve --http` and the Web API stand-in: the bot token goes only to Slack's file
hosts over the scheme of SLACK_API_URL, never across a redirect to another host."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import ADMIN, read_log, wait_until
from tests.drivers import thread_replies
from tests.slack_standin import BOT_TOKEN, SlackStandIn

pytestmark = pytest.mark.slow  # processes and files: the fast lane (make test-fast) leaves them to CI

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def elsewhere():
    """Another host on loopback (another port): it records what reaches it and serves any file asked for."""
    s = SlackStandIn().start()
    yield s
    s.stop()


def _share(app, name: str, url: str) -> str:
    ts = f"{time.time():.6f}"
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": "D0" + ADMIN,
        "user": ADMIN,
        "ts": ts,
        "text": "",
        "files": [
            {
                "id": "F" + name,
                "name": name,
                "filetype": "pdf",
                "mimetype": "application/pdf",
                "size": len(PDF),
                "url_private_download": url,
            }
        ],
    }
    status, _, _ = app.event(event)
    assert status == 200
    return ts


def _tokens_seen(standin) -> list[str]:
    return [c.headers.get("authorization", "") for c in standin.calls if c.method == "download"]


def test_the_token_is_not_sent_to_a_url_on_another_host(admin_slack_app, elsewhere):
    app = admin_slack_app
    elsewhere.files["other.pdf"] = PDF
    ts = _share(app, "other.pdf", f"{elsewhere.base}/files/other.pdf")
    [reply] = thread_replies(app.standin, "D0" + ADMIN, ts, 1)
    assert "Slack のファイルの URL ではありません" in reply
    assert _tokens_seen(elsewhere) == []  # nothing was even asked of it
    assert not (app.reports_dir / "other.pdf").exists()
    wait_until(lambda: "refused to send the bot token to 127.0.0.1" in read_log(app), "the refusal logged")
    assert BOT_TOKEN not in read_log(app)


def test_a_redirect_to_another_host_loses_the_token(admin_slack_app, elsewhere):
    app = admin_slack_app
    elsewhere.files["moved.pdf"] = PDF
    app.standin.redirects["moved.pdf"] = f"{elsewhere.base}/files/moved.pdf"
    ts = _share(app, "moved.pdf", f"{app.standin.base}/files/moved.pdf")
    thread_replies(app.standin, "D0" + ADMIN, ts, 1)
    seen = wait_until(lambda: _tokens_seen(elsewhere), "the redirected download")
    assert seen == [""]  # the other host was asked, without Authorization (so it refused: 403)
    assert f"Bearer {BOT_TOKEN}" in _tokens_seen(app.standin)  # Slack's own host got it


@pytest.mark.parametrize(
    "url, api, allowed",
    [
        ("https://files.slack.com/files-pri/T1-F1/r.pdf", "https://slack.com/api/", True),
        ("http://files.slack.com/files-pri/T1-F1/r.pdf", "https://slack.com/api/", False),  # plain http
        ("https://files.slack.com.example.net/r.pdf", "https://slack.com/api/", False),
        ("https://example.com/r.pdf", "https://slack.com/api/", False),
        ("https://files.slack-gov.com/r.pdf", "https://slack-gov.com/api/", True),  # GovSlack
        ("https://files.slack.com/r.pdf", "https://slack-gov.com/api/", False),
        ("http://127.0.0.1:4000/files/r.pdf", "http://127.0.0.1:4000/api/", True),  # the stand-in
        ("http://127.0.0.1:4001/files/r.pdf", "http://127.0.0.1:4000/api/", False),
        ("http://evil.example@127.0.0.1:4000/files/r.pdf", "http://127.0.0.1:4000/api/", False),  # user info
        ("http://127.0.0.1:4001\\@127.0.0.1:4000/files/r.pdf", "http://127.0.0.1:4000/api/", False),
        ("https://files.slack.com\t@evil.example/r.pdf", "https://slack.com/api/", False),
        ("https://user@files.slack.com/r.pdf", "https://slack.com/api/", False),
    ],
)
def test_which_urls_get_the_token(url, api, allowed):
    from bot.listeners.events import token_may_go_to

    assert token_may_go_to(url, api) is allowed


def test_a_secret_with_a_line_break_is_refused_at_start_and_never_printed(tmp_path):
    from tests.drivers import clean_env, run

    secret = "xoxb-1111-2222-abcdefSECRET\nsecond-line-SECRET"
    env = clean_env(SLACK_BOT_TOKEN=secret, SLACK_SIGNING_SECRET="s3cret")
    p = run("serve", "--http", "--port", "0", cwd=tmp_path, env=env, check=False)
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert p.returncode == 1 and len(lines) == 1 and "SLACK_BOT_TOKEN" in lines[0], p.stderr
    assert "SECRET" not in p.stderr + p.stdout


def test_the_log_filter_scrubs_every_representation_of_a_secret():
    import logging

    from bot.server import RedactSecrets

    secret = "xoxb-1111-2222-abc\ndef-SECRET-tail"
    f = RedactSecrets([secret])
    for shown in (secret, repr(secret), repr(secret.encode()), f"Bearer {secret!r}", "b'Bearer " + repr(secret.encode())[2:-1]):
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "Invalid header value %s", (shown,), None)
        f.filter(record)
        assert "SECRET" not in record.getMessage() and "xoxb-1111" not in record.getMessage(), record.getMessage()


# ------------------------------------------------------------------------------------------ Block Kit
def test_the_stand_in_refuses_what_slack_refuses():
    from tests import blockkit

    button = {"type": "button", "text": {"type": "plain_text", "text": "ok"}, "action_id": "a", "value": "v"}
    ok = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}, {"type": "actions", "elements": [button]}]
    assert blockkit.problems(ok) == []
    cases = {
        "repeated in the block": [{"type": "actions", "elements": [button, button]}],
        "block_id 'b' repeated": [{"type": "divider", "block_id": "b"}, {"type": "divider", "block_id": "b"}],
        "limit 50": [{"type": "divider"}] * 51,
        "limit 3000": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        "limit 150": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        "limit 75": [{"type": "actions", "elements": [{**button, "text": {"type": "plain_text", "text": "x" * 76}}]}],
        "limit 2000": [{"type": "actions", "elements": [{**button, "value": "x" * 2001}]}],
        "limit 25 in actions": [{"type": "actions", "elements": [{**button, "action_id": f"a{k}"} for k in range(26)]}],
        "limit 10 in context": [{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}],
        "text empty": [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}],
    }
    for expected, blocks in cases.items():
        assert any(expected in p for p in blockkit.problems(blocks)), (expected, blockkit.problems(blocks))
    title = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []}
    assert any("limit 24" in p for p in blockkit.view_problems(title))


def test_several_suggestion_buttons_have_their_own_action_ids_and_each_works(slack_app):
    import json

    from tests.drivers import block_action, buttons, next_call

    s = slack_app.standin
    before = len(s.of("response"))
    slack_app.command("盛岡市 給食")
    first = next_call(s, "response", before).params
    asks = {k: v for k, v in buttons(first["blocks"]).items() if k.startswith("koryu_ask")}
    assert len(asks) >= 2 and set(asks) >= {"koryu_ask", "koryu_ask_1"}, list(asks)
    before = len(s.of("response"))
    value = asks["koryu_ask_1"]["value"]
    status, _, _ = slack_app.action(block_action("koryu_ask_1", value, ephemeral=True, response_url=f"{s.base}/response/a1"))
    assert status == 200
    answer = next_call(s, "response", before).params
    assert json.loads(value)["q"] in str(answer["blocks"]) or "件" in answer.get("text", "")


# ------------------------------------------------------------------------------------------ a broken database
def test_a_database_that_cannot_be_opened_still_gets_an_apology_and_a_home_tab(tmp_path, isolated_standin):
    from tests.conftest import start_slack_app, stop_slack_app
    from tests.drivers import thread_posts

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all\n" * 200)
    work = tmp_path / "work"
    work.mkdir()
    app = start_slack_app(work, isolated_standin, garbage)
    try:
        ts = f"{time.time():.6f}"
        mention = {"type": "app_mention", "user": "UUSER1", "text": "<@UBOTKORYU> 金沢市", "ts": ts, "channel": "C0GENERAL"}
        assert app.event({**mention, "event_ts": ts})[0] == 200
        [reply] = thread_posts(isolated_standin, "C0GENERAL", ts, 1)
        assert "うまくいきませんでした" in reply["text"], reply["text"]
        ts2 = f"{time.time():.6f}"
        dm = {"type": "message", "channel_type": "im", "channel": "D0UUSER2", "user": "UUSER2", "text": "金沢市", "ts": ts2}
        assert app.event({**dm, "event_ts": ts2})[0] == 200
        assert thread_posts(isolated_standin, "D0UUSER2", ts2, 1)
        home = {"type": "app_home_opened", "user": "UHOME9", "channel": "D0HOME9", "tab": "home", "event_ts": ts2}
        assert app.event(home)[0] == 200
        published = isolated_standin.wait_for("views.publish", 1, 15)[-1].params
        assert "データベースを開けません" in json.dumps(published["view"], ensure_ascii=False)
    finally:
        stop_slack_app(app)


# ------------------------------------------------------------------------------------------ slow neighbours
def test_a_slow_chat_post_message_does_not_hold_the_slash_answers(isolated_slack_app):
    app, s = isolated_slack_app, isolated_slack_app.standin
    s.slow["chat.postMessage"] = 6.0
    for k in range(8):  # more mentions than answer threads, each waiting on the slow endpoint
        ts = f"{time.time():.6f}"
        event = {"type": "app_mention", "user": "UUSER1", "text": "<@UBOTKORYU> 金沢市", "ts": ts, "channel": f"C0SLOW{k}"}
        assert app.event({**event, "event_ts": ts})[0] == 200
    time.sleep(0.3)
    started = time.time()
    before = len(s.of("response"))
    for q in ("金沢市", "物産展", "防災", "給食", "盛岡市"):
        assert app.command(q)[0] == 200
    s.wait_for("response", before + 5, timeout_s=5.0)  # not behind the mentions' 6 s posts
    assert time.time() - started < 5.0
    s.slow.clear()


# ------------------------------------------------------------------------------------------ the server itself
def test_sigterm_stops_cleanly_with_exit_0_and_a_log_line(tmp_path, isolated_standin, ingested_path):
    import signal

    from tests.conftest import start_slack_app

    app = start_slack_app(tmp_path, isolated_standin, ingested_path)
    assert app.command("金沢市")[0] == 200
    app.proc.send_signal(signal.SIGTERM)
    assert app.proc.wait(timeout=30) == 0
    app.log.close()
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "stopping on SIGTERM" in log and "stopped" in log.split("stopping on SIGTERM", 1)[1]
    assert "Traceback" not in log


def test_waitress_limits_a_large_body_and_stalled_connections(slack_app):
    import socket
    import urllib.error
    import urllib.request

    big = b"x" * (2 * 1024 * 1024)  # unsigned: refused before it is read whole
    req = urllib.request.Request(
        slack_app.base + "/slack/events", data=big, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        status = urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as e:
        status = e.code
    except (ConnectionError, urllib.error.URLError):
        status = 413  # waitress may close the connection after answering 413 while the client still sends
    assert status in (401, 413)
    stalled = []
    host, port = slack_app.base.rsplit("//", 1)[1].split(":")
    for _ in range(120):  # more than waitress's default limit (100) of connections that send half a header and stall
        c = socket.create_connection((host, int(port)), timeout=5)
        c.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
        stalled.append(c)
    try:
        assert slack_app.command("金沢市")[0] == 200  # still answered
    finally:
        for c in stalled:
            c.close()
    from bot.server import WAITRESS

    assert WAITRESS["max_request_body_size"] == 1024 * 1024 and WAITRESS["channel_timeout"] <= 30


# ------------------------------------------------------------------------------------------ a full disk
FULL_DISK = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))  # writes past it fail: EFBIG
"""


def _with_file_size_limit(limit: int, *args: str, cwd=None):
    import subprocess
    import sys

    from tests.conftest import koryu_bin

    code = FULL_DISK + "import os; os.execv(sys.argv[2], sys.argv[2:])"
    return subprocess.run(
        [sys.executable, "-c", code, str(limit), koryu_bin(), *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_ingest_on_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, sample_report_pdf):
    db = tmp_path / "new.db"
    for limit in (100_000, 400_000):  # full while creating the database; full while storing the records
        p = _with_file_size_limit(limit, "ingest", str(sample_report_pdf), "--db", str(db))
        assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
        assert "ディスクに書き込めません" in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
        assert sorted(x.name for x in tmp_path.iterdir()) == [], list(tmp_path.iterdir())


def test_a_full_disk_never_damages_stored_records(tmp_path, ingested_path, sample_report_pdf):
    import shutil

    import store

    db = tmp_path / "k.db"
    shutil.copy(ingested_path, db)
    with store.open(db) as s:
        s.conn.execute("DELETE FROM records WHERE rowid IN (SELECT rowid FROM records LIMIT 3)")  # re-ingest must write
        before = s.conn.execute("SELECT count(*) FROM records").fetchone()[0]
    size = db.stat().st_size
    p = _with_file_size_limit(size + 4096, "ingest", str(sample_report_pdf), "--db", str(db))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    with store.open(db) as s:
        assert s.conn.execute("SELECT count(*) FROM records").fetchone()[0] == before
        assert s.ask("金沢市 物産展").total >= 4


def test_an_upload_that_cannot_be_saved_leaves_no_part_file(tmp_path):
    import subprocess
    import sys

    code = FULL_DISK + (
        "from pathlib import Path; from bot.listeners.events import save_upload\n"
        "try:\n    save_upload(Path(sys.argv[2]), 'r.pdf', b'%PDF-' + b'x' * 200000)\nexcept OSError as e:\n"
        "    print('refused', e.errno)\n"
    )
    p = subprocess.run([sys.executable, "-c", code, "50000", str(tmp_path / "reports")], capture_output=True, text=True)
    assert "refused" in p.stdout, p.stderr
    assert list((tmp_path / "reports").iterdir()) == []
