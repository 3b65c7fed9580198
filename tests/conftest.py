"""Shared fixtures: real SQLite files, the real sample PDF, a local Slack Web API stand-in, and the real
`koryu serve --http` process answering signed requests over HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import store
from bot.settings import Settings
from bot.stores import sample_pdf
from tests.waiting import wait_until

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SIGNING_SECRET = "test-signing-secret"
ADMIN = "UADMIN1"

# never let a developer's real Slack credentials or settings leak into a test: every setting koryu reads
for var in Settings.model_fields:
    os.environ.pop(var.upper(), None)


def unprivileged(command: list[str]) -> list[str]:
    """`command` run as an unprivileged user (nobody, via util-linux setpriv) when the tests run as root, who
    writes read-only files anyway; as it is otherwise. Skips the test when root has no setpriv."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: a read-only file cannot be made read-only for this test")
    for needed in (Path(sys.prefix), Path(__file__).resolve().parent.parent):
        if not _others_may_enter(needed):
            pytest.skip(
                f"{needed} is not readable by other users (a private home folder such as /root): the read-only "
                "test runs koryu as user nobody, who cannot reach it — clone under /tmp to run it"
            )
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]


def _others_may_enter(path: Path) -> bool:
    """True when a user who is neither owner nor group may traverse every folder down to `path` and read it."""
    import stat

    for p in [path, *path.parents]:
        mode = p.stat().st_mode
        if not mode & stat.S_IXOTH or (p == path and not mode & stat.S_IROTH):
            return False
    return True


@pytest.fixture
def shared_tmp():
    """A fresh folder that any user may read (the per-test tmp_path is root's alone): for `unprivileged`."""
    folder = Path(tempfile.mkdtemp(prefix="koryu-test-"))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(folder)


def koryu_bin() -> str:
    exe = Path(sys.executable).with_name("koryu")
    return str(exe) if exe.exists() else "koryu"


