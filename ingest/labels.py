"""Printed municipality labels (熊本市上天草市, 金沢, 津和野村) → official municipalities (name + 6-digit 全国地方公共団体コード).

The national list is `store.gazetteer` (the 総務省 code list with readings, shared with the query side).

Resolution order for a printed label (never a guess; every non-exact answer carries a warning):

1. exact full name (石川県金沢市, 熊本県) or, given a prefecture context, exact name inside it;
2. exact name alone (金沢市, 上天草市) when it is unique in Japan; 郡 names are accepted (鹿足郡津和野町);
3. a unique official name that the label ends with, whose leading part is a prefecture or a near miss of
   the right prefecture — the misprint case 熊本市上天草市 → 熊本県上天草市 (432121);
4. short names without 市/町/村/区 (金沢) when unique in the context; 金沢 alone is ambiguous (金沢市 /
   横浜市金沢区) and is reported with its candidates;
5. whole-label fuzzy match (rapidfuzz `fuzz.ratio` on folded text, cut-off 88, and 6 points clear of the
   runner-up) for typos such as 津和野村 → 島根県津和野町.

Anything else — a partner abroad (台北市), a label that matches nothing — keeps its printed name, gets no
code and a warning.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from store.gazetteer import Municipality, all_municipalities, by_code, short_form
from store.normalize import fold, repair

__all__ = ["Municipality", "Resolution", "all_municipalities", "by_code", "clean_label", "resolve", "run_together"]

FUZZY_CUTOFF = 88.0  # fuzz.ratio 0–100; 熊本市上天草市 vs 熊本県上天草市 scores 85.7, so step 3 handles misprints
FUZZY_MARGIN = 6.0  # the best match must beat the second best by this much
PREFECTURE_NEAR_MISS = 60.0  # fuzz.ratio of a misprinted prefecture part vs the real one (熊本市 vs 熊本県: 66.7)


@dataclass(frozen=True)
class Resolution:
    """The answer for one printed label.

    municipality: the match or None; method: exact | name | misprint | short | fuzzy | ambiguous | unknown;
    score: 0–100 (100 for exact); candidates: for `ambiguous`, the full names it could be; warning: a
    one-line Japanese/English note for the ingest summary, "" when the match is exact.
    """

    label: str
    municipality: Municipality | None
    method: str
    score: float = 100.0
    candidates: tuple[str, ...] = ()
    warning: str = ""


@functools.lru_cache(maxsize=1)
def _indexes():
    full: dict[str, Municipality] = {}
    by_name: dict[str, list[Municipality]] = {}
    by_short: dict[str, list[Municipality]] = {}
    prefectures: dict[str, Municipality] = {}
    for m in all_municipalities():
        full[fold(m.full_name)] = m
        if m.is_prefecture:
            prefectures[m.prefecture] = m
            by_short.setdefault(fold(m.short_name), []).append(m)
            continue
        by_name.setdefault(fold(m.name), []).append(m)
        if m.kind == "ward":
            by_name.setdefault(fold(m.local_name), []).append(m)
        by_short.setdefault(fold(m.short_name), []).append(m)
    return full, by_name, by_short, prefectures


def clean_label(label: str) -> str:
    """Printed label → comparable form: text-layer repair, NFKC, no whitespace, no 郡 part of a town name."""
    s = unicodedata.normalize("NFKC", repair(label))
    s = re.sub(r"\s+", "", s)
    return s


_GUN = re.compile(r"^(.{1,6}?郡)(.+[町村])$")


def resolve(label: str, prefecture: str | None = None) -> Resolution:
    """Resolve one printed label to an official municipality. Never raises.

    label: as printed (熊本市上天草市, 石川県金沢市, 金沢); prefecture: context such as "石川県" from a
    separate prefecture column, or None. Returns a `Resolution` (see its docstring and the module's).
    """
    full, by_name, by_short, prefectures = _indexes()
    s = clean_label(label)
    if not s:
        return Resolution(label, None, "unknown", 0.0, warning="empty municipality label")
    key = fold(s)
    if key in full:
        return Resolution(label, full[key], "exact")
    pref = prefecture
    rest = s
    for p in prefectures:
        if s.startswith(p) and len(s) > len(p):
            pref, rest = p, s[len(p) :]
            break
    gun = _GUN.match(rest)
    if gun:
        rest = gun.group(2)

    def in_pref(ms: list[Municipality]) -> list[Municipality]:
        return [m for m in ms if pref is None or m.prefecture == pref]

    cands = in_pref(by_name.get(fold(rest), []))
    if len(cands) == 1:
        return Resolution(label, cands[0], "name" if pref is None or s.startswith(pref) else "exact")
    if len(cands) > 1:
        return _ambiguous(label, cands)

    # a unique official name at the end, after a misprinted prefecture (熊本市上天草市)
    misprint = _misprinted_prefecture(label, s, by_name, prefectures)
    if misprint:
        return misprint

    cands = in_pref(by_short.get(fold(short_form(rest)), []))
    if len(cands) == 1:
        m = cands[0]
        warn = "" if pref else f"短い名前から解決 / resolved from a short name: {label} → {m.full_name}"
        return Resolution(label, m, "short", 95.0, warning=warn)
    if len(cands) > 1:
        return _ambiguous(label, cands)

    choices = {m.code: fold(m.full_name) for m in all_municipalities() if pref is None or m.prefecture == pref}
    target = fold(s if pref is None or s.startswith(pref) else pref + s)
    hits = process.extract(target, choices, scorer=fuzz.ratio, processor=None, limit=2)
    if hits and hits[0][1] >= FUZZY_CUTOFF and (len(hits) < 2 or hits[0][1] - hits[1][1] >= FUZZY_MARGIN):
        found = by_code(hits[0][2])
        assert found is not None  # the code came from all_municipalities()
        return Resolution(
            label,
            found,
            "fuzzy",
            hits[0][1],
            warning=f"表記ゆれとして解決 / fuzzy match: {label} → {found.full_name} ({hits[0][1]:.0f})",
        )
    return Resolution(
        label, None, "unknown", hits[0][1] if hits else 0.0, warning=f"自治体名を特定できません / unknown municipality: {label}"
    )


def _ambiguous(label: str, cands: list[Municipality]) -> Resolution:
    names = tuple(m.full_name for m in cands)
    return Resolution(
        label, None, "ambiguous", 0.0, names, warning=f"自治体名が複数に当てはまります / ambiguous: {label} → {' / '.join(names)}"
    )


def _misprinted_prefecture(label, s, by_name, prefectures) -> Resolution | None:
    for cut in range(1, len(s) - 1):
        lead, tail = s[:cut], s[cut:]
        cands = by_name.get(fold(tail), [])
        if len(cands) != 1 or len(tail) < 2:
            continue
        m = cands[0]
        score = fuzz.ratio(fold(lead), fold(m.prefecture), processor=None)
        if score >= PREFECTURE_NEAR_MISS and lead[:2] == m.prefecture[:2]:
            return Resolution(
                label,
                m,
                "misprint",
                score,
                warning=f"都道府県名の誤記として解決 / misprinted prefecture: {label} → {m.full_name}",
            )
    return None


_JOINT = re.compile(r"[・、，,/／]")


@functools.lru_cache(maxsize=1)
def _units() -> tuple[frozenset[str], int]:
    """Folded names a label may be made of: full names, and names unique in Japan; and the longest's length."""
    full, by_name, _, _ = _indexes()
    units = frozenset(full) | {name for name, ms in by_name.items() if len(ms) == 1}
    return units, max(map(len, units))


@functools.lru_cache(maxsize=4096)
def run_together(label: str) -> tuple[str, ...]:
    """The names of a label that is several municipalities printed together (熊本県熊本市岩手県盛岡市 — a table
    read with the labels of many rows in one cell), else (). Only a label `resolve` cannot read as one
    municipality, and that joins no names with ・ or 、, counts; it is several when it splits wholly into two or more full names (熊本県熊本市,
    熊本県) or names unique in Japan, or when it holds two prefecture names (東京都府中市 holds one)."""
    resolution = resolve(label)
    if resolution.method not in ("unknown", "ambiguous"):
        return ()
    s = fold(clean_label(label))
    if _JOINT.search(s):
        return ()  # 熊本県・福岡県: two partners printed as such, not a misread
    units, longest = _units()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(s)  # best[i]: a split of s[:i] into names
    for i in range(1, len(s) + 1):
        for j in range(max(0, i - longest), i):
            before, now = best[j], best[i]
            if before is not None and s[j:i] in units and (now is None or len(before) + 1 < len(now)):
                best[i] = (*before, s[j:i])
    if best[-1] is not None and len(best[-1]) >= 2:
        return best[-1]
    prefectures = _indexes()[3]
    found, i = [], 0
    while i < len(s):  # prefecture names, left to right without overlap
        p = next((p for p in prefectures if s.startswith(fold(p), i)), None)
        if p:
            found.append(p)
            i += len(fold(p))
        else:
            i += 1
    return tuple(found) if len(found) >= 2 else ()


# what a heading adds to the name: （続き） on a later page, a count （3件）
_HEADING_NOTE = re.compile(r"[（(](?:続き?|つづき|\d+件)[）)]$")


def heading_name(text: str) -> str:
    """The municipality a heading names (■ 石川県金沢市, 【熊本県】, ＜岐阜県　郡上市＞（続き）): the text without
    spaces, its marks (any symbol or bracket at either end) and a trailing （続き） or （3件）, when that is a
    municipality's exact name (`ingest.labels.resolve`); else ""."""
    name = _HEADING_NOTE.sub("", re.sub(r"\s+", "", text))
    start, end = 0, len(name)
    while start < end and unicodedata.category(name[start])[0] not in "LN":
        start += 1
    while end > start and unicodedata.category(name[end - 1])[0] not in "LN":
        end -= 1
    name = _HEADING_NOTE.sub("", name[start:end])
    found = resolve(name) if name else None
    # a misprint or a typo still names one municipality (the records say so in their warnings)
    return name if found and found.municipality and found.method in ("exact", "name", "misprint", "fuzzy") else ""
