"""Pure functions from results to Slack Block Kit and to plain text. No I/O, no Slack calls.

Block Kit limits honoured here (https://api.slack.com/reference/block-kit/blocks, checked 2026-11):
50 blocks per message, 3,000 characters per section text, 150 per header text, 10 fields per section,
75 per button label, 2,000 per button value, 10 elements per context block. Every message also carries a
plain `text` fallback (notifications, screen readers) that is never empty and is kept under the 4,000
characters Slack recommends for chat.postMessage `text`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from bot import messages as msg
from store.query import Intent, PlaceKind
from store.records import ENTRY_SOURCE, Record
from store.search import SearchResult
from store.titles import series_label

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 3900
PAGE_SIZE = 10

ACTION_PREV = "koryu_prev"
ACTION_NEXT = "koryu_next"
ACTION_CSV = "koryu_csv"
ACTION_SHARE = "koryu_share"
ACTION_ASK = "koryu_ask"  # run another question: the other reading (熊本県内), a "もしかして" name; koryu_ask_1, _2 …
# Block Kit: an action_id is unique within its block (Slack refuses the message otherwise, tests/blockkit.py)
ACTION_ASK_ANY = re.compile(rf"^{ACTION_ASK}(?:_\d+)?$")
# an untitled report's series chosen by an admin: koryu_series_replace_0, _1, … (one per stored series), koryu_series_add
ACTION_VOTE_UP = "koryu_vote_up"  # 👍 under an answer: the question log's id in the value
ACTION_VOTE_DOWN = "koryu_vote_down"  # 👎: stored, then a modal asks what the person was looking for
VIEW_FEEDBACK = "koryu_feedback"  # that modal's callback_id
ACTION_SERIES = re.compile(r"^koryu_series_(?:replace_\d+|add)$")
MAX_SERIES_BUTTONS = 24  # an actions block holds 25 elements: the stored series, then 別の報告書として追加


def escape(text: str) -> str:
    """Escape & < > for Slack mrkdwn/plain text so nothing echoed becomes a mention, channel ping or link."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Inbound Slack text → what the user typed: &lt; &gt; &amp; back to < > & (only these three)."""
    return str(text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut to at most `limit` characters, marking the cut. Never splits an &amp; entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ellipsis


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def _mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit) or " "}


def section(text: str) -> dict[str, Any]:
    """A section block of mrkdwn text (cut to the 3,000-character limit). The caller escapes the text."""
    return {"type": "section", "text": _mrkdwn(text)}


