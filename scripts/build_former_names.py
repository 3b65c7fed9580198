"""Build store/data/former_municipalities.csv: former municipalities (旧市町村) → the current municipality containing them.

Source: 総務省統計局 e-Stat 「市区町村を探す」 廃置分合等情報 (標準地域コード; every 合併・編入・名称変更・市制施行 … from
1970-04-01 to 2024-01-01, with hiragana readings), as downloaded and split into one row per (event, municipality
before, municipality after) by the R package jpcity: file data-raw/absorption_separation.rds of the GitHub repository
UchidaMizuki/jpcity at commit 8da2a1b7ab47cea0fd3f5de768a29e0305fe02f2 (jpcity 0.3.0, 2024-10-05, MIT; the file was
last changed in db2f568, 2024-05-26). jpcity is an R package, not on PyPI, so that file is carried byte for byte as
scripts/data/absorption_separation.rds (see scripts/data/README.md); this script reads R's serialization format itself.
Current codes are checked against store/data/municipalities.csv (built by scripts/build_gazetteer.py).

Usage:  python scripts/build_former_names.py        (stdlib only; no install needed)

Kept: every municipality that the source lists as abolished by a 新設合併 (合併して新設) or 編入合併 (編入), 1970-04-01
onward — mergers before 1970 (the 昭和の大合併) are not in the source. Each is followed through all later events
(further mergers, 名称変更, 市制・町制施行, 郡の区域変更, 政令指定都市移行, ward reorganisations) to the municipality that
holds it today; a merger into a ward of a designated city (e.g. 京北町 → 京都市右京区) gives the designated city's code,
and a municipality split between several (上九一色村 → 甲府市 and 富士河口湖町) gives one row for each.
One row per (former name, prefecture, current code), with the date of the merger that abolished it (the latest one
when the same name was abolished more than once into the same current municipality); former_name is as the source
writes it, without prefecture or 郡; former_prefecture is the prefecture it belonged to (長野県山口村 → 岐阜県中津川市).

Also kept: names lost by a 名称変更 alone (篠山市 → 丹波篠山市, 2019), with event "renamed" (mergers: "merged").

Dropped (counted and printed): wards merged into wards (葺合区, 大淀区 …: not municipalities); rows whose former name is
the current municipality's name (a town merging with its neighbours under its own name, e.g. 津和野町 2005); rows whose
current municipality is not in municipalities.csv; duplicate rows. 市制・町制施行 (潮来町 → 潮来市) are followed but are
not rows: only the ending changed, which the search side reads as a wrong ending anyway.
"""

from __future__ import annotations

import bz2
import csv
import datetime
import gzip
import lzma
import struct
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "data" / "absorption_separation.rds"
CURRENT = ROOT / "store" / "data" / "municipalities.csv"
OUT = ROOT / "store" / "data" / "former_municipalities.csv"
FIELDS = ["former_name", "former_prefecture", "former_kana", "municipality_code", "date", "event"]
SOURCE_NOTE = (
    "e-Stat 廃置分合等情報 (総務省統計局, 1970-04-01 to 2024-01-01) as parsed in data-raw/absorption_separation.rds of "
    "UchidaMizuki/jpcity @ 8da2a1b (jpcity 0.3.0, 2024-10-05, MIT)"
)
MERGERS = ("新設合併", "編入合併")
RENAMINGS = ("名称変更",)  # a name that changed without a merger is an old name too (篠山市 → 丹波篠山市)
SAMPLES = {  # printed after the build, as a check
    ("具志川市", "沖縄県"),
    ("日原町", "島根県"),
    ("小出町", "新潟県"),
    ("岱明町", "熊本県"),
    ("松島町", "熊本県"),
    ("松任市", "石川県"),
    ("山口村", "長野県"),
    ("上九一色村", "山梨県"),
    ("京北町", "京都府"),
    ("篠山町", "兵庫県"),
}


# --- R serialization (XDR, format 2 or 3), only the parts a data frame of atomic vectors uses ------------------------


class RVector(list):
    """An R vector: its elements, plus its attributes (names, class, row.names …)."""

    def __init__(self, items, attrs=None):
        super().__init__(items)
        self.attrs = attrs or {}


class RSymbol(str):
    pass


