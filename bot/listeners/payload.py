"""The parts of a Slack payload the handlers read, typed: a button click (`Click`, from a block_actions payload).
A missing or malformed part reads as empty, never as an exception: the payload comes from outside
(https://api.slack.com/reference/interaction-payloads/block-actions)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.render import MAX_CONTEXT  # earlier questions a button carries (bot.render.page_value)

MAX_OFFSET = 1_000_000  # a page further than any stored result


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _part(body: dict, key: str) -> dict:
    part = body.get(key)
    return part if isinstance(part, dict) else {}


@dataclass(frozen=True)
class Click:
    """One click of a button under a message. value: the button's JSON value as a dict ({} when it is none);
    user: who clicked; channel / message_ts / thread_ts: where the message is ("" when the payload does not
    say); ephemeral: the message is one only the clicker sees; trigger_id: for opening a modal; response_url: for answering the
    click ("" when none)."""

    value: dict = field(default_factory=dict)
    user: str = ""
    channel: str = ""
    message_ts: str = ""
    thread_ts: str = ""
    ephemeral: bool = False
    trigger_id: str = ""
    response_url: str = ""

    @classmethod
    def of(cls, body: dict) -> Click:
        """The click a block_actions payload holds."""
        container = _part(body, "container")
        try:
            actions = body.get("actions") or [{}]
            value = json.loads(_text(actions[0].get("value")) or "{}")
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            value = {}
        return cls(
            value=value if isinstance(value, dict) else {},
            user=_text(_part(body, "user").get("id")),
            channel=_text(_part(body, "channel").get("id")) or _text(container.get("channel_id")),
            message_ts=_text(container.get("message_ts")),
            thread_ts=_text(container.get("thread_ts")),
            ephemeral=container.get("is_ephemeral") is True,
            trigger_id=_text(body.get("trigger_id")),
            response_url=_text(body.get("response_url")),
        )

    @property
    def question(self) -> str:
        """The question the answer under the button was for ("" when none)."""
        return _text(self.value.get("q"))

    @property
    def offset(self) -> int:
        """The page's record offset: a whole number 0..MAX_OFFSET, anything else (text, a fraction, null) 0."""
        o = self.value.get("o", 0)
        if isinstance(o, bool) or not isinstance(o, int):
            return 0
        return max(0, min(o, MAX_OFFSET))

    @property
    def question_id(self) -> str:
        """The logged question the button names (store.questions ids are 16 hex), "" for anything else."""
        question_id = self.value.get("id")
        return question_id if isinstance(question_id, str) and question_id.isalnum() and len(question_id) <= 32 else ""

    @property
    def after(self) -> tuple[str, ...]:
        """The earlier questions of the answer's thread the button carries, oldest first; () for anything that is
        not a list of strings."""
        earlier = self.value.get("a")
        if not isinstance(earlier, list):
            return ()
        return tuple(e for e in earlier[:MAX_CONTEXT] if isinstance(e, str))
