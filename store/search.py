"""Japanese search over the stored records: a query is parsed into filters and terms, then becomes SQL.

    "金沢市 物産展"        → municipality 172014 × term 物産展
    "11月 物産展"          → 2024-11-01..2024-11-30 (the data's latest fiscal year) × term 物産展
    "かなざわ" / "kanazawa" → municipality by reading / romaji
    "経済課"               → department filter
    "金沢市 何件"          → counts (per municipality or per month)

Terms all must match (description, department or municipality). Every term is matched on character bigrams of
the folded text (`store.normalize`), the same function the index used, so 森鷗外 finds 森鴎外 and ｸﾏﾓﾝ finds
くまモン; a 1-character term is a prefix query on the same index. User text reaches FTS5 only as quoted
bigram phrases of word characters, so no input can be FTS5 syntax.

rapidfuzz is used for misspelt municipality names (`fuzz.ratio` on folded names and readings, auto-resolved
only at ≥ 85 and 8 points clear of the runner-up; "もしかして" suggestions at ≥ 70 when nothing matched). It
never turns one real name into another: 大阪市 returns nothing, 熊本市 only 熊本市's records.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import jaconv
from rapidfuzz import fuzz, process

from store.normalize import bigrams, fold, word_chars

AUTO_RESOLVE_SCORE = 85.0
AUTO_RESOLVE_MARGIN = 8.0
SUGGEST_SCORE = 70.0

ERA_BASE = {"R": 2018, "令和": 2018, "H": 1988, "平成": 1988}
COUNT_WORDS = ("何件", "件数", "いくつ", "何回", "集計", "自治体別", "月別", "自治体ごと", "月ごと", "数えて")
BY_MONTH_WORDS = ("月別", "月ごと", "毎月")
# words that carry no search meaning in a question about these records
STOP_WORDS = {
    "の",
    "を",
    "は",
    "が",
    "に",
    "で",
    "と",
    "や",
    "へ",
    "も",
    "について",
    "に関する",
    "関連",
    "イベント",
    "いべんと",
    "事業",
    "記録",
    "交流",
    "実績",
    "一覧",
    "教えて",
    "おしえて",
    "ください",
    "下さい",
    "知りたい",
    "見せて",
    "検索",
    "探して",
    "ある",
    "あった",
    "件",
    "全部",
    "すべて",
    "全て",
    "何",
    "どんな",
    "どの",
    "?",
    "？",
}
# search-engine operators people paste in; they mean nothing to koryu (all words must match anyway)
OPERATORS = {"AND", "OR", "NOT", "NEAR"}
PARTICLES = ("について", "に関する", "での", "の", "を", "は", "が", "に", "で", "と", "や", "へ", "も")


@dataclass
class DateRange:
    start: dt.date
    end: dt.date
    label: str


@dataclass
class Query:
    """A parsed query. municipalities: [(key, display name)]; terms: list of alternatives per term
    (each alternative a folded string); departments; dates (ORed); fiscal_year; count_by: None |
    "municipality" | "month"; notes: what was understood or dropped, for the user."""

    text: str
    municipalities: list[tuple[str, str]] = field(default_factory=list)
    municipality_rank: dict[str, int] = field(default_factory=dict)  # 0 named exactly, 1 short/reading, 2 corrected
    departments: list[str] = field(default_factory=list)
    dates: list[DateRange] = field(default_factory=list)
    fiscal_year: int | None = None
    terms: list[list[str]] = field(default_factory=list)
    term_labels: list[str] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)  # NOT 物産展 / -物産展
    excluded_labels: list[str] = field(default_factory=list)
    count_by: str | None = None
    notes: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.municipalities or self.departments or self.dates or self.fiscal_year or self.terms)

    def interpretation(self) -> dict[str, Any]:
        """What was understood, as JSON for `ask --json` (keys: municipalities, departments, dates,
        fiscal_year, terms, count_by, label)."""
        return {
            "municipalities": [name for _, name in self.municipalities],
            "municipality_codes": [k for k, _ in self.municipalities if not k.startswith("name:")],
            "departments": self.departments,
            "dates": [{"start": d.start.isoformat(), "end": d.end.isoformat(), "label": d.label} for d in self.dates],
            "fiscal_year": self.fiscal_year,
            "terms": self.term_labels,
            "excluded": self.excluded_labels,
            "count_by": self.count_by,
            "label": self.label(),
        }

    def label(self) -> str:
        """Human summary joined with ×: 金沢市 × 物産展 × 2024年11月."""
        parts = []
        if self.municipalities:
            parts.append("・".join(name for _, name in self.municipalities))
        parts += self.term_labels
        parts += [f"{label}を除く" for label in self.excluded_labels]
        if self.departments:
            parts.append("・".join(self.departments))
        if self.dates:
            parts.append("・".join(d.label for d in self.dates))
        if self.fiscal_year and not self.dates:
            parts.append(f"{self.fiscal_year}年度")
        return " × ".join(parts) if parts else "すべて"


@dataclass
class Context:
    """What the parser needs to know about the data: municipalities (rows of the `municipalities` table),
    departments, fiscal years stored, and today (for 今年度)."""

    municipalities: list[dict[str, Any]]
    departments: list[str]
    fiscal_years: list[int]
    today: dt.date
    places: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names: dict[str, set[str]] = {}  # folded name → municipality keys
        self.exact: set[str] = set()  # folded official and printed names (rank before short names and readings)
        self.shorts: dict[str, set[str]] = {}  # folded short name → keys (津和野村 → 津和野 → 津和野町)
        self.display = {m["key"]: m["local_name"] if m.get("kind") != "prefecture" else m["name"] for m in self.municipalities}
        for m in self.municipalities:
            key = m["key"]
            forms = {m["name"], m["local_name"], m["short_name"], *m.get("printed_names", [])}
            kana = {m.get("reading", ""), m.get("short_reading", "")}
            roman = {m.get("romaji", "")}
            for f in forms | kana:
                if f and (len(f) >= 2 or f == m["local_name"]):
                    self.names.setdefault(fold(f), set()).add(key)
            self.exact |= {fold(f) for f in (m["name"], m["local_name"], *m.get("printed_names", [])) if f}
            if m.get("short_name"):
                self.shorts.setdefault(fold(m["short_name"]), set()).add(key)
            for r in roman:
                if r and len(r) >= 3:
                    self.names.setdefault("romaji:" + r, set()).add(key)
        self.suffixed = sorted(
            {
                fold(f)
                for m in self.municipalities
                for f in (m["name"], m["local_name"], *m.get("printed_names", []))
                if f and len(f) >= 3
            },
            key=len,
            reverse=True,
        )
        self.folded_departments = {fold(d): d for d in self.departments}


def _romaji_key(token: str) -> str | None:
    if not re.fullmatch(r"[a-zA-Z' -]{3,}", token):
        return None
    kana = jaconv.alphabet2kana(token.lower().replace(" ", "").replace("-", ""))
    if re.search(r"[a-z]", kana):
        return None
    s = jaconv.kana2alphabet(kana)
    return re.sub(r"o[ou]|uu", lambda m: m.group(0)[0], s)


# ----------------------------------------------------------------------------------------------- dates
_D = r"(\d{1,4})"
DATE_PATTERNS: list[tuple[str, str]] = [
    ("fy", r"(令和|平成|R|H)\s*(元|\d{1,2})\s*年度"),
    ("fy_w", r"((?:19|20)\d{2})\s*年度"),
    ("rel_fy", r"(今年度|本年度|昨年度|前年度|去年度|来年度|次年度)"),
    ("era_ymd", r"(令和|平成|R|H)\s*(元|\d{1,2})\s*[年./]\s*(\d{1,2})\s*[月./]\s*(\d{1,2})\s*日?"),
    ("era_ym", r"(令和|平成|R|H)\s*(元|\d{1,2})\s*[年./]\s*(\d{1,2})\s*月?(?![\d])"),
    ("era_y", r"(令和|平成)\s*(元|\d{1,2})\s*年(?!度)"),
    ("w_ymd", r"((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?"),
    ("w_ym", r"((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*月?(?![\d])"),
    ("w_y", r"((?:19|20)\d{2})\s*年(?!度)"),
    ("md", r"(?<![\d.])(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    ("md_slash", r"^(\d{1,2})/(\d{1,2})$"),
    ("md_dot", r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?![\d.])"),  # 11.16 in R6.11.15～11.16, as reports print it
    ("m", r"(?<![\d.])(\d{1,2})\s*月(?!日)"),
    ("rel", r"(今月|先月|来月|今年|去年|昨年|来年)"),
]
DATE_RE = re.compile("|".join(f"(?P<{name}>{pat})" for name, pat in DATE_PATTERNS))
_PART = re.compile(r"^(上旬|中旬|下旬|初旬|末)")


def _era(era: str, y: str) -> int:
    return ERA_BASE[era] + (1 if y == "元" else int(y))


def _month_range(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _fy_of(d: dt.date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def parse_dates(text: str, ctx: Context, notes: list[str] | None = None) -> tuple[list[DateRange], int | None, str]:
    """Find date expressions in text. Returns (ranges, fiscal_year or None, text with them removed).

    A date without a year takes the year of an earlier date in the same question (rolling over when its
    month is earlier: R6.10.12～1.13), else the fiscal year asked for (R6年度 11月 → November 2024), else the
    data's latest fiscal year (4–12 → FY, 1–3 → FY+1), or the current one when the store is empty. An
    invalid date (2月30日) stays in the text as a term and is reported in `notes`.
    """
    ranges: list[DateRange] = []
    s = unicodedata.normalize("NFKC", text)
    matches = list(DATE_RE.finditer(s))
    fiscal_year = None
    for m in matches:  # the fiscal year asked for decides where bare months fall
        if m.lastgroup in ("fy", "fy_w", "rel_fy"):
            with contextlib.suppress(ValueError, OverflowError):
                fiscal_year = _date_range(m.lastgroup, [x for x in m.groups() if x is not None][1:], ctx, 0)
    data_fy = fiscal_year or (max(ctx.fiscal_years) if ctx.fiscal_years else _fy_of(ctx.today))
    spans: list[tuple[int, int]] = []  # where each range was found, to join "11月～12月"
    cut: list[tuple[int, int]] = []
    last: DateRange | None = None  # the previous explicit date: its year carries to year-less ones
    for m in matches:
        kind = m.lastgroup
        g = [x for x in m.groups() if x is not None][1:]  # drop the whole-group capture
        try:
            if kind in ("md", "md_slash", "md_dot", "m") and last is not None:
                r = _date_range(kind, g, ctx, _fy_of(last.end), after=last.end)
            else:
                r = _date_range(kind, g, ctx, data_fy)
        except (ValueError, OverflowError):
            if notes is not None and kind not in ("md_dot",):
                notes.append(f"「{m.group(0).strip()}」は日付として読めませんでした")
            continue  # not a real date: leave the text as a term
        end = m.end()
        if isinstance(r, int):
            pass  # the fiscal year, taken above
        else:
            if kind not in ("rel",):
                last = r
            part = _PART.match(s[end:])
            if part:
                r = _part_of_month(r, part.group(1))
                end += len(part.group(1))
            if spans and re.fullmatch(r"\s*[~〜～\-]\s*", s[spans[-1][1] : m.start()]) and r.end >= ranges[-1].start:
                prev = ranges.pop()
                r = DateRange(prev.start, r.end, f"{prev.label}～{r.label}")
                cut[-1] = (cut[-1][0], end)
                spans[-1] = (spans[-1][0], end)
                ranges.append(r)
                continue
            ranges.append(r)
            spans.append((m.start(), end))
        cut.append((m.start(), end))
    rest, pos = [], 0
    for a, b in cut:
        rest.append(s[pos:a] + " ")
        pos = b
    rest.append(s[pos:])
    return ranges, fiscal_year, "".join(rest)


def _part_of_month(r: DateRange, word: str) -> DateRange:
    """R6.11上旬 → 11/1..11/10; 中旬 11..20; 下旬 21..end; 末 the last 10 days."""
    if r.start.day != 1 or r.start.month != r.end.month:
        return r
    a, b = r.start, r.end
    if word in ("上旬", "初旬"):
        b = a.replace(day=10)
    elif word == "中旬":
        a, b = a.replace(day=11), a.replace(day=20)
    elif word == "下旬":
        a = a.replace(day=21)
    else:
        a = b.replace(day=max(1, b.day - 9))
    return DateRange(a, b, r.label + word)


def _date_range(kind: str, g: list[str], ctx: Context, data_fy: int, after: dt.date | None = None) -> DateRange | int:
    """One matched date pattern → a DateRange, or an int for a fiscal year. Raises ValueError if invalid.

    after: a date said earlier in the question; a year-less date takes its year, or the next when earlier."""
    if kind == "fy":
        return _era(g[0], g[1])
    if kind == "fy_w":
        return int(g[0])
    if kind == "rel_fy":
        return _fy_of(ctx.today) + {"今": 0, "本": 0, "昨": -1, "前": -1, "去": -1, "来": 1, "次": 1}[g[0][0]]
    if kind in ("era_ymd", "w_ymd", "md", "md_slash", "md_dot"):
        if kind == "era_ymd":
            y, mo, day = _era(g[0], g[1]), int(g[2]), int(g[3])
        elif kind == "w_ymd":
            y, mo, day = int(g[0]), int(g[1]), int(g[2])
        else:
            mo, day = int(g[0]), int(g[1])
            if after is not None:
                y = after.year + (1 if (mo, day) < (after.month, after.day) else 0)
            else:
                y = data_fy if mo >= 4 else data_fy + 1
        d = dt.date(y, mo, day)
        return DateRange(d, d, f"{d.year}年{d.month}月{d.day}日")
    if kind in ("era_ym", "w_ym", "m"):
        if kind == "era_ym":
            y, mo = _era(g[0], g[1]), int(g[2])
        elif kind == "w_ym":
            y, mo = int(g[0]), int(g[1])
        else:
            mo = int(g[0])
            if after is not None:
                y = after.year + (1 if mo < after.month else 0)
            else:
                y = data_fy if mo >= 4 else data_fy + 1
        a, b = _month_range(y, mo)
        return DateRange(a, b, f"{a.year}年{a.month}月")
    if kind in ("era_y", "w_y"):
        y = _era(g[0], g[1]) if kind == "era_y" else int(g[0])
        return DateRange(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年")
    t = ctx.today  # rel
    if g[0] in ("今月", "先月", "来月"):
        index = t.year * 12 + t.month - 1 + {"今月": 0, "先月": -1, "来月": 1}[g[0]]
        a, b = _month_range(index // 12, index % 12 + 1)
        return DateRange(a, b, f"{a.year}年{a.month}月")
    y = t.year + {"今年": 0, "去年": -1, "昨年": -1, "来年": 1}[g[0]]
    return DateRange(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年")


# ------------------------------------------------------------------------------------------- the parser
def _strip_particles(token: str) -> str:
    changed = True
    while changed and token:
        changed = False
        for p in PARTICLES:
            if token.startswith(p) and len(token) > len(p) + 1:
                token, changed = token[len(p) :], True
            if token.endswith(p) and len(token) > len(p) + 1:
                token, changed = token[: -len(p)], True
    return token


def parse_query(text: str, ctx: Context) -> Query:
    """Parse user text into a `Query`. Total: any string in, a Query out; never raises."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)[:500]
    q = Query(text=text)
    for w in COUNT_WORDS:
        if w in text:
            q.count_by = "month" if any(b in text for b in BY_MONTH_WORDS) else "municipality"
            text = text.replace(w, " ")
    ranges, fy, rest = parse_dates(text, ctx, q.notes)
    q.dates, q.fiscal_year = ranges, fy
    tokens = [t for t in re.split(r"[\s\u3000、,，・/()（）\[\]{}]+", rest) if t]
    negate = join_or = False
    for raw in tokens:
        if raw in ("NOT", "OR", "AND"):  # operators as people type them in search boxes
            negate, join_or = raw == "NOT", raw == "OR"
            continue
        if raw[0] in "-−" and len(raw) > 1 and word_chars(raw[1:]):  # -物産展: without 物産展
            negate, raw = True, raw[1:]
        if negate:
            _exclude(raw, q)
            negate = join_or = False
            continue
        n_terms = len(q.terms)
        _classify(raw, q, ctx)
        if join_or and n_terms >= 1 and len(q.terms) == n_terms + 1:  # 給食 OR 防災: either word
            alternatives, label = q.terms.pop(), q.term_labels.pop()
            q.terms[-1] = q.terms[-1] + alternatives
            q.term_labels[-1] = f"{q.term_labels[-1]} または {label}"
        join_or = False
    return q