class _Reader:
    NA_INT = -(2**31)

    def __init__(self, data: bytes):
        self.data, self.pos, self.refs = data, 0, []

    def int(self) -> int:
        (v,) = struct.unpack_from(">i", self.data, self.pos)
        self.pos += 4
        return v

    def length(self) -> int:
        n = self.int()
        return n if n != -1 else (self.int() << 32) + self.int()

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag, levels = flags & 0xFF, flags & 0x200, flags & 0x400, flags >> 12
        if kind in (254, 253, 252, 251, 250, 242, 241):  # NULL, global/unbound/missing/base namespace/empty/base env
            return None
        if kind == 255:  # reference to an earlier symbol or environment
            index = flags >> 8 or self.int()
            return self.refs[index - 1]
        if kind in (249, 248):  # namespace / package environment, written as a string vector
            self.int()
            value = [self.item() for _ in range(self.int())]
            self.refs.append(value)
            return value
        if kind == 1:  # symbol
            value = RSymbol(self.item())
            self.refs.append(value)
            return value
        if kind in (2, 6):  # pairlist / call: attributes, tag, value, rest
            attrs = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            car = self.item()
            cdr = self.item()
            items = [(tag, car)] + (cdr or [])
            return items if attrs is None else RVector(items, {str(t): v for t, v in attrs})
        if kind == 4:  # environment
            env: dict = {}
            self.refs.append(env)
            self.int()
            for _ in range(4):  # enclosure, frame, hash table, attributes
                self.item()
            return env
        if kind == 9:  # one string
            n = self.int()
            if n == -1:
                return None
            raw = self.data[self.pos : self.pos + n]
            self.pos += n
            return raw.decode("latin-1" if levels & 4 else "utf-8")
        if kind in (10, 13):  # logical, integer
            n = self.length()
            items = [None if v == self.NA_INT else v for v in struct.unpack_from(f">{n}i", self.data, self.pos)]
            self.pos += 4 * n
        elif kind == 14:  # double
            n = self.length()
            items = [None if v != v else v for v in struct.unpack_from(f">{n}d", self.data, self.pos)]
            self.pos += 8 * n
        elif kind in (16, 19, 20):  # character, list, expression
            items = [self.item() for _ in range(self.length())]
        else:
            raise ValueError(f"R object type {kind} at byte {self.pos} is not supported")
        attrs = {str(tag): value for tag, value in self.item()} if has_attr else {}
        return RVector(items, attrs)


def read_rds(path: Path):
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    elif data[:3] == b"BZh":
        data = bz2.decompress(data)
    elif data[:6] == b"\xfd7zXZ\x00":
        data = lzma.decompress(data)
    if data[:2] != b"X\n":
        raise ValueError(f"{path}: not an R XDR serialization")
    reader = _Reader(data)
    reader.pos = 2
    version = reader.int()
    reader.int(), reader.int()  # writer's R version, minimal reader version
    if version == 3:
        reader.pos += reader.int()  # native encoding name
    return reader.item()


def data_frame_rows(frame: RVector) -> list[dict]:
    """A data frame, with data-frame columns flattened to 'column_subcolumn'."""
    columns: dict[str, list] = {}
    for name, column in zip(frame.attrs["names"], frame):
        if "data.frame" in (column.attrs.get("class") or []):
            for sub, values in zip(column.attrs["names"], column):
                columns[f"{name}_{sub}"] = _values(values)
        else:
            columns[name] = _values(column)
    n = len(next(iter(columns.values())))
    return [{k: v[i] for k, v in columns.items()} for i in range(n)]


def _values(column: RVector) -> list:
    if "Date" in (column.attrs.get("class") or []):
        epoch = datetime.date(1970, 1, 1)
        return [None if v is None else (epoch + datetime.timedelta(days=int(v))).isoformat() for v in column]
    return list(column)


# --- the build -------------------------------------------------------------------------------------------------------


