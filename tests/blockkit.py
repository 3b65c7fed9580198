"""What Slack rejects with `invalid_blocks`: the published limits of Block Kit, checked by the Web API stand-in on
every `blocks` and `view` it receives, so that a test that sends an invalid message fails.

Sources (Slack API reference, read 2026-12): Block Kit blocks https://api.slack.com/reference/block-kit/blocks
(section, header, context, actions, divider, input, image; "blocks: up to 50 in a message, 100 in a modal or
Home tab"; block_id "unique for each message … maximum length 255"), block elements
https://api.slack.com/reference/block-kit/block-elements (button text 75, value 2000, url 3000; action_id
"should be unique among all other action_ids in the containing block", 255), composition objects
https://api.slack.com/reference/block-kit/composition-objects (text 1–3000; option text 75, value 150),
and views https://api.slack.com/reference/surfaces/views (title, submit and close 24 characters).

    problems(blocks, surface="message") → ["blocks[3].elements[1]: action_id 'koryu_ask' repeated in the block", …]
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
SECTION_TEXT, SECTION_FIELDS, FIELD_TEXT = 3000, 10, 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS, ACTIONS_ELEMENTS = 10, 25
BUTTON_TEXT, BUTTON_VALUE, BUTTON_URL = 75, 2000, 3000
ID_LENGTH = 255
OPTION_TEXT, OPTION_VALUE, OPTIONS = 75, 150, 100
VIEW_TITLE = 24
INPUT_LABEL, INPUT_HINT = 2000, 2000
KNOWN_BLOCKS = {"section", "header", "context", "actions", "divider", "input", "image", "rich_text"}


def _text(obj: Any, where: str, limit: int, kinds: tuple[str, ...] = ("plain_text", "mrkdwn")) -> list[str]:
    if not isinstance(obj, dict):
        return [f"{where}: not a text object"]
    out = []
    if obj.get("type") not in kinds:
        out.append(f"{where}: text type {obj.get('type')!r} (allowed: {', '.join(kinds)})")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        out.append(f"{where}: text empty")
    elif len(text) > limit:
        out.append(f"{where}: text of {len(text)} characters (limit {limit})")
    return out


def _element(e: Any, where: str) -> list[str]:
    if not isinstance(e, dict):
        return [f"{where}: not an object"]
    out = []
    aid = e.get("action_id")
    if aid is not None and (not isinstance(aid, str) or len(aid) > ID_LENGTH):
        out.append(f"{where}: action_id longer than {ID_LENGTH}")
    if e.get("type") == "button":
        out += _text(e.get("text"), f"{where}.text", BUTTON_TEXT, ("plain_text",))
        if len(str(e.get("value", ""))) > BUTTON_VALUE:
            out.append(f"{where}: button value of {len(str(e.get('value')))} characters (limit {BUTTON_VALUE})")
        if len(str(e.get("url", ""))) > BUTTON_URL:
            out.append(f"{where}: button url longer than {BUTTON_URL}")
    options = e.get("options")
    if isinstance(options, list):
        if len(options) > OPTIONS:
            out.append(f"{where}: {len(options)} options (limit {OPTIONS})")
        for k, o in enumerate(options):
            out += _text((o or {}).get("text"), f"{where}.options[{k}].text", OPTION_TEXT, ("plain_text",))
            if len(str((o or {}).get("value", ""))) > OPTION_VALUE:
                out.append(f"{where}.options[{k}]: value longer than {OPTION_VALUE}")
    return out


def problems(blocks: Any, surface: str = "message") -> list[str]:
    """Every reason Slack would refuse `blocks` on `surface` (message | modal | home); [] when it would not."""
    if not isinstance(blocks, list):
        return ["blocks: not a list"]
    out = []
    if len(blocks) > MAX_BLOCKS[surface]:
        out.append(f"blocks: {len(blocks)} (limit {MAX_BLOCKS[surface]} in a {surface})")
    block_ids: set[str] = set()
    for i, b in enumerate(blocks):
        where = f"blocks[{i}]"
        if not isinstance(b, dict) or b.get("type") not in KNOWN_BLOCKS:
            out.append(f"{where}: unknown block {b.get('type') if isinstance(b, dict) else b!r}")
            continue
        bid = b.get("block_id")
        if bid is not None:
            if not isinstance(bid, str) or len(bid) > ID_LENGTH:
                out.append(f"{where}: block_id longer than {ID_LENGTH}")
            elif bid in block_ids:
                out.append(f"{where}: block_id {bid!r} repeated in the {surface}")
            block_ids.add(str(bid))
        kind = b["type"]
        if kind == "section":
            if "text" not in b and "fields" not in b:
                out.append(f"{where}: a section needs text or fields")
            if "text" in b:
                out += _text(b["text"], f"{where}.text", SECTION_TEXT)
            fields = b.get("fields") or []
            if len(fields) > SECTION_FIELDS:
                out.append(f"{where}: {len(fields)} fields (limit {SECTION_FIELDS})")
            for k, f in enumerate(fields):
                out += _text(f, f"{where}.fields[{k}]", FIELD_TEXT)
            if "accessory" in b:
                out += _element(b["accessory"], f"{where}.accessory")
        elif kind == "header":
            out += _text(b.get("text"), f"{where}.text", HEADER_TEXT, ("plain_text",))
        elif kind in ("context", "actions"):
            elements = b.get("elements")
            limit = CONTEXT_ELEMENTS if kind == "context" else ACTIONS_ELEMENTS
            if not isinstance(elements, list) or not elements:
                out.append(f"{where}: {kind} without elements")
                continue
            if len(elements) > limit:
                out.append(f"{where}: {len(elements)} elements (limit {limit} in {kind})")
            action_ids: set[str] = set()
            for k, e in enumerate(elements):
                if kind == "context":
                    if isinstance(e, dict) and e.get("type") in ("plain_text", "mrkdwn"):
                        out += _text(e, f"{where}.elements[{k}]", SECTION_TEXT)
                    continue
                out += _element(e, f"{where}.elements[{k}]")
                aid = e.get("action_id") if isinstance(e, dict) else None
                if aid is not None:
                    if aid in action_ids:
                        out.append(f"{where}.elements[{k}]: action_id {aid!r} repeated in the block")
                    action_ids.add(aid)
        elif kind == "input":
            out += _text(b.get("label"), f"{where}.label", INPUT_LABEL, ("plain_text",))
            if "hint" in b:
                out += _text(b["hint"], f"{where}.hint", INPUT_HINT, ("plain_text",))
            out += _element(b.get("element"), f"{where}.element")
    return out


def view_problems(view: Any) -> list[str]:
    """Those of a modal or Home tab view: its blocks, and a modal's title, submit and close (24 characters)."""
    if not isinstance(view, dict):
        return ["view: not an object"]
    surface = "home" if view.get("type") == "home" else "modal"
    out = problems(view.get("blocks", []), surface)
    if surface == "modal":
        for key in ("title", "submit", "close"):
            if key in view or key == "title":
                out += _text(view.get(key), f"view.{key}", VIEW_TITLE, ("plain_text",))
    return out
