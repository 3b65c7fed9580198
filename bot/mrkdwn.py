"""Slack's rules for text, shared by the answer's wording and its Block Kit: escaping & < > so nothing echoed
becomes a mention, a channel ping or a link (https://api.slack.com/reference/surfaces/formatting#escaping), and
cutting text to the Block Kit limits (https://api.slack.com/reference/block-kit/blocks, checked 2026-11): 50
blocks per message, 3,000 characters per section text, 150 per header text, 75 per button label, 2,000 per button
value, 10 elements per context block; the plain `text` fallback kept under the 4,000 characters Slack recommends
for chat.postMessage."""

from __future__ import annotations

MAX_BLOCKS = 50


MAX_SECTION_TEXT = 3000


MAX_HEADER_TEXT = 150


MAX_BUTTON_TEXT = 75


MAX_BUTTON_VALUE = 2000


MAX_CONTEXT_ELEMENTS = 10


MAX_FALLBACK_TEXT = 3900


def escape(text: str) -> str:
    """Escape & < > for Slack mrkdwn/plain text so nothing echoed becomes a mention, channel ping or link."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Inbound Slack text → what the user typed: &lt; &gt; &amp; back to < > & (only these three)."""
    return str(text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut to at most `limit` characters, marking the cut. Never splits an &amp; entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ellipsis
