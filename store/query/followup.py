"""Questions that lean on each other: a follow-up in a thread (それはいつ？, その中で11月のものは？, 盛岡市は？) and
several questions in one message (金沢市との交流は何件？また担当課は？).

    split_questions("金沢市との交流は何件？また担当課は？") → ["金沢市との交流は何件？", "担当課は？"]
    follow_up(parse("担当課は？"), parse("金沢市との交流は何件？"))
        → 金沢市 × (every record), intent DEPARTMENT, with a note of what was carried over

A follow-up keeps what it does not replace. Its parts are the places (and the places left out), the words
searched (and those left out, and "without" words), the departments, the dates and the fiscal year, and the
kind of answer wanted. A question that names a place and a word of its own is a new question: nothing is
carried. One that names one kind of part (盛岡市は？, 11月は？, 給食は？) replaces that kind and keeps the rest;
one that names none (それはいつ？, 担当課は？) keeps every part and asks its own kind of answer. その中で / その
うち / そこから narrow: every part is kept and the new ones are added; so does one that only leaves something out
(物産展以外では何してた？). ほかの自治体は？ / 他には？ asks the same of the places not asked before.
"""

from __future__ import annotations

import re

from store.normalize import word_chars
from store.query.model import Intent, Note, Query

# where a second question starts in one message: after a question's end (？ or 。), a word that adds one
NEXT_QUESTION = re.compile(
    r"(?<=[？?。！!])\s*(?=(?:また|あと|それと|それから|加えて|さらに|ついでに|もう一つ|もうひとつ|それに|次に|ちなみに)[、,，\s]?)"
    r"|(?<=[？?])\s*(?=\S+[？?])"
)
NARROW = re.compile(r"その中で|そのうち|その内|そこから|さらに|このうち|この中で|うち")
_LEADING_ADDITION = re.compile(
    r"^\s*(?:また|あと|それと|それから|加えて|さらに|ついでに|もう一つ|もうひとつ|それに|次に|ちなみに)[、,，\s]*"
)


# 〜と、(あと|それと)〜 / 〜とあと〜: a second thing asked in the same sentence (not こと、 or あと、 "later")
NEXT_THING = re.compile(
    r"(?<![こあっ])と[、,，]\s*(?:あと|それと|それから|あとは)?[、,，]?\s*|(?<![こあっ])と(?:あと|それと|それから)[、,，]?\s*"
)
# AとB、それぞれ〜: the same question of each
EACH = re.compile(r"^(?P<a>.+?)と[、,，]?\s*(?P<b>.+?)[、,，]?\s*それぞれ(?:の|で|について)?[、,，]?\s*(?P<ask>.*)$")
# AのXとBのY〜, each side its own place (石岡市のバスツアーと魚沼市の移動教室について教えて): two questions
_PLACE_OF = r"[一-龥々ヶぁ-んァ-ヶー]{1,8}?(?:都|道|府|県|市|区|町|村)の[^、。？?！!\sとのをがに]{2,12}?"
PAIR = re.compile(
    rf"^(?P<a>{_PLACE_OF})と[、,，]?\s*(?P<b>{_PLACE_OF})(?P<ask>(?:(?:について|に関して|の件|は|って|を(?:教え|知り|見せ|出し|調べ|確認))\S*)?[？?]?)$"
)

# XのAとB(を|は)〜, A and B each a kind of answer (新宿区との交流内容と件数を教えて): one question per kind
_ASPECT = r"(?:内容|件数|日程|日付|日時|時期|実施期間|期間|担当課|所管課|担当部署|担当|概要)"
ASPECTS = re.compile(
    rf"^(?P<subject>.*\S)??(?P<a>{_ASPECT})と[、,，]?\s*(?P<b>{_ASPECT})(?P<ask>(?:[をはもがって、,，？?]|について|に関して)\S*|)$"
)


def split_questions(text: str) -> list[str]:
    """The questions one message asks, in order; a message of one question is itself. A sentence that asks
        again after a question's end starts another (…？また…は？, …？担当課は？); so does a second thing joined by
        と、 or とあと (盛岡市の物産展と、あと津和野町のイベントも教えて); AとB、それぞれ何件？ asks each; so does a place's thing
        and another place's (石岡市のバスツアーと魚沼市の移動教室について教えて); so do two kinds of answer asked of one
    subject (新宿区との交流内容と件数を → 内容, 件数). A question's own
        reasons and context stay with it (`store.query.message`). Words that only join (また, あと, それと) are dropped."""
    parts = [p.strip() for p in NEXT_QUESTION.split(text or "") if p and p.strip()]
    out: list[str] = []
    for k, part in enumerate(parts):
        part = _LEADING_ADDITION.sub("", part) or part if k else part
        each = EACH.match(part)
        if each and each.group("a").strip() and each.group("b").strip():
            ask = each.group("ask").strip()
            out += [f"{each.group('a').strip()} {ask}".strip(), f"{each.group('b').strip()} {ask}".strip()]
            continue
        aspects = ASPECTS.match(part)
        if aspects and aspects.group("subject"):
            subject, ask = aspects.group("subject"), aspects.group("ask")
            out += [subject + aspects.group("a") + ask, subject + aspects.group("b") + ask]
            continue
        pair = PAIR.match(part)
        if pair:
            out += [pair.group("a") + pair.group("ask"), pair.group("b") + pair.group("ask")]
            continue
        pieces = [p.strip() for p in NEXT_THING.split(part) if p and p.strip()]
        out += pieces if len(pieces) > 1 and all(len(p) >= 2 for p in pieces) else [part]
    out = _merged_bare([p for p in out if p.strip()])
    if len(out) > MAX_QUESTIONS:  # a message is not a batch job: the first ones, and the rest said (bot, CLI)
        out = out[:MAX_QUESTIONS]
    return out if len(out) > 1 else [text]