def check_digit(code5: str) -> str:
    """JIS X 0402 check digit: weights 6,5,4,3,2; last digit of 11 - (sum mod 11)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def load_current() -> dict[str, dict]:
    with CURRENT.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return {r["municipality_code"]: r for r in csv.DictReader(lines)}


def main() -> None:
    current = load_current()
    rows = data_frame_rows(read_rds(SOURCE))
    dates = sorted(r["date"] for r in rows)
    print(f"{len(rows)} source rows, {dates[0]} to {dates[-1]}: {dict(Counter(r['type'] for r in rows))}")

    # every event that takes a municipality (by 5-digit code) somewhere: code -> [(date, event, to-row)]
    moves: dict[str, list] = defaultdict(list)
    for r in rows:
        if r["from_city_code"] and r["to_city_code"]:
            moves[r["from_city_code"]].append((r["date"], r["event"], r))

    def successors(code: str, date: str, used: frozenset) -> list:
        """The next events that move `code` on or after `date` (the earliest such date only), not already taken."""
        later = [m for m in moves.get(code, ()) if m[0] >= date and (m[0], m[1]) not in used]
        if not later:
            return []
        first = min(m[0] for m in later)
        return [m for m in later if m[0] == first]

    def resolve(code: str, date: str, used: frozenset, depth: int = 0) -> set[str]:
        """The current 5-digit codes a municipality reached (code, on date, through events `used`) ends up in."""
        nxt = successors(code, date, used)
        if not nxt or depth > 50:
            return {code}
        out: set[str] = set()
        for when, event, r in nxt:
            out |= resolve(r["to_city_code"], when, used | {(when, event)}, depth + 1)
        return out

    def current_code(code5: str) -> str | None:
        """The 6-digit current code, a ward's designated city in its place; None when not a current one."""
        code = code5 + check_digit(code5)
        row = current.get(code)
        if row is None or not row["name"]:
            return None
        if row["kind"] == "ward" and not code.startswith("131"):
            city = [
                c
                for c, r in current.items()
                if r["kind"] == "designated_city" and r["prefecture"] == row["prefecture"] and row["name"].startswith(r["name"])
            ]
            assert len(city) == 1, (code, city)
            return city[0]
        return code

    dropped: Counter = Counter()
    pairs = 0  # (source row, current code): a row whose municipality was later split counts once per part
    found: dict[tuple, dict] = {}
    for r in rows:
        if r["type"] not in MERGERS + RENAMINGS:
            continue
        name, pref = r["from_city_name"], r["from_pref_name"]
        if (r["from_city_desig_name"] or "").endswith("市") and name.endswith("区"):
            dropped["a ward merged into a ward (not a municipality)"] += 1
            continue
        if f"({r['from_city_code']})" not in r["event"] and "大字" not in r["event"]:
            print(f"  warning: code {r['from_city_code']} not in the event text: {r['event']}", file=sys.stderr)
        for code5 in sorted(resolve(r["to_city_code"], r["date"], frozenset({(r["date"], r["event"])}))):
            pairs += 1
            code = current_code(code5)
            if code is None:
                dropped[f"current code {code5} not in municipalities.csv"] += 1
                continue
            if current[code]["name"] == name:
                dropped["former name is the current municipality's name"] += 1
                continue
            key = (name, pref, code)
            row = dict(
                former_name=name,
                former_prefecture=pref,
                former_kana=r["from_city_name_kana"] or "",
                municipality_code=code,
                date=r["date"] or "",
                event="renamed" if r["type"] in RENAMINGS else "merged",
            )
            if key in found:
                dropped["duplicate (same name, prefecture and current code)"] += 1
                if row["date"] <= found[key]["date"]:
                    continue
            found[key] = row

    out = sorted(found.values(), key=lambda x: (x["municipality_code"], x["date"], x["former_kana"], x["former_name"]))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(
            f"# 旧市町村 → 現在の市区町村 (全国地方公共団体コード). Built {datetime.date.today()} by "
            f"scripts/build_former_names.py from {SOURCE_NOTE}.\n"
        )
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(out)

    merger_rows = sum(1 for r in rows if r["type"] in MERGERS)
    print(
        f"{merger_rows} merger rows (新設合併/編入合併), {pairs} with their current codes -> {len(out)} former names -> {OUT} ({OUT.stat().st_size} bytes)"
    )
    for reason, n in dropped.most_common():
        print(f"  dropped {n}: {reason}")
    others = Counter(r["type"] for r in rows if r["type"] not in MERGERS + RENAMINGS)
    print(f"  not rows (followed only): {dict(others)}")
    for r in out:
        if (r["former_name"], r["former_prefecture"]) in SAMPLES:
            print("  " + ",".join(r[k] for k in FIELDS) + f"  ({current[r['municipality_code']]['name']})")


if __name__ == "__main__":
    main()