def _exclude(raw: str, q: Query) -> None:
    token = raw.strip("「」『』()（）[]［］\"'“”‘’<>＜＞")
    if word_chars(token):
        q.excluded.append([fold(token)])
        q.excluded_labels.append(token)


def _add_municipalities(q: Query, keys: set[str], ctx: Context, rank: int = 0) -> None:
    for k in sorted(keys):
        if k not in [x for x, _ in q.municipalities]:
            q.municipalities.append((k, ctx.display.get(k, k)))
        q.municipality_rank[k] = min(rank, q.municipality_rank.get(k, rank))


def _classify(raw: str, q: Query, ctx: Context) -> None:
    token = raw.strip("「」『』()（）[]［］\"'“”‘’<>＜＞")
    if not token:
        return
    f = fold(token)
    if f in STOP_WORDS or token in OPERATORS or not word_chars(token):
        return
    # whole token: a municipality by name, short name, printed name, reading or romaji
    if f in ctx.names:
        _add_municipalities(q, ctx.names[f], ctx, 0 if f in ctx.exact else 1)
        return
    rk = _romaji_key(token)
    if rk and "romaji:" + rk in ctx.names:
        _add_municipalities(q, ctx.names["romaji:" + rk], ctx, 1)
        return
    # a department by its exact name
    if f in ctx.folded_departments:
        q.departments.append(ctx.folded_departments[f])
        return
    # a municipality name inside a longer token ("金沢市物産展", "熊本県の")
    for name in ctx.suffixed:
        if name in f and name != f:
            before, _, after = f.partition(name)
            _add_municipalities(q, ctx.names[name], ctx, 0)
            for part in (before, after):
                if part:
                    _classify(part, q, ctx)
            return
    stripped = _strip_particles(token)
    if stripped != token:
        _classify(stripped, q, ctx)
        return
    suffixed = re.search(r"[市町村区県都府道]$", token) is not None
    # a real place with no records (大阪市, 横浜市金沢区): answer that, do not search its name as text
    if suffixed and f in ctx.places and f not in ctx.names:
        q.unknown_names.append(token)
        q.municipalities.append(("name:" + token, token))
        q.municipality_rank["name:" + token] = 0
        return
    # a wrong ending on a known name (津和野村 → 津和野町), or a misspelt name: only when clearly one
    if suffixed and len(token) >= 3:
        keys = ctx.shorts.get(fold(token[:-1]), set())
        if len(keys) == 1:
            _add_municipalities(q, keys, ctx, 2)
            q.notes.append(f"「{token}」を「{ctx.display.get(next(iter(keys)))}」として検索しました")
            return
    if suffixed or rk:
        hit = _fuzzy_municipality(token, ctx)
        if hit:
            _add_municipalities(q, {hit[0]}, ctx, 2)
            q.notes.append(f"「{token}」を「{ctx.display.get(hit[0], hit[0])}」として検索しました")
            return
        if suffixed and len(token) >= 3 and token not in q.unknown_names:
            q.unknown_names.append(token)
    alternatives = [f]
    # お米 → also 米; ご当地 stays as it is (ご + kanji only when the rest is 2+ chars)
    if re.fullmatch(r"[おご][\u4e00-\u9fff].*", token) and len(token) >= 2:
        alternatives.append(fold(token[1:]))
    if rk:
        kana = jaconv.alphabet2kana(token.lower())
        if not re.search(r"[a-z]", kana):
            alternatives.append(fold(kana))
    q.terms.append(list(dict.fromkeys(a for a in alternatives if word_chars(a))))
    q.term_labels.append(token)


