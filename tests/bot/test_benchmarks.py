"""The benchmarks still run and print what they promise (shape only: timings are judged by running them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # run the benchmark scripts

ROOT = Path(__file__).parents[2]


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
    for name in ("koryu", "koryu_sentences", "parse_sentences", "report_sentences", "like_scan", "rapidfuzz_scan"):
        assert {"p50_ms", "p95_ms", "p99_ms"} <= set(out[name]) and 0 < out[name]["p50_ms"] <= out[name]["p99_ms"]


def test_date_parser_comparison_runs_and_koryu_reads_every_phrase():
    p = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "compare_date_parsers.py"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout.strip().splitlines()[-1])
    koryu = rows[0]
    assert koryu["parser"].startswith("koryu") and koryu["right"] == koryu["of"] >= 20, koryu["wrong"]
