"""English questions, as an international relations coordinator or other staff type them: "school lunch events",
"disaster prevention meetings with partner cities", "When did we hold the Kanazawa product fair?"

    to_japanese("Which cities took part in the restaurant stamp rally?", lexicon)
        → English("飲食店 スタンプ ラリー どこ", read=[("restaurant", "飲食店"), …], left_out=[])

The question words, dates, rankings and negation are read from a closed table below (when → いつ, in November
→ 11月, the most → 一番多い, except → 以外); partner names in romaji are kept for the place reader (Kanazawa);
every other word is read through JMdict's glosses of the records' own words (`store.query.meanings`). The
Japanese text is then read like any question, and the answer says what it was read as.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from store.normalize import fold
from store.query.lexicon import Lexicon, data_lines
from store.query.meanings import english_tokens

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march",),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

# (pattern, Japanese): closed-class English, longest first where they overlap; applied in this order
PHRASES: list[tuple[str, str]] = [
    # rankings and comparisons
    (r"\b(?:which|what) (?:one|city|town|municipality|partner) (?:has|had|did) (?:the )?most\b", "一番多い自治体"),
    (r"\b(?:the )?(?:most|largest number of|highest number of)\b", "一番多い"),
    (r"\b(?:the )?(?:fewest|least|smallest number of|lowest number of)\b", "一番少ない"),
    (r"\bmore\b(?: \w+)? than\b|\bcompared? (?:to|with)\b|\bversus\b|\bvs\.?(?=\s)", "どっちが多い"),
    (r"\btop\s*(\d{1,3})\b", r"トップ\1"),
    (r"\branking\b|\branked\b|\brank\b", "ランキング"),
    (r"\bwhich (?:one )?(?:has|had|is|was) (?:more|bigger|larger)\b|\bcompare\b", "比べて"),
    (r"\b(?:by|per|each) prefecture\b", "県別"),
    (r"\b(?:by|per|each) (?:department|section|division)\b", "課別"),
    (r"\b(?:by|per|each) month\b|\bmonthly\b", "月別"),
    (r"\b(?:by|per|each) (?:city|town|municipality|partner)\b", "自治体別"),
    # question words
    (r"\bhow many\b|\bnumber of\b|\bcount\b", "何件"),
    (
        r"\b(?:which|what) (?:department|section|division|office|bureau)s?\b|\bwho (?:was|is|were) in charge\b|"
        r"\bin charge\b|\bresponsible\b|\bdepartments?\b",
        "どの課",
    ),
    (
        r"\b(?:which|what) (?:cities|city|towns|town|municipalities|municipality|partners|partner|places|place)\b|"
        r"\bwhere\b|\bwith whom\b|\bwho\b",
        "どこ",
    ),
    (r"\b(?:which|what) months?\b", "何月"),
    (r"\bwhen\b|\bwhat (?:date|dates|day|days|time)\b|\bschedule\b|\bdates?\b", "いつ"),
    # dates
    (r"\b(?:fy|fiscal(?: year)?)\s*(\d{4})\b", r"\1年度"),
    (r"\bthis fiscal year\b", "今年度"),
    (r"\blast fiscal year\b|\blast year\b", "昨年度"),
    (r"\bnext fiscal year\b|\bnext year\b", "来年度"),
    (r"\bthis year\b", "今年度"),
    (r"\bthis month\b", "今月"),
    (r"\bnext month\b", "来月"),
    (r"\blast month\b", "先月"),
    (r"\bthis week(?:end)?\b", "今週"),
    (r"\bnext week\b", "来週"),
    (r"\blast week\b", "先週"),
    (r"\bupcoming\b|\bcoming up\b|\bfrom now on\b|\b(?:after|from|since) today\b|\bin the future\b", "今日以降"),
    (r"\btoday\b", "今日"),
    (r"\btomorrow\b", "明日"),
    (r"\bsummer (?:vacation|holidays?|break)\b", "夏休み"),
    (r"\bwinter (?:vacation|holidays?|break)\b", "冬休み"),
    (r"\bspring (?:vacation|holidays?|break)\b", "春休み"),
    (r"\bgolden week\b", "ゴールデンウィーク"),
    (r"\bnew year(?:'s)?(?: holidays?)?\b", "年末年始"),
    (r"\bspring\b", "春"),
    (r"\bsummer\b", "夏"),
    (r"\b(?:autumn|fall)\b", "秋"),
    (r"\bwinter\b", "冬"),
    (rf"\b({_MONTH})\.?,? (20\d\d)\b", "{year}年{month}月"),
    (rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b", "{month}月{day}日"),
    (rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\b", "{month}月{day}日"),
    (rf"\b(?:in|during|of|on) ({_MONTH})\b|\b({_MONTH})\b(?! may)", "{month}月"),
    (r"\b(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})\b", r"\1年\2月\3日"),
    (r"(?<![-/.\d])\b(20\d\d)\b(?![-/.]\d)", r"\1年"),
]
NEGATION = re.compile(
    r"\b(?:not(?: in| with| from| for| at| by)?|except(?: for| in| with)?|other than|excluding|besides|apart from|without|"
    r"but not|aside from|outside(?: of)?)\s*$",
    re.I,
)
_COMPILED = [(re.compile(p, re.I), j) for p, j in PHRASES]
_LATIN = re.compile(r"[A-Za-z]")
JAPANESE_RUN = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶー0-9０-９]*[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶ][\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶー0-9０-９]*"
)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


OPERATORS = re.compile(r"\b(?:AND|OR|NOT|NEAR)\b")  # in capitals, as typed into a search box


def is_english(text: str) -> bool:
    """True when `text` is written in English: at least two Latin words (or one of five letters or more, or a
    question word alone: When?), and half again as many Latin letters as Japanese characters (金沢 food fair
    はいつ？ is English with a Japanese name in it). Romaji alone (kanazawa bussanten) counts too;
    its place names are kept, so nothing is lost. Search-engine operators in capitals (AND, OR, NOT, NEAR) are no
    English words."""
    text = OPERATORS.sub(" ", text)  # 金沢市 NOT 物産展, NEAR(…): search-engine operators, not English
    latin = len(_LATIN.findall(text))
    japanese = len(_JAPANESE.findall(text))
    words = re.findall(r"[A-Za-z]{2,}", text)
    if len(words) == 1 and words[0].lower() in ("when", "where", "who", "which", "what", "how"):
        return True  # a follow-up such as "When?"
    return latin >= 1.5 * max(japanese, 1) and (len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 5))


@dataclass
class English:
    """An English question read as Japanese. japanese: the text handed to the parser; read: [(English words,
    the Japanese they were read as)]; left_out: English words nothing was read from; names_only: every Latin
    word is a partner's name in romaji (kanazawa) — Japanese typed in romaji rather than English."""

    japanese: str
    read: list[tuple[str, str]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    names_only: bool = True


def to_japanese(text: str, lexicon: Lexicon) -> English:
    """Read an English question as the Japanese one it asks (see the module docstring). Total: never raises."""
    from store.query.stages.places import romaji_forms, romaji_key

    out = English("")
    pieces: list[tuple[int, str]] = []  # (position, Japanese)
    rest = re.sub(r"[’`]", "'", text)
    for pattern, japanese in _COMPILED:
        for m in list(pattern.finditer(rest)):
            value = _fill(japanese, m)
            if not value:
                continue
            pieces.append((m.start(), value))
            out.read.append((m.group(0).strip(), value))
            out.names_only = False
            rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
    meanings = lexicon.meanings
    for pattern, words in _reviewed():  # what the glosses get wrong (data/english.tsv)
        for m in list(pattern.finditer(rest)):
            held = [w for w in words if meanings.holds(w)]
            if not held:
                continue
            pieces.append((m.start(), _negated(rest, m.start(), "や".join(held))))
            out.read.append((m.group(0), "・".join(held)))
            out.names_only = False
            rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
    for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)*", rest):
        segment_start = m.start()
        plain: list[tuple[int, str]] = []
        for w in re.finditer(r"[A-Za-z][A-Za-z'\-]*", m.group(0)):
            key = romaji_key(w.group(0))  # partners in romaji (Kanazawa, Kumamoto-ken) stay for the place reader
            if key and any(lexicon.romaji.get(fold(c)) for c in romaji_forms(key)):
                pieces.append((segment_start + w.start(), _negated(rest, segment_start + w.start(), w.group(0))))
            else:
                plain.append((segment_start + w.start(), w.group(0)))
                out.names_only = False
        if not plain:
            continue
        for group in _runs(plain):
            negate = group[0][1].lower() in NEGATING
            if negate:
                group = group[1:]
            if not group:
                continue
            start = group[0][0]
            negate = negate or bool(NEGATION.search(rest[:start].rstrip()))
            phrase = " ".join(w for _, w in group)
            for english, meant in _with_names(meanings.english_words(phrase), meanings):
                if not meant:
                    if english and english not in out.left_out:
                        out.left_out.append(english)
                    continue
                value = "や".join(meant) + ("以外" if negate else "")
                pieces.append((start, value))
                out.read.append((english, "・".join(meant)))
                start += 1
    for m in JAPANESE_RUN.finditer(rest):  # a mixed question (金沢 school lunch, 物産展 in Kanazawa): its Japanese as written
        pieces.append((m.start(), m.group(0) + ("以外" if NEGATION.search(rest[: m.start()].rstrip()) else "")))
    if out.left_out and all(v in _QUESTION_WORDS or v.endswith(("月", "日", "年", "年度")) for _, v in pieces):
        # nothing else to search by (When was the sumo event?): the words themselves, so that none is the answer
        pieces += [(len(text), w) for w in out.left_out]
    pieces.sort(key=lambda p: p[0])
    questions = [v for _, v in pieces if v in _QUESTION_WORDS]
    content = [v for _, v in pieces if v not in _QUESTION_WORDS]
    out.japanese = " ".join(content + questions)
    return out