def _fuzzy_municipality(token: str, ctx: Context) -> tuple[str, float] | None:
    choices = {name: keys for name, keys in ctx.names.items() if not name.startswith("romaji:") and len(name) >= 3}
    if not choices:
        return None
    hits = process.extract(fold(token), list(choices), scorer=fuzz.ratio, processor=None, limit=2)
    if not hits or hits[0][1] < AUTO_RESOLVE_SCORE:
        return None
    if len(hits) > 1 and hits[0][1] - hits[1][1] < AUTO_RESOLVE_MARGIN and choices[hits[0][0]] != choices[hits[1][0]]:
        return None
    keys = choices[hits[0][0]]
    return (next(iter(keys)), hits[0][1]) if len(keys) == 1 else None


def suggestions(q: Query, ctx: Context, limit: int = 3) -> list[str]:
    """ "もしかして" candidates for a query that found nothing: municipality names and departments close to
    the terms (fuzz.ratio ≥ 70 on folded text). Never includes a name equal to a term."""
    out: list[str] = []
    names = {ctx.display.get(k, k) for m in ctx.municipalities for k in [m["key"]]}
    pool = list(names) + ctx.departments
    folded = {fold(p): p for p in pool}
    for label in q.term_labels + q.unknown_names:
        for hit, score, _ in process.extract(fold(label), list(folded), scorer=fuzz.ratio, processor=None, limit=limit):
            if score >= SUGGEST_SCORE and folded[hit] not in out and hit != fold(label):
                out.append(folded[hit])
    return out[:limit]


