"""A local stand-in for Slack's Web API on 127.0.0.1 that records every call (bolt's own tests do the same).

Serves: /api/<method> for the Web API methods koryu uses, /response/<id> for response_url posts,
/upload/<id> for files.getUploadURLExternal upload targets, /files/<name> for file downloads (requires the
bot token as `Authorization: Bearer`). Failures can be scripted per method: `standin.fail("chat.postMessage",
[429, 500])` makes the next two calls fail with those statuses before succeeding. Only a stand-in of one's own
takes failure scripts (conftest's `isolated_slack_app`): the one the whole session shares refuses them, so a
failure meant for one test can never reach another. Every `blocks` and `view` is checked against Block Kit's
published limits (tests/blockkit.py) and refused as Slack refuses it (`invalid_blocks`); conftest fails the test
that sent one.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests import blockkit
from tests.waiting import wait_until

BOT_TOKEN = "xoxb-test-token"
BOT_USER = "UBOTKORYU"


@dataclass
class Call:
    path: str
    method: str  # Web API method name, or "response" / "upload" / "download"
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.time)

    @property
    def params(self) -> dict[str, Any]:
        ctype = self.headers.get("content-type", "")
        text = self.body.decode("utf-8", errors="replace")
        if "json" in ctype:
            return json.loads(text or "{}")
        parsed = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
        for k in ("blocks", "view", "files", "prompts"):
            if k in parsed:
                try:
                    parsed[k] = json.loads(parsed[k])
                except ValueError:
                    pass
        return parsed


class SlackStandIn:
    def __init__(self, shared: bool = False) -> None:
        self.shared = shared  # used by many tests at once: no failure scripts
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self.invalid: list[tuple[str, list[str]]] = []  # (method, Block Kit problems) of every refused call
        self.redirects: dict[str, str] = {}
        self.slow: dict[str, float] = {}  # method → seconds it takes to answer  # file name → the URL its download redirects to
        self.socket_url = ""  # what apps.connections.open hands out (Socket Mode tests set it)
        self._failures: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _reply(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json" if not isinstance(payload, bytes) else "application/octet-stream"
                )
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urllib.parse.urlparse(self.path).path
                call = Call(path, "download", {k.lower(): v for k, v in self.headers.items()}, b"")
                standin._record(call)
                name = path.rsplit("/", 1)[-1]
                if name in standin.redirects:  # a file that moved: where Slack's CDN would send the download
                    self.send_response(302)
                    self.send_header("Location", standin.redirects[name])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif call.headers.get("authorization") != f"Bearer {BOT_TOKEN}":
                    self._reply(403, {"ok": False, "error": "not_authed"})
                elif name in standin.files:
                    self._reply(200, standin.files[name])
                else:
                    self._reply(404, {"ok": False, "error": "file_not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                path = urllib.parse.urlparse(self.path).path
                headers = {k.lower(): v for k, v in self.headers.items()}
                if path.startswith("/api/"):
                    method = path[len("/api/") :]
                elif path.startswith("/response/"):
                    method = "response"
                elif path.startswith("/upload/"):
                    method = "upload"
                else:
                    method = path
                call = Call(path, method, headers, body)
                standin._record(call)
                invalid = standin._check_blocks(method, call)
                if invalid:  # what Slack answers to blocks it will not show
                    self._reply(200, {"ok": False, "error": "invalid_blocks", "errors": invalid})
                    return
                if method in standin.slow:  # a slow neighbour: this method answers late
                    time.sleep(standin.slow[method])
                status = standin._next_failure(method)
                if isinstance(status, str):  # an API error: HTTP 200 with ok false
                    self._reply(200, {"ok": False, "error": status})
                    return
                if status == 429:
                    self._reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
                    return
                if status:
                    self._reply(status, {"ok": False, "error": "internal_error"})
                    return
                self._reply(200, standin.answer(method, call))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ------------------------------------------------------------------------------------------ control
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def start(self) -> SlackStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, method: str, statuses: list[int | str]) -> None:
        """Make the next calls of `method` fail: an int is an HTTP status (429 comes with Retry-After: 1),
        a str an API error returned as HTTP 200 {"ok": false, "error": ...}."""
        if self.shared:
            raise RuntimeError("the shared stand-in takes no failure scripts: use the isolated_slack_app fixture")
        with self._lock:
            self._failures[method] = list(statuses)

    def pending_failures(self) -> dict[str, list[int | str]]:
        """The scripted failures not yet served, by method (empty once every script has played out)."""
        with self._lock:
            return {m: list(q) for m, q in self._failures.items() if q}

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _next_failure(self, method: str) -> int | str | None:
        with self._lock:
            queue = self._failures.get(method)
            return queue.pop(0) if queue else None

    def _check_blocks(self, method: str, call: Call) -> list[str]:
        """Block Kit's limits (tests/blockkit.py) on the blocks or view of a call; the problems are kept in
        `invalid` (method, problems) so that the test that sent them fails (tests/conftest.py)."""
        try:
            params = call.params
        except ValueError:
            return []
        found: list[str] = []
        if isinstance(params, dict) and params.get("blocks") not in (None, "", []):
            found += blockkit.problems(params["blocks"], "message")
        if isinstance(params, dict) and isinstance(params.get("view"), dict):
            found += blockkit.view_problems(params["view"])
        if found:
            with self._lock:
                self.invalid.append((method, found))
        return found

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout_s: float = 10.0) -> list[Call]:
        """Wait until `count` calls of `method` arrived; returns them (raises AssertionError on timeout)."""

        def arrived() -> list[Call]:
            calls = self.of(method)
            return calls if len(calls) >= count else []

        return wait_until(arrived, f"{count} {method} call(s)", timeout_s)

    # ------------------------------------------------------------------------------------------ answers
    def answer(self, method: str, call: Call) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://koryu-test.slack.com/",
                "team": "koryu",
                "user": "koryu",
                "team_id": "T0KORYU",
                "user_id": BOT_USER,
                "bot_id": "B0KORYU",
            }
        if method == "chat.postMessage":
            return {"ok": True, "channel": call.params.get("channel"), "ts": f"{time.time():.6f}", "message": {}}
        if method == "chat.update":
            return {"ok": True, "channel": call.params.get("channel"), "ts": call.params.get("ts")}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V1"}}
        if method == "files.getUploadURLExternal":
            fid = f"F{len(self.of(method))}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{fid}", "file_id": fid}
        if method == "files.completeUploadExternal":
            files = call.params.get("files") or []
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url} if self.socket_url else {"ok": False, "error": "no_socket"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(call.params.get("users") or "").lstrip("U")}}
        if method == "views.open":
            return {"ok": True, "view": {"id": "VMODAL1", **(call.params.get("view") or {})}}
        if method.startswith("assistant.threads."):  # setSuggestedPrompts, setStatus, setTitle
            return {"ok": True}
        if method == "files.info":
            return {"ok": True, "file": {"id": call.params.get("file"), "name": "koryu.csv"}}
        if method in ("response", "upload"):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}
