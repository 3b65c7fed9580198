"""Never wrong, never down: bad files, a killed ingest, concurrent searches during ingest, Slack faults,
hostile text, access. Each test fails if the protection it checks is taken away."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

import ingest
import store
from tests.conftest import ADMIN, koryu_bin, read_log, start_slack_app, stop_slack_app, unprivileged, wait_for_log, wait_until
from tests.slack_standin import BOT_TOKEN

FIXTURES = Path(__file__).parents[1] / "fixtures"
BAD = FIXTURES / "bad"
LAYOUTS = FIXTURES / "layouts"


def koryu(*args, env=None, check=False, timeout=120):
    return subprocess.run([koryu_bin(), *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)


def export(db: Path) -> str:
    return koryu("export", "--db", db).stdout


# ----------------------------------------------------------------------------------------------- 1 bad files
def _bad_inputs(tmp: Path, sample: Path) -> dict[str, tuple[Path, str]]:
    files = {
        "empty": (tmp / "empty.pdf", b""),
        "html": (tmp / "page.pdf", b"<!DOCTYPE html><html><body>Not found</body></html>"),
        "text": (tmp / "notes.pdf", "令和6年度 交流実績\n金沢市 物産展\n".encode()),
        "image": (tmp / "photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        "truncated": (tmp / "cut.pdf", sample.read_bytes()[: len(sample.read_bytes()) * 2 // 3]),
        "garbage-pdf": (tmp / "garbage.pdf", b"%PDF-1.7\n" + os.urandom(3000) + b"\n%%EOF\n"),
    }
    out = {}
    for name, (path, data) in files.items():
        path.write_bytes(data)
        out[name] = (
            path,
            {
                "empty": "空のファイル",
                "html": "PDFではありません",
                "text": "PDFではありません",
                "image": "PDFではありません",
                "truncated": "途中で切れています",
                "garbage-pdf": "壊れています",
            }[name],
        )
    for name, reason in (
        ("encrypted", "パスワード"),
        ("scanned", "文字情報のない"),
        ("no-table", "表が見つかりません"),
        ("too-many-pages", "ページ数が多すぎます"),
    ):
        out[name] = (BAD / f"{name}.pdf", reason)
    huge = tmp / "huge.pdf"
    with huge.open("wb") as f:
        f.write(b"%PDF-1.7\n")
        f.truncate(51 * 1024 * 1024)  # sparse: 51 MB without writing 51 MB
    out["huge"] = (huge, "大きすぎます")
    return out


@pytest.mark.slow
def test_every_bad_file_is_refused_in_one_line_and_nothing_is_lost(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    assert koryu("ingest", sample_report_pdf, "--db", db).returncode == 0
    before = export(db)
    tried = 0
    for name, (path, reason) in _bad_inputs(tmp_path, sample_report_pdf).items():
        p = koryu("ingest", path, "--db", db)
        lines = [line for line in p.stderr.splitlines() if line.strip()]
        assert p.returncode != 0, name
        assert len(lines) == 1 and path.name in lines[0] and reason in lines[0], (name, p.stderr)
        assert "Traceback" not in p.stderr + p.stdout
        tried += 1
    assert export(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        failed = conn.execute("SELECT count(*) FROM ingest_runs WHERE status = 'failed'").fetchone()[0]
    assert failed == tried == 11


@pytest.mark.slow
def test_folder_with_bad_files_reports_each_and_ingests_the_good(tmp_path, sample_report_pdf):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "1-good.pdf").write_bytes(sample_report_pdf.read_bytes())
    (folder / "2-encrypted.pdf").write_bytes((BAD / "encrypted.pdf").read_bytes())
    (folder / "3-empty.pdf").write_bytes(b"")
    (folder / "4-later.pdf").write_bytes((LAYOUTS / "r7-later-year.pdf").read_bytes())
    p = koryu("ingest", folder, "--db", tmp_path / "k.db")
    assert p.returncode == 1
    assert "1-good.pdf: 2024年度" in p.stdout and "4-later.pdf: 2025年度" in p.stdout
    errors = p.stderr.strip().splitlines()
    assert len(errors) == 2 and "2-encrypted.pdf" in errors[0] and "3-empty.pdf" in errors[1]


# ------------------------------------------------------------------------------------------ 2 atomic ingest
def _wait_for(proc: subprocess.Popen, marker: str, timeout_s: float = 60) -> None:

    def reached() -> bool:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            raise AssertionError(f"exited before {marker!r}")
        return marker in line

    wait_until(reached, marker, timeout_s, every_s=0)


@pytest.mark.slow
def test_kill_9_mid_transaction_loses_nothing(tmp_path):
    db = tmp_path / "k.db"
    assert koryu("ingest", LAYOUTS / "r7-later-year.pdf", "--db", db).returncode == 0
    before = export(db)
    env = {**os.environ, "KORYU_FAULT_PAUSE_S": "60"}
    proc = subprocess.Popen(
        [koryu_bin(), "ingest", LAYOUTS / "r7-later-year-reissued.pdf", "--db", db],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(proc, "fault point reached")
    # the new year's rows are written but not committed; a reader still sees the old version
    assert export(db) == before
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert export(db) == before
    with store.open(db) as s:
        assert len(s.records(2025)) == 119 and s.count() == 119
    # the next ingest works and lands the reissue
    p = koryu("ingest", LAYOUTS / "r7-later-year-reissued.pdf", "--db", db)
    assert p.returncode == 0 and "追加 1 / 削除 1 / 変更 1" in p.stdout


# ------------------------------------------------------------------------------------------- 3 concurrency
@pytest.mark.slow
def test_searches_during_ingest_all_succeed(tmp_path, sample_report_pdf):
    db = tmp_path / "k.db"
    with store.open(db) as s:
        ingest.ingest_file(s, sample_report_pdf)
    stop = threading.Event()
    outcomes: list[str] = []
    lock = threading.Lock()

    def searcher(n: int) -> None:
        queries = ["金沢市 物産展", "11月", "防災", "かなざわ", "経済課", "くまモン"]
        i = 0
        while not stop.is_set():
            try:
                with store.open(db) as s:
                    total = s.ask(queries[(n + i) % len(queries)]).total
                    first = s.deliveries.first_seen(f"load:{n}:{i}")  # the Slack dedupe writes while ingest writes
                outcome = "ok" if total > 0 and first else f"odd total={total}"
            except store.StoreBusy:
                outcome = "busy"
            except Exception as e:  # noqa: BLE001 — the point is to catch anything
                outcome = f"error {type(e).__name__}: {e}"
            with lock:
                outcomes.append(outcome)
            i += 1

    env = {**os.environ, "KORYU_FAULT_PAUSE_S": "2"}  # each ingest holds its write transaction open for 2 s
    with cf.ThreadPoolExecutor(20) as pool:
        for n in range(20):
            pool.submit(searcher, n)
        asks = [
            subprocess.Popen(
                [koryu_bin(), "ask", q, "--json", "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for q in ("物産展", "うるま市", "R7.3")
        ]
        ingests = []
        for pdf in (LAYOUTS / "r7-later-year.pdf", LAYOUTS / "r7-later-year-reissued.pdf", sample_report_pdf):
            p = subprocess.run([koryu_bin(), "ingest", pdf, "--db", db], env=env, capture_output=True, text=True, timeout=120)
            ingests.append(p)
        stop.set()
    for p in ingests:
        assert p.returncode == 0, p.stderr
    for a in asks:
        out, err = a.communicate(timeout=60)
        assert a.returncode == 0 and json.loads(out)["total"] > 0, err
    errors = [o for o in outcomes if o not in ("ok", "busy")]
    assert not errors, errors[:5]
    assert outcomes.count("ok") >= 100
    print(f"searches served during 3 ingests: {outcomes.count('ok')} ok, {outcomes.count('busy')} busy")


# ------------------------------------------------------------------------------------------- 4 Slack faults
def _mention(app, text: str, channel: str = "C0FAULT"):
    ts = f"{time.time():.6f}"
    event = {
        "type": "app_mention",
        "user": "UUSER1",
        "text": f"<@UBOTKORYU> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    status, _, elapsed = app.event(event)
    assert status == 200 and elapsed < 3
    return ts, event


def _posts_in_thread(standin, channel, ts, n, timeout_s=20.0):
    def posts():
        calls = [
            c for c in standin.of("chat.postMessage") if c.params.get("channel") == channel and c.params.get("thread_ts") == ts
        ]
        return calls if len(calls) >= n else []

    return wait_until(posts, f"{n} posts in {channel}/{ts}", timeout_s)


@pytest.mark.slow
def test_rate_limit_is_honoured_and_retried(isolated_slack_app):
    slack_app = isolated_slack_app
    s = slack_app.standin
    s.fail("chat.postMessage", [429])
    ts, _ = _mention(slack_app, "うるま市")
    calls = _posts_in_thread(s, "C0FAULT", ts, 2)
    assert calls[1].at - calls[0].at >= 0.9  # Retry-After: 1
    assert "うるま市: 9件" in calls[1].params["text"]


@pytest.mark.slow
def test_server_errors_are_retried(isolated_slack_app):
    slack_app = isolated_slack_app
    s = slack_app.standin
    s.fail("chat.postMessage", [500, 503])
    ts, _ = _mention(slack_app, "新宿区")
    calls = _posts_in_thread(s, "C0FAULT", ts, 3)
    assert "新宿区: 2件" in calls[2].params["text"]


@pytest.mark.slow
def test_failed_post_is_logged_and_the_user_gets_an_apology(isolated_slack_app):
    slack_app = isolated_slack_app
    s = slack_app.standin
    s.fail("chat.postMessage", ["invalid_blocks"])
    ts, _ = _mention(slack_app, "甲州市", channel="C0APOLOGY")
    calls = _posts_in_thread(s, "C0APOLOGY", ts, 2)
    assert "blocks" not in calls[1].params and "うまくいきませんでした" in calls[1].params["text"]
    log = wait_for_log(slack_app, "answer failed", "C0APOLOGY", "invalid_blocks")
    assert "answer failed" in log and "C0APOLOGY" in log and "invalid_blocks" in log


@pytest.mark.slow
def test_response_url_failures_are_retried(isolated_slack_app):
    slack_app = isolated_slack_app
    s = slack_app.standin
    s.fail("response", [500])
    before = len(s.of("response"))
    slack_app.command("福山市")
    calls = s.wait_for("response", before + 2)
    assert "福山市: 5件" in calls[before + 1].params["text"]


@pytest.mark.slow
def test_duplicate_delivery_to_two_processes_is_answered_once(tmp_path, isolated_standin, ingested_path):
    standin = isolated_standin
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = start_slack_app(tmp_path / "a", standin, ingested_path)
    b = start_slack_app(tmp_path / "b", standin, None, extra_env={"KORYU_DB": str(a.db_path)})
    try:
        ts = f"{time.time():.6f}"
        event = {
            "type": "app_mention",
            "user": "UUSER1",
            "text": "<@UBOTKORYU> 石岡市",
            "ts": ts,
            "channel": "C0TWICE",
            "event_ts": ts,
        }
        dm_like = {**event, "type": "message", "channel_type": "channel"}
        results = []
        with cf.ThreadPoolExecutor(4) as pool:
            results += list(
                pool.map(
                    lambda args: args[0].event(args[1], event_id="EvTWICE", headers=args[2]),
                    [
                        (a, event, {}),
                        (b, event, {"X-Slack-Retry-Num": "1"}),
                        (b, dm_like, {}),
                        (a, event, {"X-Slack-Retry-Num": "2"}),
                    ],
                )
            )
        assert all(r[0] == 200 for r in results)
        _posts_in_thread(standin, "C0TWICE", ts, 1)
        # each of the two mentions that lose the dedupe (bot.listeners.common.Services.is_first) logs that it was
        # dropped, in whichever process got it; after that, nothing more can be posted (the channel message
        # event is not a question at all: events.on_message ignores it before the dedupe)
        key = f"repeated delivery msg:C0TWICE:{ts}"
        wait_until(lambda: read_log(a).count(key) + read_log(b).count(key) == 2, "both repeats dropped")
        assert len([c for c in standin.of("chat.postMessage") if c.params.get("thread_ts") == ts]) == 1
    finally:
        stop_slack_app(a)
        stop_slack_app(b)


# ------------------------------------------------------------------------------------------- 5 hostile text
def test_hostile_text_is_unescaped_inbound_and_escaped_outbound(slack_app):
    s = slack_app.standin
    # what the user typed literally (<, >, & arrive escaped), and real Slack markup (@here, a channel link)
    ts, _ = _mention(slack_app, "&lt;!channel&gt; 物産展 &amp; &lt;@U999&gt;", channel="C0HOSTILE")
    [call] = _posts_in_thread(s, "C0HOSTILE", ts, 1)
    payload = json.dumps(call.params, ensure_ascii=False)
    assert "<!channel>" not in payload and "<@U999>" not in payload and "<!" not in payload
    ts, _ = _mention(slack_app, "<!here> <#C0GENERAL|general> 物産展 <https://example.com|金沢市>", channel="C0HOSTILE")
    [call] = _posts_in_thread(s, "C0HOSTILE", ts, 1)
    assert call.params["text"].startswith("金沢市 × 物産展: 5件")  # markup gone, the link's label searched
    ts, _ = _mention(slack_app, "A&amp;B &lt;b&gt;物産展&lt;/b&gt;", channel="C0HOSTILE")
    [call] = _posts_in_thread(s, "C0HOSTILE", ts, 1)
    payload = json.dumps(call.params, ensure_ascii=False)
    assert "<b>" not in payload and "</b" not in payload and "&amp;" in call.params["text"]


@pytest.mark.parametrize(
    "text", ['物産展" OR "1"="1', "NEAR(金沢 物産)", "* - ( ) :", "'; DROP TABLE records; --", "\x00\x1f\u202e"]
)
def test_fts_and_sql_syntax_in_slack_is_literal(slack_app, text):
    before = len(slack_app.standin.of("response"))
    status, _, _ = slack_app.command(text)
    assert status == 200
    answer = slack_app.standin.wait_for("response", before + 1)[before].params
    assert "うまくいきませんでした" not in answer["text"]


# -------------------------------------------------------------------------------------------------- 6 access
def test_healthz_and_no_secrets_in_logs(slack_app):
    import urllib.request

    with urllib.request.urlopen(slack_app.base + "/healthz", timeout=5) as r:
        assert r.status == 200 and r.read() == b"ok"
    log = (slack_app.db_path.parent / "serve.log").read_text()
    assert "starting koryu" in log
    assert BOT_TOKEN not in log and "test-signing-secret" not in log


@pytest.mark.slow
def test_admin_check_on_every_admin_path(admin_slack_app):
    """The ingest command and DM upload refuse non-admins; admins pass (covered with payloads in test_slack_app)."""
    status, body, _ = admin_slack_app.command("ingest", user="UINTRUDER")
    assert "管理者だけ" in json.loads(body)["text"]
    status, body, _ = admin_slack_app.command("取り込み", user="UINTRUDER")
    assert "管理者だけ" in json.loads(body)["text"]
    assert ADMIN != "UINTRUDER"


# ------------------------------------------------------------------------------- damaged files that still open
@pytest.mark.slow
def test_a_page_lost_to_damage_cannot_quietly_replace_a_year(tmp_path, sample_report_pdf):
    """pdfminer reads a PDF whose middle page lost its /Contents as a blank page: the blocks the next page
    continues have lost their labels too (no evidence of their municipality), and the year would keep 102 of
    123 records. The year's stored version is kept unless the admin insists (--force)."""
    data = sample_report_pdf.read_bytes()
    assert data.count(b"/Contents 8 0 R") == 1
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data.replace(b"/Contents 8 0 R", b"/Contentz 8 0 R"))
    db = tmp_path / "k.db"
    assert koryu("ingest", sample_report_pdf, "--db", db).returncode == 0
    before = export(db)
    p = koryu("ingest", damaged, "--db", db)
    assert p.returncode == 1 and "自治体名: 空欄" in p.stderr and "--force" in p.stderr
    assert export(db) == before
    p = koryu("ingest", damaged, "--db", db, "--force")
    assert p.returncode == 0 and "空白のページ" in p.stdout  # and the blank page is named


