"""Every text in bot/messages.py is shown somewhere: a name no other module uses is a message nobody sees."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "bot" / "messages.py"


def _names() -> list[str]:
    tree = ast.parse(MESSAGES.read_text(encoding="utf-8"))
    out = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            out += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out.append(node.target.id)
        elif isinstance(node, ast.FunctionDef):
            out.append(node.name)
    return [n for n in out if not n.startswith("_")]


def _users() -> str:
    sources = [p for folder in ("bot", "store", "ingest") for p in (ROOT / folder).rglob("*.py") if p != MESSAGES]
    return "\n".join(p.read_text(encoding="utf-8") for p in sources)


def unused(names: list[str], code: str, own: str) -> list[str]:
    """The names neither used as msg.NAME / messages.NAME in `code` nor used again inside `own` (a part
    another message is built from)."""
    return [
        name
        for name in names
        if not re.search(rf"\b(?:msg|messages)\.{name}\b", code) and len(re.findall(rf"\b{name}\b", own)) < 2
    ]


def test_every_message_is_used_outside_its_module():
    names = _names()
    assert "HELP_TITLE" in names and "help_text" in names  # constants and functions are both read
    assert unused(names, _users(), MESSAGES.read_text(encoding="utf-8")) == []


def test_the_check_reports_a_message_nobody_shows():
    own = 'SHOWN = "a"\nPART = "b"\nBUILT = PART + "c"\nLOST = "d"\n'
    code = "from bot import messages as msg\nprint(msg.SHOWN, msg.BUILT)\nprint(LOST_msg)\n"
    assert unused(["SHOWN", "PART", "BUILT", "LOST"], code, own) == ["LOST"]
