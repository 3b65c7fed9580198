"""Block Kit of recording an event in Slack: the 登録 modal (its fields, prefilled to edit or from a message),
the step that shows the days read from the period before saving, the options of its two external selects,
and the confirmation with 取り消す / 編集. Pure functions; the listeners are in bot/listeners/entries.py.

Limits kept (api.slack.com/reference/block-kit): a modal's title, submit and close ≤ 24 characters; an option's
text ≤ 75 and value ≤ 150; an external select returns ≤ 100 options; private_metadata ≤ 3000 characters."""

from __future__ import annotations

import json
from typing import Any

from bot import messages as msg
from bot.mrkdwn import escape, truncate
from bot.render import _plain, button, context
from bot.wording import record_text
from store.records import Record

VIEW_ENTRY = "koryu_entry"  # the modal's callback_id (the fields)
VIEW_ENTRY_CONFIRM = "koryu_entry_confirm"  # the step showing the days read, before saving
SHORTCUT_ENTRY = "koryu_entry_new"  # the global shortcut
SHORTCUT_FROM_MESSAGE = "koryu_entry_from_message"  # the message shortcut
OPTIONS_MUNICIPALITY = "koryu_entry_municipality"  # external select action ids (their options load by these)
OPTIONS_DEPARTMENT = "koryu_entry_department"
ACTION_UNDO = "koryu_entry_undo"
ACTION_EDIT = "koryu_entry_edit"
MAX_OPTIONS = 100  # an external select's options (Block Kit)
MAX_DESCRIPTION = 1000  # the description input's max_length
MAX_NOTE = 500  # the note input's max_length (store.entries.MAX_NOTE_CHARS)
MAX_METADATA = 3000


def option(text: str, value: str) -> dict[str, Any]:
    """One select option (text ≤ 75, value ≤ 150 characters)."""
    return {"text": _plain(text, 75), "value": value[:150]}


def entry_modal(
    *,
    record_id: str = "",
    municipality: tuple[str, str] | None = None,
    description: str = "",
    department: str = "",
    period: str = "",
    note: str = "",
    from_message: bool = False,
) -> dict[str, Any]:
    """The 登録 modal: municipality (external select; (code, label) to preselect), description, department
    (external select: the known ones, or the name typed), period (the report's notation or calendar dates), start
    and end date pickers, note. record_id: the recorded event being edited ("" adds one), carried in
    private_metadata with nothing else."""

    def text_input(block_id: str, label: str, value: str, *, multiline: bool, limit: int, optional: bool = False, hint=""):
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": multiline, "max_length": limit}
        if value:
            element["initial_value"] = value[:limit]
        block = {"type": "input", "block_id": block_id, "optional": optional, "label": _plain(label, 2000), "element": element}
        if hint:
            block["hint"] = _plain(hint, 2000)
        return block

    muni: dict[str, Any] = {"type": "external_select", "action_id": OPTIONS_MUNICIPALITY, "min_query_length": 1}
    if municipality:
        muni["initial_option"] = option(municipality[1], municipality[0])
    dept: dict[str, Any] = {"type": "external_select", "action_id": OPTIONS_DEPARTMENT, "min_query_length": 0}
    if department:
        dept["initial_option"] = option(department, department)
    blocks: list[dict[str, Any]] = []
    if from_message:
        blocks.append(context([msg.ENTRY_FROM_MESSAGE]))
    blocks += [
        {
            "type": "input",
            "block_id": "municipality",
            "label": _plain(msg.ENTRY_MUNICIPALITY, 2000),
            "hint": _plain(msg.ENTRY_MUNICIPALITY_HINT, 2000),
            "element": muni,
        },
        text_input("description", msg.ENTRY_DESCRIPTION, description, multiline=True, limit=MAX_DESCRIPTION),
        {
            "type": "input",
            "block_id": "department",
            "label": _plain(msg.ENTRY_DEPARTMENT, 2000),
            "hint": _plain(msg.ENTRY_DEPARTMENT_HINT, 2000),
            "element": dept,
        },
        text_input("period", msg.ENTRY_PERIOD, period, multiline=False, limit=200, optional=True, hint=msg.ENTRY_PERIOD_HINT),
        {
            "type": "input",
            "block_id": "start",
            "optional": True,
            "label": _plain(msg.ENTRY_START, 2000),
            "element": {"type": "datepicker", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "end",
            "optional": True,
            "label": _plain(msg.ENTRY_END, 2000),
            "element": {"type": "datepicker", "action_id": "value"},
        },
        text_input("note", msg.ENTRY_NOTE, note, multiline=True, limit=MAX_NOTE, optional=True),
    ]
    return {
        "type": "modal",
        "callback_id": VIEW_ENTRY,
        "private_metadata": json.dumps({"id": record_id}, separators=(",", ":")),
        "title": _plain(msg.ENTRY_EDIT_TITLE if record_id else msg.ENTRY_TITLE, 24),
        "submit": _plain(msg.ENTRY_CHECK, 24),
        "close": _plain(msg.ENTRY_CLOSE, 24),
        "blocks": blocks,
    }


def confirm_view(record: Record, title: str, fields: dict[str, str], note: str, editing: bool) -> dict[str, Any]:
    """The step before saving: the record as it will be stored (the days read from the period shown in full),
    its note, 登録する / 戻る. fields: what the submission held (municipality code, description, department,
    period in the report's notation, note, id of the event edited), carried in private_metadata for the save."""
    metadata = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    if len(metadata) > MAX_METADATA:  # the inputs' max_length keep it under; never send what Slack refuses
        raise ValueError("entry too long for private_metadata")
    lines = [record_text(record, mrkdwn=True, with_municipality=True)]
    if note:
        lines.append(msg.ENTRY_NOTE_LINE.format(note=escape(truncate(note, MAX_NOTE))))
    head = (msg.ENTRY_CONFIRM_EDIT if editing else msg.ENTRY_CONFIRM).format(title=escape(title))
    return {
        "type": "modal",
        "callback_id": VIEW_ENTRY_CONFIRM,
        "private_metadata": metadata,
        "title": _plain(msg.ENTRY_EDIT_TITLE if editing else msg.ENTRY_TITLE, 24),
        "submit": _plain(msg.ENTRY_SAVE, 24),
        "close": _plain(msg.ENTRY_BACK, 24),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": truncate(head, 3000)}},
            {"type": "section", "text": {"type": "mrkdwn", "text": truncate("\n".join(lines), 3000)}},
        ],
    }


def saved_blocks(record: Record, title: str, note: str, edited: bool) -> tuple[list[dict[str, Any]], str]:
    """(blocks, fallback) of the confirmation sent to the person who saved: what was stored, and 取り消す / 編集
    (their value: the record id)."""
    head = (msg.ENTRY_EDITED if edited else msg.ENTRY_SAVED).format(title=escape(title))
    body = record_text(record, mrkdwn=True, with_municipality=True)
    if note:
        body += "\n" + msg.ENTRY_NOTE_LINE.format(note=escape(truncate(note, MAX_NOTE)))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": truncate(head, 3000)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": truncate(body, 3000)}},
        {
            "type": "actions",
            "block_id": "koryu_entry_buttons",
            "elements": [
                button(msg.ENTRY_UNDO, ACTION_UNDO, record.id, style="danger"),
                button(msg.ENTRY_EDIT, ACTION_EDIT, record.id),
            ],
        },
    ]
    return blocks, head
