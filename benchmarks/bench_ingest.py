"""Ingest speed against bare pdfplumber, measured in the same run on the same files.

    python benchmarks/bench_ingest.py [--json] [--runs 5]

1. The sample report (ingest/data/sample/r6_report.pdf, 3 pages): koryu's `read_pdf` (table geometry, labels
   across pages, periods, municipalities) vs bare `pdfplumber` `extract_tables()` on every page; the ratio of
   medians (target ≤ 2).
2. A 51-page report (the sample's 3 pages repeated 17 times with pypdfium2, which pdfplumber depends on; whole
   copies, so every block its last page continues is labelled):
   koryu's throughput in pages/s and records/s, and the same bare-pdfplumber baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber  # noqa: E402

from bot.stores import sample_pdf  # noqa: E402
from ingest.report import read_pdf  # noqa: E402


def bare(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(t) for page in pdf.pages for t in page.extract_tables())


def timed(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def fifty_pages(src: Path, dst: Path, pages: int = 51) -> Path:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(src))
    out = pdfium.PdfDocument.new()
    n = len(source)
    while len(out) < pages:
        out.import_pages(source, list(range(min(n, pages - len(out)))))
    out.save(str(dst))
    return dst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sample = sample_pdf()
    bare(sample), read_pdf(sample)  # warm caches (imports, gazetteer) for both
    bare_s, rows = timed(lambda: bare(sample), args.runs)
    koryu_s, report = timed(lambda: read_pdf(sample), args.runs)
    big = fifty_pages(sample, Path(tempfile.mkdtemp(prefix="koryu-ingest-")) / "fifty.pdf")
    big_bare_s, _ = timed(lambda: bare(big), max(1, args.runs // 2))
    big_s, big_report = timed(lambda: read_pdf(big), max(1, args.runs // 2))
    out = {
        "sample": {
            "pages": report.pages,
            "records": len(report.records),
            "koryu_s": round(koryu_s, 3),
            "bare_pdfplumber_s": round(bare_s, 3),
            "ratio": round(koryu_s / bare_s, 2),
            "bare_rows": rows,
        },
        "fifty_pages": {
            "pages": big_report.pages,
            "records": len(big_report.records),
            "koryu_s": round(big_s, 2),
            "bare_pdfplumber_s": round(big_bare_s, 2),
            "ratio": round(big_s / big_bare_s, 2),
            "pages_per_s": round(big_report.pages / big_s, 1),
            "records_per_s": round(len(big_report.records) / big_s),
        },
    }
    if args.json:
        print(json.dumps(out))
        return
    s, f = out["sample"], out["fifty_pages"]
    print(f"sample report ({s['pages']} pages, {s['records']} records), median of {args.runs}:")
    print(
        f"  koryu read_pdf {s['koryu_s'] * 1000:.0f} ms   bare pdfplumber extract_tables {s['bare_pdfplumber_s'] * 1000:.0f} ms   ratio {s['ratio']}"
    )
    print(
        f"{f['pages']}-page report ({f['records']} records): koryu {f['koryu_s']} s = {f['pages_per_s']} pages/s, {f['records_per_s']} records/s;"
        f" bare pdfplumber {f['bare_pdfplumber_s']} s; ratio {f['ratio']}"
    )


if __name__ == "__main__":
    main()