# ----------------------------------------------------------------------------------------------- SQL
def fts_phrase(alternative: str) -> str | None:
    """One folded alternative → an FTS5 phrase of its bigrams ("物産 産展"), or None for 1 character."""
    grams = bigrams(alternative)
    if not grams or len(word_chars(alternative)) < 2:
        return None
    return '"' + " ".join(grams) + '"'


def fts_query(alternative: str) -> str:
    """One folded alternative as FTS5 syntax: a quoted bigram phrase, or for one character a quoted prefix
    ("米"*), which the index answers because every character starts a token (store.db.index_text).
    Only word characters reach FTS5, always inside quotes: no user text is ever FTS5 syntax."""
    phrase = fts_phrase(alternative)
    return phrase if phrase else '"' + word_chars(alternative) + '"*'


def filters(q: Query) -> list[tuple[str, str, list[Any]]]:
    """Each constraint of the query as (kind, SQL returning matching rowids, params)."""
    subs: list[tuple[str, str, list[Any]]] = []
    phrases_all = []
    for alternatives in q.terms:
        phrases_all.append("(" + " OR ".join(fts_query(a) for a in alternatives) + ")")
    if phrases_all:
        subs.insert(0, ("fts", "SELECT rowid FROM records_fts WHERE records_fts MATCH ?", [" AND ".join(phrases_all)]))
    if q.municipalities:
        codes = [k for k, _ in q.municipalities if not k.startswith("name:")]
        names = [k[5:] for k, _ in q.municipalities if k.startswith("name:")]
        conds, params = [], []
        if codes:
            conds.append(f"municipality_code IN ({', '.join('?' * len(codes))})")
            params += codes
        if names:
            conds.append(f"(municipality_code IS NULL AND municipality IN ({', '.join('?' * len(names))}))")
            params += names
        subs.append(("municipality", "SELECT rowid FROM records WHERE " + " OR ".join(conds), params))
    if q.departments:
        subs.append(
            (
                "department",
                f"SELECT rowid FROM records WHERE department IN ({', '.join('?' * len(q.departments))})",
                list(q.departments),
            )
        )
    if q.fiscal_year is not None:
        low = (3000 - q.fiscal_year) << 48  # rowids of one fiscal year are one range (store.db.sort_rowid)
        subs.append(("fiscal_year", "SELECT rowid FROM records WHERE rowid BETWEEN ? AND ?", [low, low | ((1 << 48) - 1)]))
    if q.dates:
        conds, params = [], []
        for d in q.dates:
            conds.append("(first_day <= ? AND last_day >= ?)")
            params += [d.end.toordinal(), d.start.toordinal()]
        subs.append(("dates", f"SELECT record_rowid FROM record_days WHERE {' OR '.join(conds)}", params))
    if q.excluded:
        match = " OR ".join("(" + " OR ".join(fts_query(a) for a in group) + ")" for group in q.excluded)
        subs.append(("not", "SELECT rowid FROM records_fts WHERE records_fts MATCH ?", [match]))
    return subs


