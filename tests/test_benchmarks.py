"""The benchmarks still run and print what they promise (shape only: timings are judged by running them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_bench_search_json_shape(tmp_path):
    p = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_search.py"),
            "--records",
            "1500",
            "--repeat",
            "1",
            "--json",
            "--db",
            str(tmp_path / "b.db"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["records"] == 1500 and out["queries"] >= 20
    for name in ("koryu", "like_scan", "rapidfuzz_scan"):
        assert {"p50_ms", "p95_ms", "p99_ms"} <= set(out[name]) and out[name]["p50_ms"] >= 0
