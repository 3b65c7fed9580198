"""Comparisons and rankings: 一番多い自治体は？, 交流が一番少ない県, 課別ランキング, 何月が一番多い？,
金沢市と熊本県どっちが多い？, 7月と8月ではどちらが多い？

    read_ranking("熊本との交流で一番多い課は？") → ("熊本との交流では？", Ranking("most", "department"))

The ranking words and the noun they rank by are taken out of the text before it is read, so that 課, 月 or 県
単位 are not searched for. What is ranked is the records the rest of the question selects; `store.search`
groups them (by municipality, by prefecture — partners summed per 県 —, by department, by start month) or,
for a comparison, counts each place or date the question names, and orders the records by their group, the
larger first (the smaller first for 一番少ない).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranking:
    """order: most (一番多い) | least (一番少ない) | all (ランキング, 多い順) | compare (AとBどっちが多い);
    by: municipality | prefecture | department | month, or None when the question does not say (a
    comparison of the places or dates it names, or by municipality); top: how many to name (トップ3), or 0;
    fewer: a comparison that asks which is smaller (どっちが少ない); by_start: a record counts in the month it
    started (7月に始まった, 開始月で), not in every month it runs through; only: "市" | "町" | "村" when only
    such municipalities are ranked (熊本県内の市の中で); at_least / at_most: only groups with at least / at
    most this many records (5件以下の自治体, 10件以上の課), 0 when the question sets no bound."""

    order: str
    by: str | None = None
    top: int = 0
    fewer: bool = False
    by_start: bool = False
    only: str = ""
    at_least: int = 0
    at_most: int = 0


_HOW = r"(?:交流|件数|回数|実績|記録|事業|イベント|取り?組み?|数)?\s*(?:が|の|は)?\s*"
_MOST = (
    r"(?:一番|いちばん|最も|もっとも|特に|圧倒的に)\s*" + _HOW + r"(?:多|盛ん|活発|たくさん|沢山)(?:い|かった|く|な|だった)?"
    r"|(?:多|少な)い(?:の|方)は(?=\s*[？?]?\s*$)"  # 経済課と学務課、多いのは？ (the items compared are named)
)
_LEAST = r"(?:一番|いちばん|最も|もっとも)\s*" + _HOW + r"(?:少な)(?:い|かった|く)?"
_RANKED = r"(?:多い|少ない)順|ランキング|順位|上位|下位|トップ|ベスト|ワースト|最多|最少|ナンバーワン|(?<![A-Za-z])No\.\s*1(?!\d)|ナンバー1|一位|(?<!\d)1位"
_COMPARE = (
    r"(?:どっち|どちら|いずれ|どれ)(?:の方|のほう)?(?:が)\s*" + _HOW + r"(?:多|少|上)(?:い|かった)?(?:ですか|でしょうか|か)?"
    r"|(?:多|少な)(?:い|かった)(?:の|方|ほう)(?:は|が)?\s*(?:どっち|どちら)"
    r"|(?:を|の)?(?:件数)?(?:を)?比較|(?:を|で)?(?:比べ|くらべ)(?:て|ると|たら|る)?(?:と?どう[？?]?)?|\bvs\.?\b|対比"
)
RANK = re.compile(rf"(?P<most>{_MOST})|(?P<least>{_LEAST})|(?P<ranked>{_RANKED})|(?P<compare>{_COMPARE})", re.I)
# a bound on the groups' counts: 5件以下 / 10件以上 / 3件未満 / 5件を超える
BOUND = re.compile(
    r"(?P<n>[0-9０-９]{1,4})\s*件\s*(?P<op>以下|以上|未満|超え?|より多い|より少ない|を超える|を下回る|に満たない|まで)(?:の|で|が)?"
)
TOP = re.compile(r"(?:トップ|ベスト|上位|ワースト|下位)\s*([0-9０-９]{1,3}|[一二三四五六七八九十])(?:位|件|つ|個)?")
_KANJI_DIGITS = "一二三四五六七八九十"

# the noun ranked by, next to a ranking word or as 〜別 / 〜単位 / 〜ごと / どの〜 anywhere in the question
_NOUNS = {
    "prefecture": r"都道府県|県単位|県別|県ごと|県毎|県",
    "department": r"所管課|担当課|部署|部局|課|担当|所管",
    "month": r"何月|どの月|月別|月ごと|月|時期|季節",
    "municipality": r"自治体|交流先|相手先|相手|都市|まち|市町村|市区町村|市|町|パートナー",
}
NOUN = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _NOUNS.items()))
_PARTICLE = r"(?:で|では|でいうと|で見ると|として|の中で|のうち|ごとに|別に|は|が|の)?"
BY = re.compile(
    r"(?P<noun>都道府県|県|課|部署|年月|月|自治体|交流先|市町村)(?:別|単位|ごと|毎)"
    + _PARTICLE
    + r"|(?:どの|どこの|何の?|いずれの)(?P<which>都道府県|県|課|部署|月|自治体|交流先|相手|都市|市町村|まち)"
    + _PARTICLE
    + r"|(?P<when>何月|いつ)(?:が|に|は)"
    + r"|(?P<of>都道府県|県|課|部署|月|自治体|交流先)の(?=ランキング|順位|件数ランキング)"
)

BEFORE = re.compile(
    r"(?P<noun>都道府県|自治体|交流先|相手先|市町村|市区町村|部署|部局|時期|季節)(?:で|では|は|が|の中で|のうち)?\s*$"
    r"|の(?P<kind>市|町|村)(?:の中で|の中では|の中だと|のうち|では|だと|で)\s*(?:どこが|どれが)?\s*$"  # 熊本県内の市の中で: its cities, by municipality
)
# the noun asked about at the end when the ranking word came earlier: 一番多く交流を担当している課は？
LAST = re.compile(
    r"(?:の|な|た|る)(?P<noun>課|部署|自治体|都市|県|月)(?:は|って|が|を)?\s*(?:どこ|どれ|何|なに)?(?:ですか)?\s*[？?]?\s*$"
)
AFTER = re.compile(r"(?:のは|は|のが|が)?\s*(?P<noun>いつ|何月)")
START = re.compile(r"始ま|始め|開始|スタート")


def read_ranking(text: str) -> tuple[str, Ranking | None]:
    """The question with its ranking words taken out, and the Ranking it asks for — or (text, None) when it
    asks for none. Total: never raises."""
    found = list(RANK.finditer(text))
    bound = BOUND.search(text)
    if bound and not found and not NOUN.search(text, bound.end()):
        bound = None  # 5件以上 with nothing to group: no ranking
    if not found and not bound:
        return text, None
    kinds = {m.lastgroup for m in found}
    order = (
        "compare"
        if "compare" in kinds
        else "least"
        if "least" in kinds or re.search(r"少ない順|ワースト|下位|最少", text)
        else "most"
        if "most" in kinds or re.search(r"最多|一位|1位|ナンバー|No\.\s*1", text)
        else "all"
    )
    top = TOP.search(text)
    n = 0
    if top:
        digit = top.group(1)
        n = _KANJI_DIGITS.index(digit) + 1 if digit in _KANJI_DIGITS else int(digit.translate(_WIDE))
    spans = [m.span() for m in found]
    if top:
        spans.append(top.span())
    at_least = at_most = 0
    if bound:  # 5件以下の自治体: the groups within the bound, not words to search
        spans.append(bound.span())
        count, op = int(bound.group("n").translate(_WIDE)), bound.group("op")
        if op == "以上":
            at_least = count
        elif op in ("超", "超え", "より多い", "を超える"):
            at_least = count + 1
        elif op in ("以下", "まで"):
            at_most = count
        else:  # 未満, より少ない, を下回る, に満たない (1件未満: no group, -1)
            at_most = count - 1 or -1
    by = None
    only = ""
    for m in BY.finditer(text):
        noun = m.group("noun") or m.group("which") or m.group("when") or m.group("of")
        by = by or _group(noun)
        spans.append(m.span())
    for start, end in list(spans):  # the noun right after (一番多い課) or right before (課で一番多い)
        after = NOUN.match(text, end)
        if after and not by:
            by = after.lastgroup
            spans.append(after.span())
        before = BEFORE.search(text[:start])
        if before and not by:  # only nouns no place or department name ends with: 自治体で一番多い, not 熊本県
            by = _group(before.group("noun")) if before.group("noun") else "municipality"
            only = before.group("kind") or ""
            spans.append((before.start(), start))
        when = AFTER.match(text, end)
        if when and not by:  # 一番多いのはいつ？
            by = "month"
            spans.append(when.span())
    last = LAST.search(text)
    if last and not by:
        by = _group(last.group("noun"))
        spans.append((last.start("noun"), last.end()))
    starts = bool(START.search(text))
    if starts:  # 7月開始の, 始まった, （開始月で）: said by by_start, not words to search
        spans += [
            m.span() for m in re.finditer(r"(?:開始月|開始|スタート|始ま(?:った|る|り)|始め(?:た|る))(?:で|の|が|は)?", text)
        ]
    rest = text
    for start, end in sorted(_merged(spans), reverse=True):
        rest = rest[:start] + " " + rest[end:]
    fewer = order == "compare" and bool(re.search(r"少な|少ない", "".join(m.group(0) for m in found)))
    return rest, Ranking(order, by, n, fewer, starts, only, at_least, at_most)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined, so that cutting them out of the text cuts each character once."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")


def _group(noun: str) -> str:
    m = NOUN.fullmatch(noun) or NOUN.search(noun)
    return m.lastgroup if m and m.lastgroup else "municipality"
