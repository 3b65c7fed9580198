"""How tests drive koryu as its users do: the `koryu` command in a real process, and the Slack app through the
Web API stand-in — a button's payload, the next call of a method, a DM upload, the posts of a thread."""

from __future__ import annotations

import os
import subprocess
import time

from tests.conftest import koryu_bin, wait_until


def run(*args, cwd=None, env=None, check=True):
    p = subprocess.run([koryu_bin(), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"koryu {args} exited {p.returncode}: {p.stderr}")
    return p


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KORYU_"))}
    env.update(extra)
    return env


def buttons(blocks: list[dict]) -> dict[str, dict]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def next_call(standin, method: str, before: int, timeout_s: float = 10.0):
    calls = standin.wait_for(method, before + 1, timeout_s)
    return calls[before]


def block_action(
    action_id: str,
    value: str,
    *,
    ephemeral: bool,
    response_url: str,
    channel: str = "C0GENERAL",
    message_ts: str = "1700000000.000100",
    thread_ts: str | None = None,
    user: str = "UUSER1",
) -> dict:
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral}
    if thread_ts:
        container["thread_ts"] = thread_ts
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "tester", "team_id": "T0KORYU"},
        "api_app_id": "A0KORYU",
        "token": "legacy",
        "team": {"id": "T0KORYU", "domain": "koryu"},
        "container": container,
        "trigger_id": "1.2.3",
        "channel": {"id": channel, "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "koryu_paging",
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def dm_upload(app, user: str, name: str, content: bytes, filetype: str = "pdf", size: int | None = None):
    app.standin.files[name] = content
    ts = f"{time.time():.6f}"
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": "D0" + user,
        "user": user,
        "ts": ts,
        "text": "",
        "files": [
            {
                "id": "F" + name,
                "name": name,
                "filetype": filetype,
                "mimetype": "application/pdf" if filetype == "pdf" else "image/png",
                "size": len(content) if size is None else size,
                "url_private_download": f"{app.standin.base}/files/{name}",
            }
        ],
    }
    status, _, elapsed = app.event(event)
    assert status == 200 and elapsed < 3
    return ts


def thread_posts(standin, channel: str, ts: str, n: int, timeout_s: float = 30.0) -> list[dict]:
    """The first n chat.postMessage calls in a thread (their params), waiting up to timeout_s for them."""

    def posts() -> list[dict]:
        found = [
            c.params
            for c in standin.of("chat.postMessage")
            if c.params.get("channel") == channel and c.params.get("thread_ts") == ts
        ]
        return found if len(found) >= n else []

    return wait_until(posts, f"{n} posts in {channel}/{ts}", timeout_s)


def thread_replies(standin, channel: str, ts: str, n: int, timeout_s: float = 30.0) -> list[str]:
    return [p["text"] for p in thread_posts(standin, channel, ts, n, timeout_s)]