def context(texts: Iterable[str]) -> dict[str, Any]:
    """A context block of up to 10 mrkdwn elements. The caller escapes the texts."""
    return {"type": "context", "elements": [_mrkdwn(t, MAX_SECTION_TEXT) for t in list(texts)[:MAX_CONTEXT_ELEMENTS]]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    b: dict[str, Any] = {
        "type": "button",
        "text": _plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": truncate(value, MAX_BUTTON_VALUE, ""),
    }
    if style:
        b["style"] = style
    return b


# ------------------------------------------------------------------------------------------- records
def when(record: Record) -> str:
    """The record's dates as a person reads them (2024年7月5日(金)～10月6日(日))."""
    return msg.format_intervals(record.intervals, record.approximate)


def group_key(result: SearchResult) -> str:
    """ "month" when the question named exactly one municipality and nothing else, else "municipality"."""
    q = result.answered or result.query
    one = len(q.places) == 1 and q.places[0].kind in (PlaceKind.MUNICIPALITY, PlaceKind.FORMER, PlaceKind.PREFECTURE)
    if one and not q.terms and not q.departments:
        return "month"
    return "municipality"


def groups(result: SearchResult) -> OrderedDict[str, list[Record]]:
    """The page's records grouped (by municipality, or by month of start for a one-municipality question)."""
    out: OrderedDict[str, list[Record]] = OrderedDict()
    by = group_key(result)
    for r in result.records:
        if by == "month":
            key = f"{r.start[:4]}年{int(r.start[5:7])}月" if r.start else "日付不明"
        else:
            key = r.municipality
        out.setdefault(key, []).append(r)
    return out


def record_text(r: Record, *, mrkdwn: bool, with_municipality: bool = False, name_series: bool = False) -> str:
    """One record: dates, the period as printed, description, department and source — the source names the
    record's series with `name_series` (when the store holds several: 出典: 2024年度 交流実績一覧（…以外） p.3),
    else 報告書."""
    entered = r.source.get("file") == ENTRY_SOURCE  # recorded with koryu add: its draft report, no page
    report = (r.series if name_series or entered else "") or msg.RECORD_REPORT
    row = r.source.get("row")
    if entered:
        where = ""
    else:
        where = msg.RECORD_ROW.format(row=row) if row else msg.RECORD_PAGE.format(page=r.source.get("page") or "?")
    meta = msg.RECORD_META.format(department=r.department or "—", fiscal_year=r.fiscal_year, report=report, where=where).rstrip()
    if r.problems:
        meta += "\n" + msg.RECORD_PROBLEMS.format(problems="、".join(r.problems))
    who = f"{r.municipality} " if with_municipality else ""
    if mrkdwn:
        head = f"*{escape(when(r))}*　`{escape(r.period_text.replace(chr(10), ' / '))}`"
        body = escape(who + r.description)
        tail = "\n".join(f"_{escape(line)}_" for line in meta.split("\n"))
        return truncate(f"{head}\n{body}", MAX_SECTION_TEXT - len(tail) - 2) + "\n" + tail
    meta = meta.replace("\n", "\n    ")
    return f"{when(r)}［{r.period_text.replace(chr(10), ' / ')}］\n    {who}{r.description}\n    {meta}"


def local_name(municipality: str) -> str:
    """石川県金沢市 → 金沢市 for lists where the prefecture is noise; a prefecture stays whole (熊本県)."""
    from store.gazetteer import prefecture_names

    for p in prefecture_names():
        if municipality.startswith(p) and len(municipality) > len(p):
            return municipality[len(p) :]
    return municipality


def _names(parts: list[tuple[str, int]], limit: int = 8, places: bool = False) -> str:
    """金沢市 5件、津和野町 6件、… ほか3件 (the first `limit`); of municipalities, ほか2自治体 3件. One more
    than `limit` is shown whole (a ほか that stands for one name says less than the name)."""
    if len(parts) == limit + 1:
        limit += 1
    shown = "、".join(msg.ANSWER_PART.format(name=name, n=n) for name, n in parts[:limit])
    rest = sum(n for _, n in parts[limit:])
    if not rest:
        return shown
    more = msg.ANSWER_MORE_PLACES.format(count=len(parts) - limit, n=rest) if places else msg.ANSWER_MORE.format(n=rest)
    return shown + "、" + more


def _month(ym: str, year: str | None) -> str:
    return (f"{ym[:4]}年" if ym[:4] != year else "") + f"{int(ym[5:7])}月"


def _iso_label(iso: str | None) -> str:
    if not iso:
        return "日付不明"
    return f"{int(iso[:4])}年{int(iso[5:7])}月{int(iso[8:10])}日"


def answer_line(result: SearchResult) -> str:
    """The one-line direct answer shown above the records (plain text; Slack callers escape it).

    いつ → the dates; どこ → the municipalities with counts; 何件 → the count (by municipality or month);
    どの課 → the departments; 何を → the descriptions; otherwise "label: N件". With no records, why none.
    """
    q = result.answered or result.query
    label = q.label(variants=False)  # the header shows the spellings searched
    if q.is_empty and q.intent in (Intent.WHERE, Intent.COUNT):  # 交流先はどこ？ → 交流先は 14自治体: …
        partners = q.intent == Intent.WHERE or q.count_of == "municipalities"
        label = msg.EVERY_PARTNER if partners else msg.EVERY_RECORD
    s = result.summary
    total = result.total
    if total == 0:
        return zero_answer(result)
    intent = q.intent
    if q.language == "en":
        return english_line(result)
    if intent == Intent.RANK and result.ranking:
        return rank_line(result)
    if intent == Intent.WHEN:
        if s.periods == 1 and result.records:
            template = msg.ANSWER_WHEN_ONE if total == 1 else msg.ANSWER_WHEN_SAME
            return template.format(label=label, when=when(result.records[0]), total=total)
        months, year = [], None
        for ym, n in s.months:
            months.append((_month(ym, year), n))
            year = ym[:4]
        last = _iso_label(s.last) if s.last and not s.open_ended else "継続中"
        return msg.ANSWER_WHEN.format(label=label, first=_iso_label(s.first), last=last, total=total, months=_names(months, 24))
    if intent == Intent.WHERE:
        names = [(local_name(name), n) for name, _, n in s.municipalities]
        if len(names) == 1:
            return msg.ANSWER_WHERE_ONE.format(label=label, name=names[0][0], total=total)
        return msg.ANSWER_WHERE.format(label=label, count=len(names), names=_names(names, places=True))
    if intent == Intent.COUNT:
        places = [(local_name(name), n) for name, _, n in s.municipalities]
        if q.count_of == "municipalities":
            return msg.ANSWER_COUNT_PLACES.format(
                label=label, count=len(places), total=total, parts=_names(places, 10, places=True)
            )
        if q.count_by == "month" and s.months:
            parts, year = [], None
            for ym, n in s.months:
                parts.append((_month(ym, year), n))
                year = ym[:4]
            return msg.ANSWER_COUNT_BY.format(label=label, total=total, parts=_names(parts, 24))
        if q.count_by == "department" and s.departments:
            return msg.ANSWER_COUNT_BY.format(
                label=label, total=total, parts=_names([(d or "—", n) for d, n in s.departments], 24)
            )
        if len(places) <= 1:
            return msg.ANSWER_COUNT.format(label=label, total=total)
        breakdown = msg.ANSWER_PLACES.format(count=len(places), parts=_names(places, 10, places=True))
        return msg.ANSWER_COUNT_BY.format(label=label, total=total, parts=breakdown)
    if intent == Intent.DEPARTMENT:
        if len(s.departments) == 1:
            return msg.ANSWER_DEPARTMENT_ONE.format(label=label, name=s.departments[0][0] or "—", total=total)
        return msg.ANSWER_DEPARTMENT.format(label=label, names=_names([(d or "—", n) for d, n in s.departments]))
    if intent == Intent.WHAT and s.descriptions:
        shown = [f"「{truncate(d, 40)}」" + (f"×{n}" if n > 1 else "") for d, n in s.descriptions[:3]]
        rest = total - sum(n for _, n in s.descriptions[:3])
        text = "、".join(shown) + ("、" + msg.ANSWER_MORE.format(n=rest) if rest > 0 else "")
        return msg.ANSWER_WHAT.format(label=label, total=total, descriptions=text)
    return msg.ANSWER_LIST.format(label=q.label(), total=total)


def english_name(name: str, code: str | None) -> str:
    """A municipality's name in English for an English answer: Kanazawa, Kumamoto Prefecture (the
    gazetteer's Hepburn reading); the Japanese name when the code is unknown."""
    from store import gazetteer

    m = gazetteer.by_code(code) if code else None
    if m is None or not m.romaji:
        return name
    return m.romaji.title() + (" Prefecture" if m.is_prefecture else "")


def english_line(result: SearchResult) -> str:
    """The one-line answer to a question asked in English (the records and the understood Japanese follow)."""
    q = result.answered or result.query
    label = q.label(variants=False)
    total = result.total
    records = msg.EN_RECORDS.format(n=total, s="" if total == 1 else "s")
    if total == 0:
        return msg.EN_NONE.format(label=label)
    s = result.summary
    by_code = {name: code for name, code, _ in s.municipalities}
    if q.intent == Intent.RANK and result.ranking:
        ranking = q.ranking
        named = [
            (english_name(name, by_code.get(name)) if result.ranked_by in ("municipality", "place") else name, n)
            for name, n in result.ranking
        ]
        parts = ", ".join(f"{name} {n}" for name, n in named[: (ranking.top if ranking and ranking.top else 10)])
        if result.ranked_by in ("place", "date", "department_named", "term"):
            if len({n for _, n in named}) == 1:
                return msg.EN_SAME.format(parts=parts)
            fewer = bool(ranking and ranking.fewer)
            pick = named[-1] if fewer else named[0]
            return msg.EN_COMPARE.format(parts=parts, name=pick[0], more=msg.EN_FEWER if fewer else msg.EN_MORE)
        order = {"most": msg.EN_MOST, "least": msg.EN_FEWEST}.get(ranking.order if ranking else "", msg.EN_RANKING)
        return msg.EN_RANK.format(order=order, names=parts)
    if q.intent == Intent.WHEN and s.first:
        last = s.last if s.last and not s.open_ended else "ongoing"
        return msg.EN_WHEN.format(label=label, records=records, first=s.first, last=last)
    if q.intent == Intent.WHERE and s.municipalities:
        names = ", ".join(f"{english_name(name, code)} {n}" for name, code, n in s.municipalities[:10])
        count = len(s.municipalities)
        return msg.EN_WHERE.format(label=label, count=count, ies="y" if count == 1 else "ies", names=names)
    if q.intent == Intent.DEPARTMENT and s.departments:
        return msg.EN_DEPARTMENT.format(label=label, names=", ".join(f"{d or '—'} {n}" for d, n in s.departments[:10]))
    if q.intent == Intent.COUNT:
        return msg.EN_COUNT.format(label=label, records=records)
    return msg.EN_LIST.format(label=label, records=records)


def rank_line(result: SearchResult) -> str:
    """The answer of a comparison or ranking (result.ranking, store.query.ranking): 一番多い自治体は 津和野町
    （21件）です。続いて …; 金沢市 20件、熊本県 11件で、金沢市の方が多いです。; 課別の件数: 1位 … ."""
    q = result.answered or result.query
    ranking = q.ranking
    assert ranking is not None
    by = result.ranked_by
    named = [(local_name(name) if by in ("municipality", "place") else name, n) for name, n in result.ranking]
    if by in ("place", "date", "department_named", "term"):
        parts = "、".join(msg.ANSWER_PART.format(name=name, n=n) for name, n in named)
        if len({n for _, n in named}) == 1:
            return msg.ANSWER_COMPARE_SAME.format(parts=parts)
        pick = named[-1] if ranking.fewer else named[0]
        return msg.ANSWER_COMPARE.format(parts=parts, name=pick[0], more=msg.RANK_FEWER if ranking.fewer else msg.RANK_MORE)
    scope = "" if q.is_empty else msg.RANK_SCOPE.format(label=q.label(variants=False))
    noun = msg.RANK_NOUNS.get(by, "")
    if ranking.order in ("most", "least"):
        best = named[0][1]
        tied = [name for name, n in named if n == best]
        order = msg.RANK_LEAST if ranking.order == "least" else msg.RANK_MOST
        line = msg.ANSWER_RANK_TOP.format(
            scope=scope, order=order, noun=noun, names="・".join(tied), each=msg.RANK_EACH if len(tied) > 1 else "", n=best
        )
        following = named[len(tied) : len(tied) + 3]
        return line + (msg.ANSWER_RANK_NEXT.format(parts=_names(following, 3)) if following else "")
    shown, place, previous = [], 0, None
    for k, (name, n) in enumerate(named[: ranking.top or 10]):
        place = place if n == previous else k + 1
        previous = n
        shown.append(msg.ANSWER_RANK_PLACE.format(rank=place, name=name, n=n))
    more, rest = len(named) - len(shown), sum(n for _, n in named[len(shown) :])
    if by == "municipality":
        tail = "、" + msg.ANSWER_MORE_PLACES.format(count=more, n=rest) if more else ""
    else:
        tail = "、" + msg.ANSWER_MORE.format(n=rest) if more else ""
    bound = msg.RANK_AT_LEAST.format(n=ranking.at_least) if ranking.at_least else ""
    if ranking.at_most:
        bound += msg.RANK_AT_MOST.format(n=ranking.at_most) if ranking.at_most > 0 else msg.RANK_NONE_WITHIN
    noun = noun or msg.RANK_NOUNS["municipality"]
    return msg.ANSWER_RANK_ALL.format(scope=scope, noun=noun, bound=bound, parts="、".join(shown) + tail)


def zero_answer(result: SearchResult) -> str:
    """Why nothing was found, in one line: dates outside the stored years, a real place with no records,
    a place-like word that names nothing, parts that find records only apart — or just 該当なし."""
    q = result.query
    if q.is_empty and not q.everything:
        return msg.NOTHING_READ
    if q.lacking_terms:
        return msg.NONE_LACKING.format(words="」「".join(t.text for t in q.lacking_terms), label=q.label(variants=False))
    if result.outside_data:
        years = "、".join(msg.FISCAL_YEAR.format(year=y) for y in result.fiscal_years) or msg.NO_FISCAL_YEARS
        return msg.OUTSIDE_DATA.format(label=q.label(), years=years)
    absent = [p for p in q.places if p.kind == PlaceKind.ABSENT]
    if absent and len(absent) == len(q.places):
        mentioned = {a.ask.strip("「」"): a.total for a in result.alternatives if a.ask.startswith("「")}
        return "".join(
            msg.UNKNOWN_NAME.format(name=p.label)
            + (
                msg.NAMED_IN_RECORDS.format(name=name, total=mentioned[name])
                if (name := p.label.split("（")[0]) in mentioned
                else ""
            )
            for p in absent
        )
    unknown = [t.text for t in q.terms if t.place_like]
    if unknown and not result.alternatives:
        return "".join(msg.NOT_FOUND_PLACE.format(name=n) for n in unknown)
    if result.alternatives and not any(n.kind == "other_reading" for n in q.notes):
        parts = "、".join(msg.POINTER.format(label=a.label, total=a.total) for a in result.alternatives)
        return msg.POINTERS.format(label=q.label(), parts=parts)
    if q.terms and not q.has_filters:  # 🍙 おにぎり: the word read, and what to try instead of a bare 0件
        return msg.NO_RECORD_HOLDS.format(words="」「".join(t.label for t in q.terms))
    return msg.NO_RESULTS


def notes(result: SearchResult) -> list[str]:
    """Lines shown under the answer: the sample notice, how the question was read (corrections, former
    names, which reading of a prefecture, spelling variants used), why the answer is looser, suggestions."""
    out = []
    if result.sample:
        out.append(msg.SAMPLE_NOTICE.format(title="令和6年度 交流実績一覧"))
    relaxed = result.relaxed
    if relaxed is not None:
        if relaxed.suggestion:
            unknown = [t.text for t in result.query.terms if t.place_like and t not in (result.answered or result.query).terms]
            out.append(msg.RELAXED_MAYBE.format(name="・".join(unknown) or "?", suggestion=relaxed.suggestion))
        for asked, read in relaxed.near:
            out.append(msg.RELAXED_NEAR.format(name=asked.text, suggestion=read.text))
        for t in relaxed.split:
            parts = [p.text for p in (result.answered or result.query).terms if p not in result.query.terms]
            out.append(msg.RELAXED_SPLIT.format(word=t.text, parts="・".join(parts) or t.text))
        if relaxed.dropped:
            out.append(msg.RELAXED_DROPPED.format(words="」「".join(t.text for t in relaxed.dropped)))
        for asked, read in relaxed.meant:
            out.append(
                msg.RELAXED_MEANT.format(word=asked.text, words="」「".join(read.text.split(" → ")[1].split("（")[0].split("・")))
            )
        if relaxed.any_of:
            out.append(msg.RELAXED_ANY.format(words="」「".join(t.text for t in relaxed.any_of)))
        if relaxed.apart:
            together = [t.text for t in result.query.terms if t not in relaxed.dropped]
            out.append(msg.RELAXED_EITHER.format(words="」「".join(together), dropped="」「".join(t.text for t in relaxed.apart)))
    for n in result.query.notes:
        other = next((a for a in result.alternatives if a.label == n.ask), None) if n.ask else None
        out.append(n.text + (msg.OTHER_READING.format(label=other.label, total=other.total) if other else ""))
    if result.total == 0 and result.suggestions:
        out.append(msg.MAYBE.format(names="、".join(result.suggestions)))
    return out


def header(result: SearchResult) -> str:
    return msg.RESULT_HEADER.format(label=(result.answered or result.query).label(), total=result.total)


def result_text(result: SearchResult) -> str:
    """The whole answer as plain text (the CLI's `koryu ask`, and the Slack fallback before truncation):
    the one-line answer first, then the header, notes, counts and records."""
    answer = answer_line(result)
    lines = [answer]
    if result.total and answer != header(result):
        lines.append(header(result))
    lines += [f"※ {n}" for n in notes(result)]
    if result.counts:
        lines += [f"  {label}: {n}件" for label, n in result.counts]
    partial = len(result.records) < result.total  # a page: per-group numbers would be the page's, not the total
    for key, records in groups(result).items():
        lines.append(f"■ {key}" + ("" if partial else f"（{len(records)}件）"))
        for r in records:
            lines.append("  • " + record_text(r, mrkdwn=False, name_series=len(result.stored_series) > 1))
    shown = len(result.records)
    if shown and shown < result.total:
        lines.append(msg.PAGE_INFO.format(first=result.offset + 1, last=result.offset + shown, total=result.total))
    return "\n".join(lines)


def fallback_text(result: SearchResult) -> str:
    """Notification text for Slack: header, notes and the first records, under 4,000 characters."""
    return truncate(escape(result_text(result)), MAX_FALLBACK_TEXT)


_INERT = str.maketrans({"<": "＜", ">": "＞", "&": "＆"})  # NFKC maps them back when the question is read again


MAX_CONTEXT, MAX_CONTEXT_CHARS = 3, 300  # earlier questions a follow-up's buttons carry: 3 × 300 + 500 fits 2,000


def page_value(query: str, offset: int, **extra: Any) -> str:
    """Button payload: the query and the offset to show, as compact JSON (≤ 2,000 characters). < > & are
    stored as their full-width forms, so a payload never holds Slack markup (<!channel>) even unrendered."""
    if "a" in extra:  # the earlier questions of a follow-up, inert like the question
        extra["a"] = [str(earlier).translate(_INERT) for earlier in extra["a"]]
    value = json.dumps({"q": query[:500].translate(_INERT), "o": offset, **extra}, ensure_ascii=False, separators=(",", ":"))
    return value[:MAX_BUTTON_VALUE]


def feedback_block(question_id: str) -> dict[str, Any]:
    """The 👍 / 👎 buttons under an answer, for the logged question `question_id` (store.questions)."""
    value = json.dumps({"id": question_id}, separators=(",", ":"))
    return {
        "type": "actions",
        "block_id": "koryu_feedback",
        "elements": [button(msg.BUTTON_VOTE_UP, ACTION_VOTE_UP, value), button(msg.BUTTON_VOTE_DOWN, ACTION_VOTE_DOWN, value)],
    }


def feedback_modal(question_id: str, feedback_id: int, question: str, voter: str = "") -> dict[str, Any]:
    """The modal a 👎 opens: 何を探していましたか? (optional text, ≤ 500 characters). private_metadata carries
    the feedback row to complete (store.questions.QuestionLog.comment) and who voted, so only they complete it."""
    return {
        "type": "modal",
        "callback_id": VIEW_FEEDBACK,
        "private_metadata": json.dumps({"id": question_id, "f": feedback_id, "u": voter}, separators=(",", ":")),
        "title": _plain(msg.FEEDBACK_TITLE, 24),
        "submit": _plain(msg.FEEDBACK_SUBMIT, 24),
        "close": _plain(msg.FEEDBACK_CLOSE, 24),
        "blocks": [
            context([msg.FEEDBACK_QUESTION.format(question=escape(truncate(question, 200)))]),
            {
                "type": "input",
                "block_id": "koryu_feedback_text",
                "optional": True,
                "label": _plain(msg.FEEDBACK_LABEL, 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": 500,
                    "placeholder": _plain(msg.FEEDBACK_PLACEHOLDER, 150),
                },
            },
        ],
    }


def result_blocks(
    result: SearchResult, *, shareable: bool = False, page_size: int = PAGE_SIZE, question_id: str | None = None
) -> list[dict[str, Any]]:
    """Block Kit for one page of a result: header, notes, grouped records, paging and CSV/share buttons, and
    the 👍 / 👎 buttons when the question was logged (`question_id`).

    At most `page_size` records (the caller asks the store for one page); never more than 50 blocks.
    """
    blocks: list[dict[str, Any]] = [{"type": "header", "text": _plain(escape(header(result)), MAX_HEADER_TEXT)}]
    answer = answer_line(result)
    if answer != header(result):
        blocks.append(section(f"*{escape(answer)}*"))
    info = [escape(n) for n in notes(result)]
    if result.records and len(result.records) < result.total:
        info.append(msg.PAGE_INFO.format(first=result.offset + 1, last=result.offset + len(result.records), total=result.total))
    if info:
        blocks.append(context(info))
    if result.counts:
        lines = [f"• {escape(label)} … *{n}件*" for label, n in result.counts]
        chunk: list[str] = []
        for line in lines:
            if sum(len(x) + 1 for x in chunk) + len(line) > MAX_SECTION_TEXT - 10 or len(chunk) >= 60:
                blocks.append(section("\n".join(chunk)))
                chunk = []
            chunk.append(line)
        if chunk:
            blocks.append(section("\n".join(chunk)))
        blocks = blocks[:20]
    budget = MAX_BLOCKS - 3  # room for the divider, the buttons and the feedback
    for key, records in groups(result).items():
        if len(blocks) + 2 > budget:
            break
        if len(result.records) < result.total:
            blocks.append(section(f"*{escape(key)}*"))
        else:
            blocks.append(section(msg.GROUP_HEADER.format(name=escape(key), count=len(records))))
        for r in records:
            if len(blocks) + 1 > budget:
                break
            blocks.append(section(record_text(r, mrkdwn=True, name_series=len(result.stored_series) > 1)))
    buttons = []
    for k, alt in enumerate((result.alternatives + [_suggested(name) for name in result.suggestions])[:3]):
        action_id = ACTION_ASK if k == 0 else f"{ACTION_ASK}_{k}"
        buttons.append(button(msg.BUTTON_ASK.format(label=alt.label), action_id, page_value(alt.ask, 0)))
    q = result.query.text
    same: dict[str, Any] = {"id": question_id} if question_id else {}  # a page of the same answer keeps its feedback buttons
    if result.query.context:  # a follow-up: its page is read with the questions it follows, as asked
        same["a"] = [earlier[:MAX_CONTEXT_CHARS] for earlier in result.query.context[-MAX_CONTEXT:]]
    if result.offset > 0:
        buttons.append(button(msg.BUTTON_PREV, ACTION_PREV, page_value(q, max(0, result.offset - page_size), **same)))
    if result.offset + len(result.records) < result.total:
        buttons.append(button(msg.BUTTON_NEXT, ACTION_NEXT, page_value(q, result.offset + page_size, **same)))
    earlier = {"a": same["a"]} if "a" in same else {}
    if result.total:
        buttons.append(button(msg.BUTTON_CSV, ACTION_CSV, page_value(q, 0, **earlier)))
    if shareable and result.total:
        buttons.append(button(msg.BUTTON_SHARE, ACTION_SHARE, page_value(q, result.offset, **earlier), style="primary"))
    if buttons:
        blocks.append({"type": "divider"})
        blocks.append({"type": "actions", "block_id": "koryu_paging", "elements": buttons})
    if question_id:
        blocks.append(feedback_block(question_id))
    return blocks[:MAX_BLOCKS]


def _suggested(name: str) -> Any:
    from store.search import Alternative

    return Alternative(name, name, 0)


def result_json(result: SearchResult) -> dict[str, Any]:
    """`koryu ask --json`: {"query", "interpretation", "total", "records", "intent", "answer"} and, when they
    apply, "notes", "counts", "relaxed" {reason, dropped, split, suggestion, answered}, "alternatives",
    "suggestions", "outside_data" with "fiscal_years", "sample"."""
    answered = result.answered or result.query
    out: dict[str, Any] = {
        "query": result.query.text,
        "interpretation": result.query.interpretation(),
        "total": result.total,
        "records": [r.to_dict() for r in result.records],
        "intent": str(answered.intent),
        "answer": answer_line(result),
    }
    shown = notes(result)
    if shown:
        out["notes"] = shown
    if result.counts:
        out["counts"] = [{"label": k, "count": n} for k, n in result.counts]
    if result.relaxed is not None:
        r = result.relaxed
        out["relaxed"] = {
            "reason": r.reason,
            "dropped": [t.text for t in r.dropped],
            "split": [t.text for t in r.split],
            "suggestion": r.suggestion,
            "near": [[a.text, b.text] for a, b in r.near],
            "answered": answered.interpretation(),
        }
    if result.alternatives:
        out["alternatives"] = [{"label": a.label, "ask": a.ask, "total": a.total} for a in result.alternatives]
    if result.suggestions:
        out["suggestions"] = result.suggestions
    if result.outside_data:
        out["outside_data"] = True
        out["fiscal_years"] = result.fiscal_years
    if result.sample:
        out["sample"] = True
    return out


def text_blocks(title: str, body: str) -> list[dict[str, Any]]:
    """A header and body text split into sections under the section limit (help, lists, summaries).

    `body` is mrkdwn the caller has escaped; the title is escaped here."""
    blocks: list[dict[str, Any]] = [{"type": "header", "text": _plain(escape(title), MAX_HEADER_TEXT)}]
    chunk = ""
    for line in body.split("\n"):
        if len(chunk) + len(line) + 1 > MAX_SECTION_TEXT - 10:
            blocks.append(section(chunk))
            chunk = ""
        chunk += ("\n" if chunk else "") + line
    if chunk:
        blocks.append(section(chunk))
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [context(["…"])]
    return blocks


def cities_text(municipalities: list[dict[str, Any]]) -> tuple[str, str]:
    title = msg.CITIES_HEADER.format(count=len(municipalities))
    body = "\n".join(msg.CITY_LINE.format(name=escape(m["name"]), records=m["records"]) for m in municipalities)
    return title, body


def reports_text(reports: list[dict[str, Any]]) -> tuple[str, str]:
    if not reports:
        return msg.REPORTS_HEADER, msg.NO_REPORTS
    body = "\n".join(
        msg.REPORT_LINE.format(
            fiscal_year=r["fiscal_year"],
            series=escape(series_label(r.get("series") or "")),
            title=escape(r["title"] or "—"),
            records=r["record_count"],
            municipalities=r["municipalities"],
            source_file=escape(r["source_file"]),
            ingested_at=local_time(r["ingested_at"]),
        )
        for r in reports
    )
    return msg.REPORTS_HEADER, body


def local_time(iso: str) -> str:
    """A stored UTC timestamp ("2026-11-30T09:48:00+00:00") in this machine's time zone: 2026-11-30 18:48."""
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(iso or "")


MAX_DRAFT_LINES = 10  # records listed per side of a draft comparison; the rest counted


def draft_comparison_lines(compared: Any, *, slack: bool = True) -> list[str]:
    """Lines saying what a published report and the events recorded for its year (`ingest.entry.DraftComparison`)
    each lack: the counts, then up to MAX_DRAFT_LINES records per side (partner, period, description,
    department, and the draft record's id), then that the draft stays."""
    esc = escape if slack else (lambda s: s)
    lines = [
        msg.DRAFT_COMPARED.format(
            fiscal_year=compared.fiscal_year,
            matched=compared.matched,
            draft_only=len(compared.draft_only),
            report_only=len(compared.report_only),
        )
    ]
    for title, records, with_id in ((msg.DRAFT_ONLY, compared.draft_only, True), (msg.REPORT_ONLY, compared.report_only, False)):
        if not records:
            continue
        lines.append(title)
        for r in records[:MAX_DRAFT_LINES]:
            tail = f" [{r.id}]" if with_id else ""
            lines.append(f"• {esc(r.municipality)} {esc(r.period_text)} {esc(r.description)}（{esc(r.department)}）{tail}")
        if len(records) > MAX_DRAFT_LINES:
            lines.append(msg.DRAFT_MORE.format(count=len(records) - MAX_DRAFT_LINES))
    lines.append(msg.DRAFT_KEPT)
    return lines


def ingest_summary(outcomes: list[Any], *, slack: bool = True) -> str:
    """Per file: fiscal year, series, records, municipalities, added/removed/changed, then warnings (first
    10). A file refused because its series must be chosen is left out (it gets `series_choice_blocks`);
    "" when nothing else is left."""
    esc = escape if slack else (lambda s: s)
    lines = []
    warnings: list[str] = []
    for o in outcomes:
        if o.series_choice is not None:
            continue
        if not o.ok:
            lines.append(msg.INGEST_FILE_FAILED.format(error=esc(o.error)))
            continue
        for rep, diff in zip(o.reports, o.diffs):
            lines.append(
                msg.INGEST_FILE_OK.format(
                    file=esc(o.path.name),
                    fiscal_year=rep.fiscal_year,
                    series=esc(series_label(rep.series)),
                    records=len(rep.records),
                    municipalities=len(rep.per_municipality()),
                    added=len(diff.added),
                    removed=len(diff.removed),
                    changed=len(diff.changed),
                )
            )
            warnings += rep.warnings
        for compared in o.drafts:
            lines += draft_comparison_lines(compared, slack=slack)
    if warnings:
        shown = "\n".join(f"• {esc(w)}" for w in warnings[:10]) + ("\n…" if len(warnings) > 10 else "")
        lines.append(msg.INGEST_WARNINGS.format(count=len(warnings), lines=shown))
    return "\n".join(lines)


def series_choice_blocks(file: str, fiscal_year: int, stored: list[str], added_as: str, file_hash: str) -> tuple[list, str]:
    """(blocks, fallback text) asking an admin which report an untitled file is: one 「置き換える: <series>」
    button per stored series of its fiscal year (at most MAX_SERIES_BUTTONS), then 「別の報告書として追加」
    (stored as series `added_as`). Each button's value is {"f": file name in the reports folder, "h": the
    first 16 hex of its sha256, "s": the series to ingest it as}, re-checked when clicked."""
    names = "、".join(series_label(s) for s in stored)
    text = msg.SERIES_CHOICE.format(file=escape(file), fiscal_year=fiscal_year, stored=escape(names))
    buttons = [
        button(
            msg.BUTTON_SERIES_REPLACE.format(series=series_label(s)),
            f"koryu_series_replace_{i}",
            json.dumps({"f": file, "h": file_hash, "s": s}, ensure_ascii=False),
        )
        for i, s in enumerate(stored[:MAX_SERIES_BUTTONS])
    ]
    add = json.dumps({"f": file, "h": file_hash, "s": added_as}, ensure_ascii=False)
    buttons.append(button(msg.BUTTON_SERIES_ADD, "koryu_series_add", add, style="primary"))
    blocks = [section(text)]
    if added_as:
        blocks.append(context([escape(msg.SERIES_CHOICE_ADDED_AS.format(series=added_as))]))
    blocks.append({"type": "actions", "block_id": "koryu_series", "elements": buttons})
    return blocks, truncate(text.replace("*", ""), MAX_FALLBACK_TEXT)


# The CSV layout, for people in Excel first: the record's fields (store.records.FIELDS) with `source` spread
# over three columns and the id last. It is its own list on purpose; Record.from_dict reads it back.
CSV_COLUMNS = (
    "fiscal_year",
    "municipality",
    "municipality_code",
    "printed_name",
    "description",
    "department",
    "period_text",
    "start",
    "end",
    "approximate",
    "intervals",
    "source_file",
    "source_page",
    "source_row",
    "series",
    "problems",
    "id",
)


def csv_bytes(records: Iterable[Record]) -> bytes:
    """Records as CSV, UTF-8 with BOM so Excel opens it; intervals as JSON text. Round-trips via ingest."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in records:
        d = r.to_dict()
        w.writerow(
            [
                d["fiscal_year"],
                d["municipality"],
                d["municipality_code"] or "",
                d["printed_name"],
                d["description"],
                d["department"],
                d["period_text"],
                d["start"] or "",
                d["end"] or "",
                "true" if d["approximate"] else "false",
                json.dumps(d["intervals"]),
                d["source"].get("file", ""),
                d["source"].get("page") or "",
                d["source"].get("row") or "",
                d["series"],
                json.dumps(d["problems"], ensure_ascii=False) if d["problems"] else "",
                d["id"],
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
