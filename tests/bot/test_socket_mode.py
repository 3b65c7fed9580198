"""`koryu serve --socket` end to end: the app opens a WebSocket from apps.connections.open, acks envelopes
and answers through the Web API — against stand-ins on 127.0.0.1 (no Slack, no TLS: slack_sdk speaks plain
ws:// to a port other than 443, which is what its own tests use)."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time

import pytest
from websockets.sync.server import serve

from tests.conftest import ADMIN, block_texts, koryu_bin, wait_until
from tests.slack_standin import BOT_TOKEN

pytestmark = pytest.mark.slow  # starts `koryu serve --socket`


class SocketStandIn:
    """A WebSocket server standing in for wss-primary.slack.com: says hello, sends envelopes, collects acks."""

    def __init__(self) -> None:
        self.acks: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self._conn = None
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    def _handle(self, conn) -> None:
        self._conn = conn
        conn.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0KORYU"}}))
        self.connected.set()
        for message in conn:
            self.acks.put(json.loads(message))

    def send(self, envelope: dict) -> None:
        self._conn.send(json.dumps(envelope))

    def ack_for(self, envelope_id: str, timeout_s: float = 5.0) -> dict:

        def acked() -> dict | None:
            try:
                message = self.acks.get(timeout=0.1)
            except queue.Empty:
                return None
            return message if message.get("envelope_id") == envelope_id else None

        return wait_until(acked, f"an ack for {envelope_id}", timeout_s, every_s=0)

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def socket_app(tmp_path, isolated_standin, ingested_path):
    standin = isolated_standin  # its own: it hands out this test's socket URL
    ws = SocketStandIn()
    standin.socket_url = ws.url
    db = tmp_path / "koryu.db"
    db.write_bytes(ingested_path.read_bytes())
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": "xapp-test-token",
        "SLACK_API_URL": standin.api_url,
        "KORYU_DB": str(db),
        "KORYU_ADMIN_USERS": ADMIN,
        "PYTHONUNBUFFERED": "1",
    }
    log = open(tmp_path / "socket.log", "w")
    proc = subprocess.Popen([koryu_bin(), "serve", "--socket"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        assert ws.connected.wait(30), (tmp_path / "socket.log").read_text()
        yield ws
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        ws.stop()


def test_socket_mode_answers_a_mention_and_a_command(socket_app, isolated_standin):
    standin = isolated_standin
    ts = f"{time.time():.6f}"
    event = {
        "type": "app_mention",
        "user": "UUSER1",
        "text": "<@UBOTKORYU> うるま市",
        "ts": ts,
        "channel": "C0SOCKET",
        "event_ts": ts,
    }
    before = len(standin.of("chat.postMessage"))
    socket_app.send(
        {
            "envelope_id": "env-1",
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "payload": {
                "token": "x",
                "team_id": "T0KORYU",
                "api_app_id": "A0KORYU",
                "type": "event_callback",
                "event_id": "EvSOCKET1",
                "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": "T0KORYU", "user_id": "UBOTKORYU", "is_bot": True}],
            },
        }
    )
    assert socket_app.ack_for("env-1")["envelope_id"] == "env-1"
    post = standin.wait_for("chat.postMessage", before + 1)[before].params
    assert post["channel"] == "C0SOCKET" and post["thread_ts"] == ts and "うるま市: 9件" in post["text"]

    before = len(standin.of("response"))
    socket_app.send(
        {
            "envelope_id": "env-2",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "token": "x",
                "team_id": "T0KORYU",
                "channel_id": "C0SOCKET",
                "user_id": "UUSER1",
                "command": "/koryu",
                "text": "金沢市 物産展",
                "api_app_id": "A0KORYU",
                "response_url": f"{standin.base}/response/socket",
                "trigger_id": "1.2.3",
            },
        }
    )
    socket_app.ack_for("env-2")
    answer = standin.wait_for("response", before + 1)[before].params
    assert "金沢市 × 物産展: 5件" in block_texts(answer["blocks"])
