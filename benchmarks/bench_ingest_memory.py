"""Peak memory of reading a long report, against bare pdfplumber measured in the same run.

    python benchmarks/bench_ingest_memory.py [--pages 51 300] [--json]

For each page count, a report is made of the sample's 3 pages repeated (whole copies, `bench_ingest.fifty_pages`)
and read in a fresh process, whose peak resident set size (`getrusage` ru_maxrss) is printed:

- koryu's `read_pdf` (every page's tables, labels, the checks);
- bare pdfplumber, `extract_tables()` on every page, each page closed after it (its cache flushed: the least
  pdfplumber itself needs);
- the interpreter with koryu's ingest imported, reading nothing (the floor).

What should hold: koryu's peak does not grow with the page count beyond what it keeps per record (a 300-page
file must not take gigabytes: the Slack bot reads files in-process, and MAX_PAGES is 300).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_ingest import fifty_pages  # noqa: E402

from bot.stores import sample_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

CHILD = {
    "koryu": "from ingest.report import read_pdf; n = len(read_pdf(PATH).records)",
    "bare pdfplumber": (
        "import pdfplumber\n"
        "n = 0\n"
        "with pdfplumber.open(PATH) as pdf:\n"
        "    for page in pdf.pages:\n"
        "        n += sum(len(t) for t in page.extract_tables())\n"
        "        page.close()"
    ),
    "floor (imports only)": "import ingest.report; n = 0",
}


def peak_mib(code: str, path: Path) -> tuple[float, int]:
    """(peak RSS in MiB, what the code counted) of `code` run in a fresh interpreter with PATH bound."""
    script = (
        f"import resource, sys\nsys.path.insert(0, {str(ROOT)!r})\nPATH = {str(path)!r}\n{code}\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=3600)
    kib, n = out.stdout.split()[-2:]
    return int(kib) / 1024, int(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[51, 300])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.pages:
            path = fifty_pages(sample_pdf(), Path(tmp) / f"report-{pages}.pdf", pages)
            row: dict[str, object] = {"pages": pages}
            for name, code in CHILD.items():
                row[name] = peak_mib(code, path)
            results.append(row)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    for row in results:
        parts = [f"{name} {mib:.0f} MiB" for name, (mib, _) in ((k, v) for k, v in row.items() if k != "pages")]  # type: ignore[misc]
        records = row["koryu"][1]  # type: ignore[index]
        print(f"{row['pages']} pages ({records} records), peak RSS: " + ", ".join(parts))


if __name__ == "__main__":
    main()