@pytest.mark.slow
def test_corrupted_stream_is_refused(tmp_path, sample_report_pdf):
    data = bytearray(sample_report_pdf.read_bytes())
    start = data.find(b"stream", 19) + 200  # inside page 1's compressed content
    for i in range(start, start + 40, 4):
        data[i] ^= 0x5A
    bad = tmp_path / "bitrot.pdf"
    bad.write_bytes(bytes(data))
    db = tmp_path / "k.db"
    koryu("ingest", sample_report_pdf, "--db", db)
    before = export(db)
    p = koryu("ingest", bad, "--db", db)
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and "bitrot.pdf" in p.stderr
    assert "pdfminer" not in p.stderr and export(db) == before


def test_junk_that_looks_like_a_pdf_is_refused_fast(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + b"\x00" * (8 * 1024 * 1024) + b"\n%%EOF\n")
    started = time.time()
    p = koryu("ingest", junk, "--db", tmp_path / "k.db")
    assert p.returncode == 1 and "junk.pdf" in p.stderr and time.time() - started < 10


@pytest.mark.slow
@pytest.mark.parametrize(
    "record,reason",
    [
        ({"fiscal_year": 0}, "fiscal_year"),
        ({"fiscal_year": True}, "fiscal_year"),
        ({"intervals": [["2024-13-40", None]]}, "record 2"),
        ({"intervals": [["2024-05-02", "2024-05-01"]]}, "ends before"),
        ({"intervals": "not json"}, "not a koryu export"),
        ({"description": None}, "description"),
        ({"municipality": ["a"]}, "municipality"),
        ({"source": [1, 2]}, "source"),
        ({"municipality_code": "12ab"}, "municipality_code"),
    ],
)
def test_bad_export_rows_are_refused_in_one_line(tmp_path, record, reason):
    good = {
        "fiscal_year": 2024,
        "municipality": "石川県金沢市",
        "municipality_code": "172014",
        "description": "物産展",
        "department": "経済課",
        "period_text": "R6.4",
        "intervals": [["2024-04-01", "2024-04-30"]],
        "source": {"file": "x", "page": 1},
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([good, {**good, **record}], ensure_ascii=False), encoding="utf-8")
    p = koryu("ingest", path, "--db", tmp_path / "k.db")
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and reason in p.stderr, p.stderr