def intersection_sql(subs: list[tuple[str, str, list[Any]]]) -> tuple[str, list[Any]]:
    """The rowids every constraint allows, ascending (= display order), each once: INTERSECT removes
    duplicates, and a lone constraint is made DISTINCT (a record with two dates in one month is one record)."""
    positive = [s for s in subs if s[0] != "not"]
    negative = [s for s in subs if s[0] == "not"]
    params = [p for _, _, ps in positive + negative for p in ps]
    if not positive:
        sql = "SELECT rowid FROM records"
    elif len(positive) == 1 and not negative:
        sql = f"SELECT DISTINCT * FROM ({positive[0][1]})"
    else:
        sql = "\nINTERSECT ".join(s for _, s, _ in positive)
    for _, s, _ in negative:
        sql += "\nEXCEPT " + s
    return sql + "\nORDER BY 1", params


def ranked(q: Query) -> bool:
    """True when the order is more than rowid order: several municipality ranks, or terms to rank by."""
    return bool(_ranking(q, rank_phrases=True)[0])


def count_sql(q: Query) -> tuple[str, list[Any]]:
    """SQL counting the records a query matches (the full-text table alone when it is the only filter)."""
    subs = filters(q)
    if not subs:
        return "SELECT count(*) FROM records", []
    if len(subs) == 1 and subs[0][0] == "fts":
        return "SELECT count(*) FROM records_fts WHERE records_fts MATCH ?", subs[0][2]
    sql, params = intersection_sql(subs)
    return "SELECT count(*) FROM (" + sql.rsplit("\nORDER BY", 1)[0] + ")", params


