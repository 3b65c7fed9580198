"""The Slack app's long-term loop through `koryu serve --http`, signed requests and the Web API stand-in:
👍 / 👎 on every answer, the 👎 modal, the question log in an admin's App Home (and not in a user's), the
assistant side panel, and a log that survives restarts and two servers writing at once."""

from __future__ import annotations

import concurrent.futures as cf
import json
import time

import pytest

import store
from tests.conftest import ADMIN, block_texts, read_log, start_slack_app, stop_slack_app, wait_until
from tests.drivers import block_action, buttons, next_call, thread_posts


def _logged(db_path, question: str) -> list[dict]:
    with store.open(db_path) as db:
        return db.rows("SELECT * FROM questions WHERE question = ? ORDER BY asked_at", [question])


def _votes(db_path, question_id: str) -> list[dict]:
    with store.open(db_path) as db:
        return db.rows("SELECT * FROM feedback WHERE question_id = ? ORDER BY id", [question_id])


def _ask(app, text: str, user: str = "UUSER1") -> dict:
    before = len(app.standin.of("response"))
    status, _, _ = app.command(text, user=user)
    assert status == 200
    return next_call(app.standin, "response", before).params


def _home(app, user: str) -> str:
    before = len(app.standin.of("views.publish"))
    status, _, _ = app.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"})
    assert status == 200
    calls = app.standin.wait_for("views.publish", before + 1)
    mine = [c.params for c in calls[before:] if c.params.get("user_id") == user]
    view = mine[0]["view"] if isinstance(mine[0]["view"], dict) else json.loads(mine[0]["view"])
    return block_texts(view["blocks"])


def _submit(app, private_metadata, values, user: str = "UUSER1"):
    return app.submit_view("koryu_feedback", private_metadata, values, user=user)


# ----------------------------------------------------------------------------------------------- votes
def test_every_answer_is_logged_and_a_thumbs_up_is_stored(slack_app):
    answer = _ask(slack_app, "金沢市 物産展 👍テスト")
    btn = buttons(answer["blocks"])
    assert {"koryu_vote_up", "koryu_vote_down"} <= set(btn)
    question_id = json.loads(btn["koryu_vote_up"]["value"])["id"]
    (row,) = _logged(slack_app.db_path, "金沢市 物産展 👍テスト")
    assert row["id"] == question_id and row["surface"] == "command" and row["total"] == 5
    assert row["user"] is None  # KORYU_LOG_USERS is not set
    assert "金沢市" in row["interpretation"] and "物産展" in row["interpretation"]

    before = len(slack_app.standin.of("response"))
    status, _, elapsed = slack_app.action(
        block_action(
            "koryu_vote_up", btn["koryu_vote_up"]["value"], ephemeral=True, response_url=f"{slack_app.standin.base}/response/up"
        )
    )
    assert status == 200 and elapsed < 3
    thanks = next_call(slack_app.standin, "response", before).params
    assert thanks["text"] == "フィードバックありがとうございます。" and thanks["replace_original"] is False
    assert [v["vote"] for v in _votes(slack_app.db_path, question_id)] == [1]


def test_thumbs_down_opens_a_modal_whose_text_is_stored(slack_app):
    s = slack_app.standin
    answer = _ask(slack_app, "ぶっさんてん 福岡")
    value = buttons(answer["blocks"])["koryu_vote_down"]["value"]
    question_id = json.loads(value)["id"]
    before = len(s.of("views.open"))
    status, _, _ = slack_app.action(
        block_action("koryu_vote_down", value, ephemeral=True, response_url=f"{s.base}/response/down")
    )
    assert status == 200
    opened = next_call(s, "views.open", before).params
    view = opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])
    assert opened["trigger_id"] == "1.2.3" and view["callback_id"] == "koryu_feedback"
    assert "何を探していましたか" in json.dumps(view, ensure_ascii=False) and "ぶっさんてん 福岡" in block_texts(view["blocks"])
    (vote,) = _votes(slack_app.db_path, question_id)
    assert vote["vote"] == -1 and vote["comment"] == ""

    values = {"koryu_feedback_text": {"text": {"type": "plain_text_input", "value": "福岡市の\ud800物産展"}}}
    status, response, _ = _submit(slack_app, view["private_metadata"], values)
    assert status == 200 and response in (b"", b"{}")  # the modal closes
    # a lone surrogate is read like an invisible character: the comment is stored, without it
    wait_until(lambda: _votes(slack_app.db_path, question_id)[0]["comment"] == "福岡市の 物産展", "the comment")


def test_a_page_of_an_answer_is_not_logged_again(slack_app):
    s = slack_app.standin
    answer = _ask(slack_app, "物産展　ページ")
    btn = buttons(answer["blocks"])
    assert "koryu_next" in btn
    before = len(s.of("response"))
    slack_app.action(block_action("koryu_next", btn["koryu_next"]["value"], ephemeral=True, response_url=f"{s.base}/response/p2"))
    page2 = next_call(s, "response", before).params
    assert buttons(page2["blocks"])["koryu_vote_up"]["value"] == btn["koryu_vote_up"]["value"]
    assert len(_logged(slack_app.db_path, "物産展　ページ")) == 1


