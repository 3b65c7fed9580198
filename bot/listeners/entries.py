"""Recording an event in Slack: `/koryu 登録`, the global shortcut 「交流を登録」 and the message shortcut
「交流として登録」 open the 登録 modal (bot/entry_views.py); its selects load their options here (partners first,
then the national list; the departments known, or the one typed); a submission is read as `koryu add` reads its
options (ingest.entry) — a field that cannot be stored is named next to it (response_action errors), a valid one
shows the days read before saving (response_action update) — and saving stores the event in its fiscal year's
draft report, searchable at once, then sends the person a confirmation with 取り消す / 編集. Anyone may add; the
person who added an event and the admins may edit or delete it.

Every handler acks within Slack's 3 seconds: a modal opens on bolt's listener thread (its trigger_id expires),
a submission is checked before its ack (the check is a parse and one read), the store is written in the ack of
the save (one small report's replace, ~50 ms), and the confirmation is posted on the answer threads."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

import store
from bot import entry_views as views
from bot import messages as msg
from bot.listeners import registry as listen
from bot.listeners.common import Services, error_reply
from store.gazetteer import all_municipalities, by_code
from store.normalize import fold


def register(app: App, koryu: Services) -> None:
    """The 登録 modal's shortcuts, options, submissions and the buttons under a recorded event, on `app`."""

    @listen.shortcut(app, views.SHORTCUT_ENTRY)
    def on_new_entry(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        new_entry(koryu, ack, body, client, logger)

    @listen.shortcut(app, views.SHORTCUT_FROM_MESSAGE)
    def on_from_message(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        from_message(koryu, ack, body, client, logger)

    @listen.options(app, views.OPTIONS_MUNICIPALITY)
    def on_municipality_options(ack: Ack, body: dict) -> None:
        municipality_options(koryu, ack, body)

    @listen.options(app, views.OPTIONS_DEPARTMENT)
    def on_department_options(ack: Ack, body: dict) -> None:
        department_options(koryu, ack, body)

    @listen.view(app, views.VIEW_ENTRY)
    def on_check(ack: Ack, body: dict, view: dict, logger: logging.Logger) -> None:
        check(koryu, ack, body, view, logger)

    @listen.view(app, views.VIEW_ENTRY_CONFIRM)
    def on_save(ack: Ack, body: dict, view: dict, client: WebClient, logger: logging.Logger) -> None:
        save(koryu, ack, body, view, client, logger)

    @listen.action(app, views.ACTION_UNDO)
    def on_undo(ack: Ack, body: dict, logger: logging.Logger) -> None:
        undo(koryu, ack, body, logger)

    @listen.action(app, views.ACTION_EDIT)
    def on_edit(ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
        edit(koryu, ack, body, client, logger)


def new_entry(koryu: Services, ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
    """The global shortcut 「交流を登録」: the empty 登録 modal."""
    ack()
    open_modal(client, body, views.entry_modal(), logger)


def from_message(koryu: Services, ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
    """The message shortcut 「交流として登録」: the modal filled from the message (municipality, dates, text)."""
    ack()
    text = str((body.get("message") or {}).get("text") or "")
    open_modal(client, body, prefilled(koryu, text), logger)


def municipality_options(koryu: Services, ack: Ack, body: dict) -> None:
    """The municipality select's options for what was typed: stored partners first, then the national list."""
    ack(options=_municipality_options(koryu, str(body.get("value") or "")))


def department_options(koryu: Services, ack: Ack, body: dict) -> None:
    """The department select's options: the known departments matching what was typed, or the typed name."""
    ack(options=_department_options(koryu, str(body.get("value") or "")))


def check(koryu: Services, ack: Ack, body: dict, view: dict, logger: logging.Logger) -> None:
    """The 登録 modal submitted: errors next to their fields, or the confirm step showing the days read."""
    try:
        errors, confirm = _check(koryu, view, _user(body))
    except Exception as e:  # never a spinning modal: the reason next to the first field
        errors, confirm = {"municipality": error_reply(logger, "entry check", e)[:150]}, None
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack(response_action="update", view=confirm)


def save(koryu: Services, ack: Ack, body: dict, view: dict, client: WebClient, logger: logging.Logger) -> None:
    """登録する: the event stored in its year's draft series; the confirmation (or the reason) by DM."""
    user = _user(body)
    try:
        fields = json.loads(view.get("private_metadata") or "{}")
        done = _save(koryu, fields if isinstance(fields, dict) else {}, user)
    except Exception as e:
        ack()
        reason = _said(e, logger, "entry save", user=user)
        koryu.later(lambda: _post(client, user, msg.ENTRY_FAILED.format(reason=reason), None), "entry failed", posted=True)
        return
    ack()
    blocks, fallback = done
    koryu.later(lambda: _post(client, user, fallback, blocks), "entry saved", posted=True)


def undo(koryu: Services, ack: Ack, body: dict, logger: logging.Logger) -> None:
    """取り消す under a confirmation: the event deleted — by its author or an admin."""
    ack()
    respond = koryu.responder(body)
    record_id = _button_value(body)
    try:
        text = _undo(koryu, record_id, _user(body))
    except Exception as e:
        text = _said(e, logger, "entry undo")
    koryu.later(lambda: respond(replace_original=_replaces(text), text=text), "entry undo")


def edit(koryu: Services, ack: Ack, body: dict, client: WebClient, logger: logging.Logger) -> None:
    """編集 under a confirmation: the modal filled with the event — for its author or an admin."""
    ack()  # then, on this thread: the modal must open within 3 seconds of the click
    record_id = _button_value(body)
    try:
        modal = _edit_modal(koryu, record_id, _user(body))
    except Exception as e:
        text = _said(e, logger, "entry edit")
        respond = koryu.responder(body)
        koryu.later(lambda: respond(replace_original=False, text=text), "entry edit refused")
        return
    open_modal(client, body, modal, logger)


def open_modal(client: WebClient, body: dict, view: dict, logger: logging.Logger) -> None:
    """views.open with the payload's trigger_id (valid 3 seconds); without one nothing can open (logged)."""
    trigger = body.get("trigger_id")
    if not trigger:
        logger.warning("entry modal without trigger_id: not opened")
        return
    client.views_open(trigger_id=trigger, view=view)


YEAR_WRITTEN = re.compile(r"(?:19|20)\d{2}\s*[年/.\-]|令和|平成|[RH]\s*\d{1,2}\s*[.年]")


def _shift(day: dt.date, years: int) -> dt.date:
    """`day` moved by whole years (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def prefilled(koryu: Services, text: str) -> dict[str, Any]:
    """The 登録 modal filled in from a message announcing an event (「7/20〜21の朝顔市で金沢市の物産展をやります」)
    as a question is read: its one municipality, its first dates (in the report's notation; without a year written,
    in today's fiscal year — an announcement is of an event to come), its text as the description. What the parser
    cannot tell is left empty for the person to fill."""
    from bot.stores import open_for_reading
    from store.era import fiscal_year_of, notation, year_in_fiscal_year

    db, _ = open_for_reading(koryu.db_path)
    with db:
        q = db.parse(text)
    codes = sorted({c for p in q.places for c in p.codes})
    municipality = None
    if len(codes) == 1 and (m := by_code(codes[0])) is not None:
        municipality = (m.code, m.full_name)
    period = ""
    if q.dates:
        start, end = q.dates[0].start, q.dates[0].end
        if not YEAR_WRITTEN.search(text):  # 7/20〜21 in an announcement: this fiscal year's, not the stored data's
            fiscal = fiscal_year_of(dt.date.today())
            moved = year_in_fiscal_year(fiscal, start.month) - start.year
            start, end = _shift(start, moved), _shift(end, moved)
        period = notation([(start, end)])
    return views.entry_modal(
        municipality=municipality, description=text.strip()[: views.MAX_DESCRIPTION], period=period, from_message=True
    )


@functools.lru_cache(maxsize=1)
def _national() -> list[tuple[str, str, tuple[str, ...]]]:
    """(code, full name, folded keys: names, kana, romaji) of every municipality and prefecture."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for m in all_municipalities():
        keys = (fold(m.full_name), fold(m.local_name), fold(m.reading), fold(m.short_reading), m.romaji)
        out.append((m.code, m.full_name, keys))
    return out


def _matches(typed: str, keys: tuple[str, ...]) -> bool:
    return any(typed in k for k in keys if k)


def _municipality_options(koryu: Services, typed: str) -> list[dict[str, Any]]:
    """Options for the municipality select: the stored partners whose name, short name, reading or romaji holds
    what was typed, then the rest of the national list (全国地方公共団体コード), at most MAX_OPTIONS."""
    from bot.stores import open_for_reading

    key = fold(typed.strip()).lower()
    if not key:
        return []
    db, _ = open_for_reading(koryu.db_path)
    with db:
        partners = db.municipalities(with_counts=False)
    out, seen = [], set()
    for m in partners:
        keys = tuple(
            fold(str(m.get(k) or "")).lower() for k in ("name", "local_name", "short_name", "reading", "short_reading", "romaji")
        )
        if m.get("municipality_code") and _matches(key, keys):
            out.append(views.option(f"{m['name']}（交流自治体）", m["municipality_code"]))
            seen.add(m["municipality_code"])
    for code, name, keys in _national():
        if len(out) >= views.MAX_OPTIONS:
            break
        if code not in seen and _matches(key, tuple(k.lower() for k in keys)):
            out.append(views.option(name, code))
    return out[: views.MAX_OPTIONS]


def _department_options(koryu: Services, typed: str) -> list[dict[str, Any]]:
    """Options for the department select: what was typed, as a new name, when it is none of the known ones; then
    the departments of the stored records holding it (all of them when nothing is typed), at most MAX_OPTIONS."""
    from bot.stores import open_for_reading

    typed = " ".join(typed.split())[:60]
    db, _ = open_for_reading(koryu.db_path)
    with db:
        known = db.departments()
    out = []
    if typed and typed not in known:
        out.append(views.option(msg.ENTRY_NEW_DEPARTMENT.format(name=typed), typed))
    out += [views.option(d, d) for d in known if fold(typed) in fold(d)]
    return out[: views.MAX_OPTIONS]


def _value(values: dict, block: str, action: str = "value") -> dict:
    field = ((values.get(block) or {}).get(action)) if isinstance(values, dict) else None
    return field if isinstance(field, dict) else {}


def _check(koryu: Services, view: dict, user: str) -> tuple[dict[str, str], dict | None]:
    """({block_id: error}, None) for a submission that cannot be stored, or ({}, the confirm view)."""
    from ingest.entry import ALREADY, EntryError, draft_title, entry_record, recorded_already

    values = (view.get("state") or {}).get("values") or {}
    chosen = _value(values, "municipality", views.OPTIONS_MUNICIPALITY).get("selected_option") or {}
    department = (_value(values, "department", views.OPTIONS_DEPARTMENT).get("selected_option") or {}).get("value") or ""
    description = _value(values, "description").get("value") or ""
    period = (_value(values, "period").get("value") or "").strip()
    start, end = _value(values, "start").get("selected_date"), _value(values, "end").get("selected_date")
    note = _value(values, "note").get("value") or ""
    try:
        editing = str(json.loads(view.get("private_metadata") or "{}").get("id") or "")
    except (ValueError, AttributeError):
        editing = ""
    m = by_code(str(chosen.get("value") or ""))
    if m is None:
        return {"municipality": msg.ENTRY_NO_MUNICIPALITY}, None
    if not period:
        if not start:
            return {"period": msg.ENTRY_NO_PERIOD}, None
        if end and end < start:
            return {"end": msg.ENTRY_END_BEFORE}, None
        period = start.replace("-", "/") + (f"～{end.replace('-', '/')}" if end and end != start else "")
    try:
        record = entry_record(m.full_name, description, department, period, today=dt.date.today())
    except EntryError as e:
        return {e.field or "description": _japanese(e)[:150]}, None
    from bot.stores import open_for_reading

    db, _ = open_for_reading(koryu.db_path)
    with db:
        if recorded_already(db, record, except_id=editing):
            return {"description": _japanese(EntryError(ALREADY))}, None
    fields = {
        "m": m.code,
        "d": record.description,
        "dep": record.department,
        "p": record.period_text,
        "n": note.strip(),
        "id": editing,
    }
    return {}, views.confirm_view(record, draft_title(record.fiscal_year), fields, note.strip(), bool(editing))


def _save(koryu: Services, fields: dict, user: str) -> tuple[list[dict], str]:
    """Store the confirmed event (or the edit of one); returns the confirmation's (blocks, fallback). Raises
    EntryError (not allowed, recorded already, gone)."""
    from ingest.entry import EntryError, add_record, draft_title, edit_record, entry_record, may_change

    m = by_code(str(fields.get("m") or ""))
    if m is None:
        raise EntryError(msg.ENTRY_NO_MUNICIPALITY)
    editing = str(fields.get("id") or "")
    note = str(fields.get("n") or "")
    with koryu.ingest_lock, store.open(koryu.db_path) as db:
        if editing:
            if not may_change(db, editing, user, koryu.settings.is_admin(user)):
                raise EntryError(msg.ENTRY_NOT_YOURS)
            record = edit_record(
                db,
                editing,
                note=note,
                municipality=m.full_name,
                description=str(fields.get("d") or ""),
                department=str(fields.get("dep") or ""),
                period=str(fields.get("p") or ""),
            )
        else:
            record = entry_record(
                m.full_name, str(fields.get("d") or ""), str(fields.get("dep") or ""), str(fields.get("p") or "")
            )
            record = add_record(db, record, added_by=user, note=note)
    return views.saved_blocks(record, draft_title(record.fiscal_year), note, bool(editing))


def _undo(koryu: Services, record_id: str, user: str) -> str:
    from bot.wording import record_text
    from ingest.entry import EntryError, delete_record, find_record, may_change

    with koryu.ingest_lock, store.open(koryu.db_path) as db:
        try:
            find_record(db, record_id)
        except EntryError:
            return msg.ENTRY_GONE
        if not may_change(db, record_id, user, koryu.settings.is_admin(user)):
            return msg.ENTRY_NOT_YOURS
        gone = delete_record(db, record_id)
    return msg.ENTRY_DELETED.format(text=record_text(gone, mrkdwn=True, with_municipality=True))


def _edit_modal(koryu: Services, record_id: str, user: str) -> dict:
    from ingest.entry import EntryError, find_record, may_change

    with store.open(koryu.db_path) as db:
        try:
            r = find_record(db, record_id)
        except EntryError:
            raise EntryError(msg.ENTRY_GONE) from None
        if not may_change(db, record_id, user, koryu.settings.is_admin(user)):
            raise EntryError(msg.ENTRY_NOT_YOURS)
        kept = db.entries.of(record_id) or {}
    municipality = (r.municipality_code, r.municipality) if r.municipality_code else None
    return views.entry_modal(
        record_id=r.id,
        municipality=municipality,
        description=r.description,
        department=r.department,
        period=r.period_text,
        note=str(kept.get("note") or ""),
    )


def _post(client: WebClient, user: str, text: str, blocks: list[dict] | None) -> None:
    """A message to the person in the app's DM (chat.postMessage to a user id opens it)."""
    client.chat_postMessage(channel=user, text=text, blocks=blocks)


def _user(body: dict) -> str:
    user = body.get("user")
    return str(user.get("id") or "") if isinstance(user, dict) else ""


def _button_value(body: dict) -> str:
    try:
        value = body["actions"][0].get("value") or ""
    except (KeyError, IndexError, AttributeError):
        return ""
    return value if isinstance(value, str) and value.isalnum() and len(value) <= 32 else ""


def _replaces(text: str) -> bool:
    """An undo that happened replaces the confirmation; a refusal is said beside it."""
    return text.startswith("🗑️")


def _japanese(e: Exception) -> str:
    """The Japanese half of an EntryError's 「日本語 / English」 line (Slack speaks Japanese)."""
    return str(e).split(" / ")[0]


def _said(e: Exception, logger: logging.Logger, context: str, **details: Any) -> str:
    """What the person is told: an EntryError's reason as it is (not allowed, gone, recorded already), anything
    else an apology (`error_reply`, the traceback logged)."""
    from ingest.entry import EntryError

    return _japanese(e) if isinstance(e, EntryError) else error_reply(logger, context, e, **details)