MAX_QUESTIONS = 10  # questions answered from one message


def _merged_bare(parts: list[str]) -> list[str]:
    """Pieces with fewer than two letters (？, え？, ね？) are not questions of their own: each joins the next
    piece (or, at the end, the one before)."""
    out: list[str] = []
    carry = ""
    for p in parts:
        if len(word_chars(p)) < 2:
            carry += p
            continue
        out.append(carry + p)
        carry = ""
    if carry and out:
        out[-1] += carry
    return out or ([carry] if carry else [])


OTHERS = re.compile(r"(?:ほか|他|別|それ以外)の(?:自治体|ところ|所|市|町|都市|相手|交流先|地域)")
# 他には？ / ほかは？ / それ以外は？ alone: the same question of the other places
OTHERS_ALONE = re.compile(r"^\s*(?:ほか|他|それ以外|その他)(?:に|で)?(?:は|も)?(?:ある|あります)?(?:か|の)?\s*[？?]?\s*$")


def _kinds(q: Query) -> set[str]:
    kinds = set()
    if q.places or q.excluded_places:
        kinds.add("places")
    if any(not t.verbal for t in q.terms) or q.excluded_terms or q.lacking_terms:  # いつ締結した？ keeps the words
        kinds.add("terms")
    if q.departments or q.excluded_departments:
        kinds.add("departments")
    if q.dates or q.excluded_dates or q.fiscal_year is not None:
        kinds.add("dates")
    return kinds


def follow_up(current: Query, previous: Query) -> Query:
    """`current` read as a follow-up of `previous` (see the module docstring). Returns current unchanged when
    it is a new question of its own (a place and a word of its own, and no narrowing word)."""
    own = _kinds(current)
    narrowing = bool(NARROW.search(current.text))
    if (current.excluded_terms or current.excluded_places or current.excluded_dates) and not (
        current.terms or current.places or current.dates or current.departments
    ):  # 物産展以外では？: what is left out narrows the question before, keeping the rest
        narrowing = True
    if {"places", "terms"} <= own and not narrowing:
        return current
    carried: dict = {}
    kept: list[str] = []
    others = OTHERS.search(current.text) or OTHERS_ALONE.match(current.text)
    if others and previous.places and not current.places:  # ほかの自治体でも給食は？ 他には？
        carried.update(excluded_places=tuple(dict.fromkeys(previous.places + current.excluded_places)))
        own.add("places")

    def both(name: str) -> tuple:  # the earlier question's parts of this kind, then the new one's
        return tuple(dict.fromkeys(getattr(previous, name) + getattr(current, name)))

    if "places" not in own or narrowing:
        carried.update(places=both("places"), excluded_places=both("excluded_places"))
        kept += [p.label for p in previous.places]
    if "terms" not in own or narrowing:
        carried.update(terms=both("terms"), excluded_terms=both("excluded_terms"), lacking_terms=both("lacking_terms"))
        kept += [t.text for t in previous.terms]
    if "departments" not in own or narrowing:
        carried.update(departments=both("departments"), excluded_departments=both("excluded_departments"))
        kept += list(previous.departments)
    if "dates" not in own or narrowing:
        carried.update(
            dates=both("dates") if narrowing else previous.dates or current.dates,
            excluded_dates=both("excluded_dates"),
            fiscal_year=current.fiscal_year if current.fiscal_year is not None else previous.fiscal_year,
        )
        kept += list(dict.fromkeys(d.label for d in previous.dates))
    if current.intent == Intent.LIST:  # 盛岡市は？ after 金沢市の物産展はいつ？ asks when, too
        carried.update(
            intent=previous.intent,
            count_by=current.count_by or previous.count_by,
            count_of=previous.count_of,
            ranking=previous.ranking,
        )
    carried["series"] = current.series if current.series is not None else previous.series
    kept = [k for k in dict.fromkeys(kept) if k]
    if not kept:
        return current.replace(**carried)
    note = Note("followup", f"前の質問から「{'・'.join(kept)}」を引き継ぎました")
    return current.replace(**carried, everything=current.everything or previous.everything, notes=current.notes + (note,))