# ------------------------------------------------------------------------------------------ admin view
def test_unanswered_questions_are_shown_to_admins_only(slack_app):
    for _ in range(2):
        answer = _ask(slack_app, "ぱんだ交流会のこと")
        assert "該当する記録はありませんでした" in block_texts(answer["blocks"]) or "0件" in block_texts(answer["blocks"])
    admin = _home(slack_app, ADMIN)
    assert "見つからなかった質問" in admin and "ぱんだ交流会のこと … 2回" in admin
    assert "よく聞かれる質問" in admin and "👎 のついた回答" in admin
    user = _home(slack_app, "UUSER1")
    assert "ぱんだ交流会" not in user and "見つからなかった質問" not in user
    assert "金沢市の物産展はいつ？" in user  # the ordinary home is still there


def test_a_voted_down_answer_is_listed_for_admins_with_what_was_wanted(slack_app):
    s = slack_app.standin
    answer = _ask(slack_app, "講演会はいつ")
    value = buttons(answer["blocks"])["koryu_vote_down"]["value"]
    slack_app.action(block_action("koryu_vote_down", value, ephemeral=True, response_url=f"{s.base}/response/d2"))
    wait_until(lambda: _votes(slack_app.db_path, json.loads(value)["id"]), "the vote")
    assert "講演会はいつ … 👎 1" in _home(slack_app, ADMIN)


# ------------------------------------------------------------------------------------------- assistant
def test_assistant_thread_start_suggests_prompts_from_the_data(slack_app, ingested):
    s = slack_app.standin
    before = len(s.of("assistant.threads.setSuggestedPrompts"))
    event = {
        "type": "assistant_thread_started",
        "assistant_thread": {"user_id": "UUSER1", "context": {}, "channel_id": "D0ASSIST", "thread_ts": "1700000001.000100"},
        "event_ts": "1700000001.000200",
    }
    status, _, elapsed = slack_app.event(event)
    assert status == 200 and elapsed < 3
    call = next_call(s, "assistant.threads.setSuggestedPrompts", before).params
    assert call["channel_id"] == "D0ASSIST" and call["thread_ts"] == "1700000001.000100"
    prompts = call["prompts"] if isinstance(call["prompts"], list) else json.loads(call["prompts"])
    assert 1 <= len(prompts) <= 4
    top = ingested.municipalities()[0]
    assert prompts[0]["message"] == f"{top['short_name']}との交流は？"
    assert any("月の交流は？" in p["message"] for p in prompts)
    for p in prompts:  # every suggestion is a question koryu answers from what is stored
        assert ingested.ask(p["message"]).total > 0, p


def test_assistant_message_sets_title_and_status_and_answers_in_the_thread(slack_app):
    s = slack_app.standin
    ts, thread = f"{time.time():.6f}", "1700000002.000100"
    before = {m: len(s.of(m)) for m in ("assistant.threads.setStatus", "assistant.threads.setTitle")}
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0ASSIST",
        "user": "UUSER1",
        "text": "金沢の物産展はいつ？",
        "ts": ts,
        "thread_ts": thread,
        "event_ts": ts,
    }
    status, _, _ = slack_app.event(event)
    assert status == 200
    (post,) = thread_posts(s, "D0ASSIST", thread, 1)
    assert "金沢市" in block_texts(post["blocks"]) and {"koryu_vote_up", "koryu_vote_down"} <= set(buttons(post["blocks"]))
    status_call = next_call(s, "assistant.threads.setStatus", before["assistant.threads.setStatus"]).params
    assert status_call["thread_ts"] == thread and status_call["status"]
    title = next_call(s, "assistant.threads.setTitle", before["assistant.threads.setTitle"]).params
    assert title["title"] == "金沢の物産展はいつ？"
    (row,) = _logged(slack_app.db_path, "金沢の物産展はいつ？")
    assert row["surface"] == "assistant"


# ------------------------------------------------------------------------------------ restarts, writers
@pytest.mark.slow
def test_log_survives_a_restart_and_two_servers_writing_at_once(tmp_path, standin, ingested_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = start_slack_app(tmp_path / "a", standin, ingested_path, extra_env={"KORYU_LOG_USERS": "true"})
    b = start_slack_app(tmp_path / "b", standin, None, extra_env={"KORYU_DB": str(a.db_path)})
    try:
        with cf.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda i: (a, b)[i % 2].command(f"熊本県 {i % 5}", user=f"U{i}")[0], range(40)))
        assert statuses == [200] * 40
        wait_until(lambda: _count(a.db_path) == 40, "40 logged questions", timeout_s=30)
        stop_slack_app(a)
        a = start_slack_app(tmp_path / "a", standin, None, extra_env={"KORYU_DB": str(a.db_path)})  # a restart
        assert a.command("熊本県 0")[0] == 200
        wait_until(lambda: _count(a.db_path) == 41, "the question after the restart")
        with store.open(a.db_path) as db:
            rows = {r["question"]: r["asked"] for r in db.questions.summary()}
            users = {r[0] for r in db.conn.execute("SELECT user FROM questions")}
        assert rows["熊本県 0"] == 9 and sum(rows.values()) == 41
        assert {f"U{i}" for i in range(0, 40, 2)} <= users and None in users  # only server a logs users
    finally:
        stop_slack_app(a)
        stop_slack_app(b)


