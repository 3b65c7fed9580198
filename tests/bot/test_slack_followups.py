"""Follow-ups and several questions in one message, end to end: `koryu serve --http`, signed events, the Web API
stand-in. A reply in the thread of an answer keeps what it does not replace; a new DM soon after the last one is a
follow-up too; a message holding several questions gets one answer each, in order."""

from __future__ import annotations

import time

from tests.drivers import thread_posts


def _ts() -> str:
    time.sleep(0.002)
    return f"{time.time():.6f}"


def _mention(app, text: str, channel: str = "C0GENERAL", thread_ts: str | None = None) -> str:
    ts = _ts()
    event = {"type": "app_mention", "user": "UUSER1", "text": f"<@UBOTKORYU> {text}", "ts": ts, "channel": channel}
    event["event_ts"] = ts
    if thread_ts:
        event["thread_ts"] = thread_ts
    status, _, elapsed = app.event(event)
    assert status == 200 and elapsed < 3
    return ts


def _dm(app, text: str, user: str = "UFOLLOW") -> str:
    ts = _ts()
    event = {"type": "message", "channel_type": "im", "channel": "D0" + user, "user": user, "text": text, "ts": ts}
    event["event_ts"] = ts
    status, _, _ = app.event(event)
    assert status == 200
    return ts


def test_a_reply_in_the_thread_keeps_what_it_does_not_replace(slack_app):
    s = slack_app.standin
    parent = _mention(slack_app, "金沢市の物産展")
    [first] = thread_posts(s, "C0GENERAL", parent, 1)
    assert "5件" in first["text"]

    _mention(slack_app, "それはいつ？", thread_ts=parent)
    second = thread_posts(s, "C0GENERAL", parent, 2)[1]
    assert "5件" in second["text"] and "2024年4月13日" in second["text"]
    assert "前の質問から「金沢市・物産展」を引き継ぎました" in str(second["blocks"])

    _mention(slack_app, "盛岡市は？", thread_ts=parent)  # the place replaced, 物産展 kept
    third = thread_posts(s, "C0GENERAL", parent, 3)[2]
    assert "盛岡市" in third["text"] and "金沢市" not in third["text"]
    assert "物産展" in str(third["blocks"])

    # a question outside the thread is not a follow-up
    other = _mention(slack_app, "それはいつ？")
    [alone] = thread_posts(s, "C0GENERAL", other, 1)
    assert "引き継ぎました" not in str(alone["blocks"])


def test_narrowing_in_a_thread_keeps_the_place(slack_app):
    s = slack_app.standin
    parent = _mention(slack_app, "金沢市との交流")
    [first] = thread_posts(s, "C0GENERAL", parent, 1)
    assert "20件" in first["text"]
    _mention(slack_app, "その中で3月のものは？", thread_ts=parent)
    narrowed = thread_posts(s, "C0GENERAL", parent, 2)[1]
    assert "金沢市" in narrowed["text"] and "20件" not in narrowed["text"]
    assert "2025年3月" in str(narrowed["blocks"]) and "2024年7月" not in str(narrowed["blocks"])


def test_a_direct_message_soon_after_is_a_follow_up(slack_app):
    s = slack_app.standin
    first = _dm(slack_app, "金沢市の物産展")
    assert "5件" in thread_posts(s, "D0UFOLLOW", first, 1)[0]["text"]
    second = _dm(slack_app, "担当課は？")
    [answer] = thread_posts(s, "D0UFOLLOW", second, 1)
    assert "引き継ぎました" in str(answer["blocks"]) and "アカデミー推進課" in str(answer["blocks"])


def test_several_questions_in_one_message_get_one_answer_each_in_order(slack_app):
    s = slack_app.standin
    ts = _dm(slack_app, "金沢市との交流は何件？また津和野町の物産展は？", user="UMULTI")
    first, second = thread_posts(s, "D0UMULTI", ts, 2)[:2]
    assert "金沢市" in first["text"] and "20件" in first["text"]
    assert "津和野町" in second["text"] and "金沢市" not in second["text"]
    assert "金沢市との交流は何件？" in str(first["blocks"]) and "津和野町の物産展は？" in str(second["blocks"])
    time.sleep(0.3)
    assert len(thread_posts(s, "D0UMULTI", ts, 2)) == 2  # no third post