@pytest.fixture(scope="session")
def sample_report_pdf() -> Path:
    return sample_pdf()


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "r6_expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def db(tmp_path):
    s = store.open(tmp_path / "koryu.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def ingested_path(tmp_path_factory, sample_report_pdf) -> Path:
    """A database file holding the sample report (built once per session; tests must not write to it)."""
    import ingest

    path = tmp_path_factory.mktemp("ingested") / "koryu.db"
    with store.open(path) as s:
        outcome = ingest.ingest_file(s, sample_report_pdf)
        assert outcome.ok, outcome.error
    return path


@pytest.fixture
def ingested(ingested_path):
    s = store.open(ingested_path)
    yield s
    s.close()


# ------------------------------------------------------------------------------------------------ Slack
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def block_texts(blocks: list[dict]) -> str:
    """All visible text of Block Kit blocks (sections, headers, contexts, button labels), one per line."""
    out = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            out.append(b["text"]["text"])
        for e in b.get("elements", []) or []:
            t = e.get("text") if isinstance(e, dict) else None
            out.append(t if isinstance(t, str) else (t or {}).get("text", ""))
    return "\n".join(out)


def sign(body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:".encode() + body
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}


class SlackApp:
    """The running `koryu serve --http` process and helpers to send it signed requests."""

    def __init__(self, base: str, standin, db_path: Path, reports_dir: Path, proc: subprocess.Popen):
        self.base, self.standin, self.db_path, self.reports_dir, self.proc = base, standin, db_path, reports_dir, proc

    def post(
        self,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        signed: bool = True,
        timestamp: int | None = None,
    ) -> tuple[int, bytes, float]:
        h = {"Content-Type": content_type}
        if signed:
            h.update(sign(body, timestamp))
        h.update(headers or {})
        req = urllib.request.Request(self.base + "/slack/events", data=body, headers=h, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read(), time.perf_counter() - started
        except urllib.error.HTTPError as e:
            return e.code, e.read(), time.perf_counter() - started

    def command(self, text: str, user: str = "UUSER1", channel: str = "C0GENERAL", **kw) -> tuple[int, bytes, float]:
        rid = hashlib.md5(f"{text}{time.time()}".encode()).hexdigest()[:8]
        form = {
            "token": "legacy",
            "team_id": "T0KORYU",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "tester",
            "command": "/koryu",
            "text": text,
            "response_url": f"{self.standin.base}/response/{rid}",
            "trigger_id": "1.2.3",
            "api_app_id": "A0KORYU",
        }
        return self.post(urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded", **kw)

    def event(
        self, event: dict, event_id: str | None = None, headers: dict[str, str] | None = None, **kw
    ) -> tuple[int, bytes, float]:
        payload = {
            "token": "legacy",
            "team_id": "T0KORYU",
            "api_app_id": "A0KORYU",
            "type": "event_callback",
            "event_id": event_id or f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": "T0KORYU", "user_id": "UBOTKORYU", "is_bot": True}],
        }
        return self.post(json.dumps(payload).encode(), "application/json", headers=headers, **kw)

    def action(self, payload: dict, **kw) -> tuple[int, bytes, float]:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kw)

    def submit_view(
        self, callback_id: str, private_metadata: str, values: dict, user: str = "UUSER1"
    ) -> tuple[int, bytes, float]:
        """A modal's view_submission as Slack sends it: the view `callback_id` with its private_metadata and the
        state of its inputs (`values`), submitted by `user`."""
        submission = {
            "type": "view_submission",
            "team": {"id": "T0KORYU"},
            "user": {"id": user, "team_id": "T0KORYU"},
            "api_app_id": "A0KORYU",
            "token": "legacy",
            "trigger_id": "1.2.4",
            "view": {
                "id": "VMODAL1",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
            },
        }
        payload = json.dumps(submission, ensure_ascii=False)
        if any("\ud800" <= c <= "\udfff" for c in payload):  # a lone surrogate can only travel escaped, as Slack sends it
            payload = json.dumps(submission)
        body = urllib.parse.urlencode({"payload": payload}).encode()
        return self.post(body, "application/x-www-form-urlencoded")


def read_log(app: SlackApp) -> str:
    return (app.db_path.parent / "serve.log").read_text(encoding="utf-8", errors="replace")


def wait_for_log(app: SlackApp, *needles: str, timeout_s: float = 10.0) -> str:
    """The server's log once it holds every one of `needles` (AssertionError on timeout)."""

    def holding() -> str:
        log = read_log(app)
        return log if all(n in log for n in needles) else ""

    return wait_until(holding, f"{needles} in the log", timeout_s)


def _stop_standin(s) -> None:
    pending = s.pending_failures()
    s.stop()
    assert not pending, f"scripted failures never served (the test did not run what it scripted): {pending}"


@pytest.fixture(autouse=True)
def _valid_block_kit(request):
    """Fails a test that sent Slack blocks or a view Slack would refuse (the stand-in checks each, tests/blockkit.py)."""
    stands = [request.getfixturevalue(n) for n in ("standin", "isolated_standin") if n in request.fixturenames]
    before = [len(s.invalid) for s in stands]
    yield
    for s, n in zip(stands, before):
        sent = s.invalid[n:]
        assert not sent, f"Block Kit that Slack refuses (invalid_blocks): {sent}"


@pytest.fixture(scope="session")
def standin():
    """The stand-in the session's servers share; it refuses failure scripts (see isolated_standin)."""
    from tests.slack_standin import SlackStandIn

    s = SlackStandIn(shared=True).start()
    yield s
    _stop_standin(s)


@pytest.fixture
def isolated_standin():
    """A stand-in of this test's own, which may be scripted to fail (`fail(...)`). Its teardown fails the test
    when a scripted failure was never served, so no script outlives the test that wrote it."""
    from tests.slack_standin import SlackStandIn

    s = SlackStandIn().start()
    yield s
    _stop_standin(s)


def start_slack_app(work: Path, standin, db_source: Path | None, extra_env: dict[str, str] | None = None) -> SlackApp:
    """Start `koryu serve --http` in `work` with a copy of db_source, pointed at the stand-in."""
    from tests.slack_standin import BOT_TOKEN

    db_path = work / "koryu.db"
    if db_source is not None:
        db_path.write_bytes(db_source.read_bytes())
    reports = work / "reports"
    reports.mkdir(exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "KORYU_DB": str(db_path),
        "KORYU_REPORTS_DIR": str(reports),
        "KORYU_ADMIN_USERS": ADMIN,
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    log = open(work / "serve.log", "w")
    proc = subprocess.Popen(
        [koryu_bin(), "serve", "--http", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=work,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if proc.poll() is not None:
            raise AssertionError("koryu serve exited")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        wait_until(healthy, "koryu serve to answer /healthz", timeout_s=30, every_s=0.1)
    except AssertionError as e:
        log.flush()
        raise RuntimeError(f"koryu serve did not start ({e}):\n" + (work / "serve.log").read_text()) from None
    app = SlackApp(base, standin, db_path, reports, proc)
    app.log = log
    return app


def stop_slack_app(app: SlackApp) -> None:
    app.proc.terminate()
    try:
        app.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app.proc.kill()
    app.log.close()


@pytest.fixture(scope="session")
def slack_app(tmp_path_factory, standin, ingested_path):
    """`koryu serve --http` as a real process (waitress + bolt) on a copy of the ingested sample; read-only use."""
    app = start_slack_app(tmp_path_factory.mktemp("slack"), standin, ingested_path)
    yield app
    stop_slack_app(app)


@pytest.fixture
def isolated_slack_app(tmp_path, isolated_standin, ingested_path):
    """`koryu serve --http` of this test's own, on its own stand-in (isolated_standin): for tests that script
    failures (rate limits, 5xx, API errors) or leave errors in the log, which must not reach other tests."""
    app = start_slack_app(tmp_path, isolated_standin, ingested_path)
    yield app
    stop_slack_app(app)


@pytest.fixture(scope="module")
def admin_slack_app(tmp_path_factory, standin, ingested_path):
    """A second server for tests that change what is stored (ingest by command or DM)."""
    app = start_slack_app(tmp_path_factory.mktemp("slack-admin"), standin, ingested_path)
    yield app
    stop_slack_app(app)