@pytest.mark.slow
def test_hostile_export_files(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    long_field = tmp_path / "long.csv"
    long_field.write_text("fiscal_year,municipality,description\n2024,石川県金沢市," + "あ" * 200_000 + "\n", encoding="utf-8")
    for path in (deep, long_field):
        p = koryu("ingest", path, "--db", tmp_path / "k.db")
        assert "Traceback" not in p.stderr, p.stderr
    assert koryu("ingest", long_field, "--db", tmp_path / "k.db").returncode == 0  # long text is data


def _ask_read_only(shared_tmp, ingested_path, name: str, journal: str, file_mode: int):
    """`koryu ask` as user nobody on a copy of the sample in journal mode `journal`, in a folder nobody may write."""
    folder = shared_tmp / name
    folder.mkdir()
    db = folder / "k.db"
    with store.open(ingested_path) as src:
        src.conn.execute(f"VACUUM INTO '{db}'")
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA journal_mode = {journal}")
    db.chmod(file_mode)
    folder.chmod(0o555)  # in WAL mode SQLite cannot create the -wal and -shm files beside it
    command = unprivileged([koryu_bin(), "ask", "金沢市 物産展", "--db", str(db)])
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=shared_tmp)


def test_read_only_database_still_answers(shared_tmp, ingested_path):
    p = _ask_read_only(shared_tmp, ingested_path, "ro", "DELETE", 0o444)
    assert p.returncode == 0 and "5件" in p.stdout, p.stderr


def test_a_wal_database_in_a_read_only_folder_says_what_is_wrong(shared_tmp, ingested_path):
    p = _ask_read_only(shared_tmp, ingested_path, "ro-wal", "WAL", 0o644)
    if p.returncode == 0:
        assert "5件" in p.stdout
    else:
        assert "書き込めません" in p.stderr and "koryu のデータベースではありません" not in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