_QUESTION_WORDS = {"いつ", "どこ", "何件", "どの課"}


@functools.lru_cache(maxsize=1)
def _reviewed() -> list[tuple[re.Pattern[str], list[str]]]:
    """data/english.tsv: [(whole-word pattern, Japanese words)], the longest English first."""
    rows = data_lines("english.tsv")
    rows.sort(key=lambda r: -len(r[0]))
    return [(re.compile(rf"\b{re.escape(r[0])}\b", re.I), r[1].split("・")) for r in rows]


def _fill(japanese: str, m: re.Match) -> str:
    if "{month}" in japanese:
        groups = [g for g in m.groups() if g]
        month = next((MONTHS[g.lower()] for g in groups if g.lower() in MONTHS), None)
        day = next((g for g in groups if g.isdigit() and len(g) <= 2), None)
        year = next((g for g in groups if g.isdigit() and len(g) == 4), None)
        if month is None:
            return ""
        return japanese.format(month=month, day=day or "", year=year or "")
    return m.expand(japanese) if "\\" in japanese else japanese


def _negated(text: str, at: int, value: str) -> str:
    """value + 以外 when the words just before `at` negate it (not Kanazawa, except school lunch)."""
    return value + "以外" if NEGATION.search(text[:at].rstrip()) else value


