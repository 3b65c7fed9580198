"""Register listeners through one place that remembers what was registered, so a test can hold the app
manifest (manifest.yml) to exactly the commands and events the code listens for."""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import App, Assistant


def _record(app: App, kind: str, name: str) -> None:
    if not hasattr(app, "koryu_registered"):
        app.koryu_registered = set()  # type: ignore[attr-defined]
    app.koryu_registered.add((kind, name))  # type: ignore[attr-defined]


def event(app: App, name: str) -> Callable:
    """`@app.event(name)`, recorded as ("event", name)."""
    _record(app, "event", name)
    return app.event(name)


def command(app: App, name: str) -> Callable:
    """`@app.command(name)`, recorded as ("command", name)."""
    _record(app, "command", name)
    return app.command(name)


def action(app: App, action_id: str | re.Pattern[str]) -> Callable:
    """`@app.action(action_id)`, recorded as ("action", action_id) — a pattern by its text."""
    _record(app, "action", action_id if isinstance(action_id, str) else action_id.pattern)
    return app.action(action_id)


def view(app: App, callback_id: str) -> Callable:
    """`@app.view(callback_id)` (a modal's submission), recorded as ("view", callback_id)."""
    _record(app, "view", callback_id)
    return app.view(callback_id)


def shortcut(app: App, callback_id: str) -> Callable:
    """`@app.shortcut(callback_id)` (a global or message shortcut), recorded as ("shortcut", callback_id)."""
    _record(app, "shortcut", callback_id)
    return app.shortcut(callback_id)


def options(app: App, action_id: str) -> Callable:
    """`@app.options(action_id)` (an external select's options), recorded as ("options", action_id)."""
    _record(app, "options", action_id)
    return app.options(action_id)


def assistant(app: App, assistant: Assistant) -> None:
    """`app.assistant(assistant)`, recorded as the events bolt's Assistant middleware takes: the thread's
    start and context change, and direct messages in its threads ("message", from message.im)."""
    for name in ("assistant_thread_started", "assistant_thread_context_changed", "message"):
        _record(app, "event", name)
    app.assistant(assistant)


def registered(app: App) -> set[tuple[str, str]]:
    """Everything registered through this module: {(kind, name)}."""
    return set(getattr(app, "koryu_registered", set()))