def build_sql(q: Query, *, fields: str = "r.*", order: bool = True, rank_phrases: bool = True) -> tuple[str, list[Any]]:
    """The SQL and parameters for a parsed query (what `koryu ask --sql` shows).

    Every constraint (terms as one FTS5 MATCH of quoted bigram phrases, municipalities, departments, fiscal
    year, dates from the R*Tree of record days) yields rowids; the answer is their INTERSECT. Rowids are in
    display order (store.db.sort_rowid), so the first page needs no sort unless ranking applies: exact
    municipality names first, then (when `rank_phrases`) records holding each term as written.
    """
    subs = filters(q)
    keys, key_params = _ranking(q, rank_phrases) if order else ([], [])
    params: list[Any] = []
    if not subs:
        sql = f"SELECT {fields} FROM records r"
    elif len(subs) == 1 and subs[0][0] == "fts" and not keys:
        # the full-text index yields rowids in order: the first page is read, not sorted
        sql = f"SELECT {fields} FROM records_fts f JOIN records r ON r.rowid = f.rowid\nWHERE f.records_fts MATCH ?"
        if order:
            return sql + "\nORDER BY f.rowid", list(subs[0][2])
        return sql, list(subs[0][2])
    else:
        inner, params = intersection_sql(subs)
        sql = f"SELECT {fields} FROM records r\nWHERE r.rowid IN (\n  " + inner.rsplit("\nORDER BY", 1)[0] + "\n)"
    if order:
        sql += "\nORDER BY " + ", ".join(keys + ["r.rowid"])
        params += key_params
    return sql, params