def _runs(words: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Words split where a negation starts (so that "not" binds to what follows it)."""
    runs: list[list[tuple[int, str]]] = [[]]
    for pos, w in words:
        if w.lower() in NEGATING and runs[-1]:
            runs.append([])
        runs[-1].append((pos, w))
    return [r for r in runs if english_tokens(" ".join(w for _, w in r))]


NEGATING = frozenset({"not", "except", "excluding", "besides", "without"})


def _with_names(read: list[tuple[str, tuple[str, ...]]], meanings) -> list[tuple[str, tuple[str, ...]]]:
    """Words no gloss means, read as romaji of what the records name (Natsume Soseki → 夏目漱石, Kumamon →
    くまモン, kagura → 神楽): the reading with long vowels added where romaji leaves them out (ogai → おうがい),
    its written forms from JMdict and JMnedict, kept only when a record holds one. Longest runs first."""
    out: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(read):
        if read[i][1]:
            out.append(read[i])
            i += 1
            continue
        j = i
        while j < len(read) and not read[j][1]:
            j += 1
        k = i
        while k < j:
            for end in range(j, k, -1):
                words = [w for w, _ in read[k:end]]
                found = _romaji_spellings("".join(words), meanings)
                if found:
                    out.append((" ".join(words), found))
                    k = end
                    break
            else:
                out.append(read[k])
                k += 1
        i = j
    return out


def _romaji_spellings(romaji: str, meanings) -> tuple[str, ...]:
    import jaconv

    from store.query.meanings import default_dictionary

    if not re.fullmatch(r"[a-z]{3,}", romaji):
        return ()
    kana = jaconv.alphabet2kana(romaji)
    if re.search(r"[a-z]", kana):
        return ()
    found: list[str] = []
    for reading in _long_vowels(kana):
        for word in [reading, jaconv.hira2kata(reading), *default_dictionary().spellings(reading)]:
            if len(word) >= 2 and word not in found and meanings.holds(word):
                found.append(word)
    return tuple(found[:4])


def _long_vowels(kana: str) -> list[str]:
    """くまもん → [くまもん, くまもうん, …]: romaji drops the う of long o and u (ogai for おうがい, kyushu)."""
    out = [""]
    for k, ch in enumerate(kana):
        out = [o + ch for o in out]
        nxt = kana[k + 1] if k + 1 < len(kana) else ""
        if ch in "おこそとのほもよろごぞどぼぽょ" and nxt not in ("う", "お") and len(out) < 16:
            out += [o + "う" for o in out]
        elif ch == "ゅ" and nxt != "う" and len(out) < 16:
            out += [o + "う" for o in out]
    return out
