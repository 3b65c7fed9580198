"""The Slack app under load: ack latency of signed slash commands and the serving process's memory.

    python benchmarks/bench_slack.py [--concurrency 20] [--rounds 10] [--json]

Starts `koryu serve --http` (waitress + bolt) on 127.0.0.1 against the Web API stand-in of the tests, with the
sample report ingested, warms it up, then sends `rounds` bursts of `concurrency` simultaneous signed
`/koryu` commands (keyword searches and sentence questions, so the analyser is loaded) and measures the time
to the HTTP 200 ack. Resident memory is read after the warm-up, after the load, and after every question
of the sentence gold sets (262 + 178 questions, English and near words among them, which touch far more of
the analyser's memory-mapped dictionary and of JMdict than a day of real use). Baselines in the same run: the same load on a bare waitress WSGI app that answers
200 at once (the floor of HTTP + threads on this machine), and the resident memory of a bare Python process
that imports slack_bolt and waitress.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import store  # noqa: E402
from benchmarks.questions import SENTENCES  # noqa: E402
from bot.stores import sample_pdf  # noqa: E402
from tests.conftest import SIGNING_SECRET, SlackApp, free_port, koryu_bin, sign  # noqa: E402
from tests.slack_standin import BOT_TOKEN, SlackStandIn  # noqa: E402

QUERIES = [
    "金沢市 物産展",
    "11月 物産展",
    "かなざわ",
    "防災",
    "経済課",
    "くまモン",
    "令和7年3月",
    "うるま市",
    "物産展 自治体別",
    "大阪市",
]
QUERIES += SENTENCES[:10]
GOLD = ROOT / "tests" / "fixtures" / "queries_sentences_own.json"
GOLD_MEANINGS = ROOT / "tests" / "fixtures" / "queries_sentences_fifth.json"  # English and near words too


def rss_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = line.partition(":")
        fields[k] = v.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = 30) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("server exited") from None
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def burst(send, concurrency: int, rounds: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()
    with cf.ThreadPoolExecutor(concurrency) as pool:
        for r in range(rounds):
            barrier = threading.Barrier(concurrency)

            def one(i: int, barrier: threading.Barrier = barrier, r: int = r) -> None:
                barrier.wait()
                status, elapsed = send(QUERIES[(r + i) % len(QUERIES)])
                assert status == 200, status
                with lock:
                    times.append(elapsed * 1000)

            list(pool.map(one, range(concurrency)))
    return times


def pct(ms: list[float], p: float) -> float:
    s = sorted(ms)
    return s[min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1)]


BARE_APP = """
import logging, sys, waitress
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
def app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b""]
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=16)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    standin = SlackStandIn().start()
    work = Path(tempfile.mkdtemp(prefix="koryu-slack-bench-"))
    import ingest

    with store.open(work / "koryu.db") as db:
        ingest.ingest_file(db, sample_pdf())
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "KORYU_DB": str(work / "koryu.db"),
        "KORYU_REPORTS_DIR": str(work),
    }
    proc = subprocess.Popen(
        [koryu_bin(), "serve", "--http", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=work,
    )
    bare_port = free_port()
    bare = subprocess.Popen([sys.executable, "-c", BARE_APP, str(bare_port)])
    idle = subprocess.Popen([sys.executable, "-c", "import slack_bolt, waitress, time; time.sleep(60)"])
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        base = f"http://127.0.0.1:{port}"
        app = SlackApp(base, standin, work / "koryu.db", work, proc)

        def koryu_send(q: str):
            status, _, elapsed = app.command(q)
            return status, elapsed

        def bare_send(q: str):
            body = f"command=%2Fkoryu&text={q}".encode()
            req = urllib.request.Request(
                f"http://127.0.0.1:{bare_port}/slack/events",
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)},
            )
            t = time.perf_counter()
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, time.perf_counter() - t

        burst(koryu_send, args.concurrency, 2)  # warm-up: imports, caches, thread pools
        time.sleep(1.0)
        warm_rss, _ = rss_mib(proc.pid)
        koryu_ms = burst(koryu_send, args.concurrency, args.rounds)
        time.sleep(2.0)  # let the listener threads finish their answers
        answered = len(standin.of("response"))
        rss, hwm = rss_mib(proc.pid)
        gold = [q["q"] for path in (GOLD, GOLD_MEANINGS) for q in json.loads(path.read_text(encoding="utf-8"))["queries"]]
        with cf.ThreadPoolExecutor(args.concurrency) as pool:
            assert all(status == 200 for status, _ in pool.map(koryu_send, gold))
        time.sleep(2.0)
        gold_rss, gold_hwm = rss_mib(proc.pid)
        bare_ms = burst(bare_send, args.concurrency, args.rounds)
        idle_rss, _ = rss_mib(idle.pid)
    finally:
        for p in (proc, bare, idle):
            p.terminate()
        standin.stop()
    out = {
        "requests": len(koryu_ms) + len(gold),
        "concurrency": args.concurrency,
        "koryu_ack": {
            "p50_ms": round(statistics.median(koryu_ms), 1),
            "p99_ms": round(pct(koryu_ms, 99), 1),
            "max_ms": round(max(koryu_ms), 1),
        },
        "bare_waitress_ack": {"p50_ms": round(statistics.median(bare_ms), 1), "p99_ms": round(pct(bare_ms, 99), 1)},
        "answers_delivered": answered,
        "rss_mib": {
            "after_warmup": round(warm_rss, 1),
            "after_load": round(rss, 1),
            "after_gold_questions": round(gold_rss, 1),
            "peak": round(max(hwm, gold_hwm), 1),
            "baseline_bolt_waitress_import": round(idle_rss, 1),
        },
    }
    if args.json:
        print(json.dumps(out))
        return
    k, b, m = out["koryu_ack"], out["bare_waitress_ack"], out["rss_mib"]
    print(
        f"{out['requests']} signed /koryu commands, {args.concurrency} at a time ({out['answers_delivered']} answers delivered):"
    )
    print(f"  koryu ack        p50 {k['p50_ms']} ms   p99 {k['p99_ms']} ms   max {k['max_ms']} ms")
    print(f"  bare waitress    p50 {b['p50_ms']} ms   p99 {b['p99_ms']} ms   (same load, no work)")
    print(
        f"  serving RSS {m['after_warmup']} MiB after warm-up, {m['after_load']} MiB after load, "
        f"{m['after_gold_questions']} MiB after {len(gold)} more questions (peak {m['peak']});"
        f" bare import of slack_bolt+waitress {m['baseline_bolt_waitress_import']} MiB"
    )


if __name__ == "__main__":
    main()
