"""How an answer reads, in Japanese (and in English for a question asked in English): the one-line answer
(`answer_line`: a count, where, when, who, a ranking or a comparison, what no record holds), the header of what
was understood, the notes, each record's text (`record_text`, its period by `when`), the records grouped by
municipality or month, the whole answer as plain text for the CLI (`result_text`) and as JSON (`result_json`).
No I/O; Block Kit is `bot.render`."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot import messages as msg
from bot.mrkdwn import (
    MAX_SECTION_TEXT,
    escape,
    truncate,
)
from store import era
from store.query import Intent, PlaceKind
from store.records import ENTRY_SOURCE, Record
from store.search import SearchResult


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
    total = result.total
    if total == 0:
        return zero_answer(result)
    intent = q.intent
    if q.language == "en":
        return english_line(result)
    if intent == Intent.RANK and result.ranking:
        return rank_line(result)
    by_intent = {
        Intent.WHEN: _when_line,
        Intent.WHERE: _where_line,
        Intent.COUNT: _count_line,
        Intent.DEPARTMENT: _department_line,
        Intent.WHAT: _what_line,
    }
    line = by_intent[intent](result, label) if intent in by_intent else None
    if line:
        return line
    return msg.ANSWER_LIST.format(label=q.label(), total=total)


def _months(months: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """[("2024-11", n), …] → [("2024年11月", n), ("12月", n), ("2025年1月", n)]: a year said when it changes."""
    out, year = [], None
    for ym, n in months:
        out.append((era.japanese_date(ym, omit_year=year), n))
        year = ym[:4]
    return out


def _when_line(result: SearchResult, label: str) -> str:
    """いつ: the one period, or the first and last day with the months in between."""
    s, total = result.summary, result.total
    if s.periods == 1 and result.records:
        template = msg.ANSWER_WHEN_ONE if total == 1 else msg.ANSWER_WHEN_SAME
        return template.format(label=label, when=when(result.records[0]), total=total)
    last = era.japanese_date(s.last) if s.last and not s.open_ended else msg.ONGOING
    months = _names(_months(s.months), 24)
    return msg.ANSWER_WHEN.format(label=label, first=era.japanese_date(s.first), last=last, total=total, months=months)


def _where_line(result: SearchResult, label: str) -> str:
    """どこ: the municipalities with their counts."""
    names = [(local_name(name), n) for name, _, n in result.summary.municipalities]
    if len(names) == 1:
        return msg.ANSWER_WHERE_ONE.format(label=label, name=names[0][0], total=result.total)
    return msg.ANSWER_WHERE.format(label=label, count=len(names), names=_names(names, places=True))


def _count_line(result: SearchResult, label: str) -> str:
    """何件: the count — of partners, by month, by department, or by municipality when there are several."""
    q, s, total = result.answered or result.query, result.summary, result.total
    places = [(local_name(name), n) for name, _, n in s.municipalities]
    if q.count_of == "municipalities":
        return msg.ANSWER_COUNT_PLACES.format(label=label, count=len(places), total=total, parts=_names(places, 10, places=True))
    if q.count_by == "month" and s.months:
        return msg.ANSWER_COUNT_BY.format(label=label, total=total, parts=_names(_months(s.months), 24))
    if q.count_by == "department" and s.departments:
        parts = _names([(d or "—", n) for d, n in s.departments], 24)
        return msg.ANSWER_COUNT_BY.format(label=label, total=total, parts=parts)
    if len(places) <= 1:
        return msg.ANSWER_COUNT.format(label=label, total=total)
    breakdown = msg.ANSWER_PLACES.format(count=len(places), parts=_names(places, 10, places=True))
    return msg.ANSWER_COUNT_BY.format(label=label, total=total, parts=breakdown)


def _department_line(result: SearchResult, label: str) -> str:
    """どの課: the departments with their counts."""
    departments = result.summary.departments
    if len(departments) == 1:
        return msg.ANSWER_DEPARTMENT_ONE.format(label=label, name=departments[0][0] or "—", total=result.total)
    return msg.ANSWER_DEPARTMENT.format(label=label, names=_names([(d or "—", n) for d, n in departments]))


def _what_line(result: SearchResult, label: str) -> str:
    """何を: the three descriptions most often held, and how many more ("" when the summary has none)."""
    s, total = result.summary, result.total
    if not s.descriptions:
        return ""
    shown = [f"「{truncate(d, 40)}」" + (f"×{n}" if n > 1 else "") for d, n in s.descriptions[:3]]
    rest = total - sum(n for _, n in s.descriptions[:3])
    text = "、".join(shown) + ("、" + msg.ANSWER_MORE.format(n=rest) if rest > 0 else "")
    return msg.ANSWER_WHAT.format(label=label, total=total, descriptions=text)


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
        out.append(msg.SAMPLE_NOTICE.format(title=result.sample))
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
