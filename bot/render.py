"""Answers and reports as Slack Block Kit: the answer's blocks with its buttons (pages, CSV, share, the other
readings, 👍/👎), the feedback modal, a series choice, the ingest summary and the stored reports. Pure functions,
no I/O, no Slack calls. How an answer reads is `bot.wording`; Slack's text rules and Block Kit limits are
`bot.mrkdwn`. Every message also carries a plain `text` fallback that is never empty (`fallback_text`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from bot import messages as msg
from bot.mrkdwn import (
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_CONTEXT_ELEMENTS,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    escape,
    truncate,
)
from bot.wording import answer_line, groups, header, notes, record_text, result_text
from store.search import SearchResult
from store.titles import series_label

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