def _ranking(q: Query, rank_phrases: bool) -> tuple[list[str], list[Any]]:
    """ORDER BY keys before rowid (date order) and their parameters: municipalities named exactly first
    (when the query named them in different ways), then, if `rank_phrases`, records holding each term as
    written."""
    keys: list[str] = []
    params: list[Any] = []
    if len(set(q.municipality_rank.values())) > 1:
        cases = " ".join("WHEN ? THEN ?" for _ in q.municipality_rank)
        keys.append(f"CASE coalesce(r.municipality_code, 'name:' || r.municipality) {cases} ELSE 9 END")
        for k, rank in q.municipality_rank.items():
            params += [k, rank]
    if rank_phrases:
        keys += ["instr(r.search_text, ?) = 0" for _ in q.terms]
        params += [alternatives[0] for alternatives in q.terms]
    return keys, params


def ranked_page_sql(q: Query) -> tuple[str, list[Any]]:
    """The ranked order of rowids already found (given as one JSON array parameter, first): for a page of
    a small answer that ranking reorders. Returns (sql, params after the JSON array)."""
    keys, params = _ranking(q, rank_phrases=True)
    sql = "SELECT r.* FROM records r\nWHERE r.rowid IN (SELECT value FROM json_each(?))\nORDER BY " + ", ".join(
        keys + ["r.rowid"]
    )
    return sql, params


@dataclass
class SearchResult:
    """One answer, shared by the CLI and the Slack rendering.

    query: Query; total: matching records; records: the requested page (offset/limit); counts:
    [(label, n)] when the question asked for counts; suggestions: "もしかして" names when nothing matched;
    sample: True when answered from the sample report shipped with the package.
    """

    query: Query
    total: int
    records: list
    offset: int = 0
    limit: int | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    sample: bool = False

    def to_json(self) -> dict[str, Any]:
        """{"query", "interpretation", "total", "records": [record...]} (+ counts, suggestions, notes)."""
        out: dict[str, Any] = {
            "query": self.query.text,
            "interpretation": self.query.interpretation(),
            "total": self.total,
            "records": [r.to_dict() for r in self.records],
        }
        if self.counts:
            out["counts"] = [{"label": k, "count": n} for k, n in self.counts]
        if self.suggestions:
            out["suggestions"] = self.suggestions
        if self.query.notes:
            out["notes"] = self.query.notes
        if self.sample:
            out["sample"] = True
        return out