def _count(db_path) -> int:
    with store.open(db_path) as db:
        return db.questions.count()


# ----------------------------------------------------------------------------------- odd payloads
def _down_vote(app, question: str, user: str = "UUSER1") -> tuple[str, dict]:
    answer = _ask(app, question, user=user)
    value = buttons(answer["blocks"])["koryu_vote_down"]["value"]
    before = len(app.standin.of("views.open"))
    app.action(block_action("koryu_vote_down", value, ephemeral=True, response_url=f"{app.standin.base}/response/dv", user=user))
    opened = next_call(app.standin, "views.open", before).params
    return json.loads(value)["id"], opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])


@pytest.mark.slow
def test_odd_modal_submissions_close_the_modal_and_change_nothing(slack_app):
    question_id, view = _down_vote(slack_app, "へんなモーダル")
    good_values = {"koryu_feedback_text": {"text": {"type": "plain_text_input", "value": "本当の答え"}}}
    start = len(read_log(slack_app))
    odd = [
        (None, good_values),
        ("not json", good_values),
        ('{"f": Infinity}', good_values),
        (json.dumps({"f": 10**30}), good_values),
        (json.dumps({"f": "abc"}), good_values),
        (view["private_metadata"], None),
        (view["private_metadata"], {"koryu_feedback_text": []}),
        (view["private_metadata"], {"koryu_feedback_text": {"text": None}}),
    ]
    for meta, values in odd:
        status, response, elapsed = _submit(slack_app, meta, values)
        assert status == 200 and elapsed < 3, (meta, values, status)
    status, _, _ = _submit(slack_app, view["private_metadata"], good_values, user="UOTHER9")  # not the voter
    assert status == 200
    status, _, _ = _submit(slack_app, view["private_metadata"], good_values)  # the voter
    wait_until(lambda: _votes(slack_app.db_path, question_id)[0]["comment"] == "本当の答え", "the voter's comment")
    log = read_log(slack_app)[start:]
    assert "Traceback" not in log and " ERROR " not in log, log
    assert "someone other than the voter" in log


@pytest.mark.slow
def test_odd_button_values_answer_a_page_without_a_traceback(slack_app):
    s = slack_app.standin
    start = len(read_log(slack_app))
    for offset in ["abc", None, 1.5, [1], -5, 10**12]:
        value = json.dumps({"q": "物産展", "o": offset})
        before = len(s.of("response"))
        status, _, _ = slack_app.action(block_action("koryu_next", value, ephemeral=True, response_url=f"{s.base}/response/odd"))
        assert status == 200
        page = block_texts(next_call(s, "response", before).params["blocks"])
        expected = "21〜26件目 / 全26件" if offset == 10**12 else "1〜10件目 / 全26件"  # past the end: the last page
        assert expected in page, (offset, page)
    payload = block_action("koryu_vote_down", json.dumps({"id": "abc123"}), ephemeral=True, response_url=f"{s.base}/response/nt")
    del payload["trigger_id"]
    before = len(s.of("response"))
    assert slack_app.action(payload)[0] == 200
    assert next_call(s, "response", before).params["text"] == "フィードバックありがとうございます。"
    assert slack_app.event({"type": "app_home_opened", "channel": "D0HOME", "tab": "home"})[0] == 200  # no user
    assert slack_app.event({"type": "assistant_thread_started", "assistant_thread": None, "event_ts": "1.2"})[0] == 200
    wait_until(lambda: "assistant_thread_started without its thread" in read_log(slack_app)[start:], "the warning")
    log = read_log(slack_app)[start:]
    assert "Traceback" not in log and " ERROR " not in log, log


@pytest.mark.slow
def test_a_request_without_a_usable_response_url_is_one_warning(slack_app):
    start = len(read_log(slack_app))
    payload = block_action("koryu_next", json.dumps({"q": "金沢市", "o": 10}), ephemeral=True, response_url="")
    del payload["response_url"]
    assert slack_app.action(payload)[0] == 200
    broken = block_action("koryu_vote_up", json.dumps({"id": "abc123"}), ephemeral=True, response_url="notaurl")
    assert slack_app.action(broken)[0] == 200
    wait_until(lambda: read_log(slack_app)[start:].count("no usable response_url") >= 2, "two warnings")
    log = read_log(slack_app)[start:]
    assert "Traceback" not in log and " ERROR " not in log, log
