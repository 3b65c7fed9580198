"""Each button's handler and the slash command in-process (bot.listeners.actions, bot.listeners.commands), beside the HTTP tests of the whole app: real
Services over a real SQLite file of the sample report, a real slack-sdk WebClient and response_url posts to the
Web API stand-in on 127.0.0.1, and the click read from a block_actions payload by `Click.of`."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil

import pytest
from slack_sdk import WebClient

import store
from bot import render
from bot.listeners import actions, commands
from bot.listeners.common import Services
from bot.listeners.payload import Click
from bot.settings import Settings
from tests.drivers import block_action
from tests.slack_standin import BOT_TOKEN

LOG = logging.getLogger("koryu.test")


@pytest.fixture
def koryu(tmp_path, ingested_path, standin):
    db = tmp_path / "koryu.db"
    shutil.copy(ingested_path, db)
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_api_url=standin.api_url, koryu_admin_users="UADMIN")
    services = Services(settings=settings, db_path=str(db))
    yield services
    services.drain(5)


@pytest.fixture
def client(standin):
    return WebClient(token=BOT_TOKEN, base_url=standin.api_url)


def click(standin, action_id: str, value: dict, *, ephemeral: bool = False, user: str = "UUSER1") -> Click:
    body = block_action(
        action_id,
        json.dumps(value, ensure_ascii=False),
        ephemeral=ephemeral,
        response_url=f"{standin.base}/response/x",
        user=user,
    )
    return Click.of(body)


def responses(standin, before: int) -> list[dict]:
    return [c.params for c in standin.of("response")[before:]]


def test_the_click_is_read_from_the_payload_and_anything_malformed_reads_empty(standin):
    c = click(standin, render.ACTION_NEXT, {"q": "金沢市", "o": 10, "id": "abcdef0123456789", "a": ["熊本県", 3]})
    assert (c.question, c.offset, c.question_id, c.after) == ("金沢市", 10, "abcdef0123456789", ("熊本県",))
    assert c.channel == "C0GENERAL" and c.message_ts and c.user == "UUSER1" and not c.ephemeral
    odd = Click.of({"actions": [{"value": "[1, 2"}], "container": "x", "user": ["U"], "trigger_id": 5})
    assert (odd.value, odd.user, odd.channel, odd.offset, odd.question_id, odd.after, odd.trigger_id) == (
        {},
        "",
        "",
        0,
        "",
        (),
        "",
    )
    assert (
        click(standin, render.ACTION_NEXT, {"o": True}).offset == 0
        and click(standin, render.ACTION_NEXT, {"o": 10**12}).offset == 1_000_000
    )


def test_next_page_updates_the_message_in_place(koryu, client, standin):
    before = len(standin.of("chat.update"))
    actions.page(koryu, click(standin, render.ACTION_NEXT, {"q": "金沢市", "o": 10}), client, LOG, lambda **_: None)
    update = standin.of("chat.update")[before].params
    assert update["channel"] == "C0GENERAL" and "11〜20件目" in json.dumps(update["blocks"], ensure_ascii=False)


def test_a_page_of_an_ephemeral_answer_goes_back_by_response_url(koryu, client, standin):
    sent: list[dict] = []
    actions.page(
        koryu,
        click(standin, render.ACTION_NEXT, {"q": "金沢市", "o": 10}, ephemeral=True),
        client,
        LOG,
        lambda **p: sent.append(p),
    )
    assert sent and sent[0]["replace_original"] is True and "金沢市" in sent[0]["text"]


def test_csv_export_uploads_every_record_of_the_answer(koryu, client, standin):
    before = len(standin.of("files.completeUploadExternal"))
    actions.csv_export(koryu, click(standin, render.ACTION_CSV, {"q": "金沢市"}), client, LOG, lambda **_: None)
    done = standin.of("files.completeUploadExternal")[before].params
    assert done["channel_id"] == "C0GENERAL" and "20件" in done["initial_comment"]


def test_series_choice_is_for_admins_only(koryu, client, standin):
    sent: list[dict] = []
    actions.series_choice(
        koryu, click(standin, "koryu_series_add", {"f": "x.pdf", "h": "0", "s": "x"}), client, LOG, lambda **p: sent.append(p)
    )
    assert sent == [{"response_type": "ephemeral", "replace_original": False, "text": actions.msg.ADMIN_ONLY}]


def test_share_posts_the_answer_for_everyone_and_removes_the_ephemeral_one(koryu, client, standin):
    sent: list[dict] = []
    before = len(standin.of("chat.postMessage"))
    actions.share(
        koryu,
        click(standin, render.ACTION_SHARE, {"q": "金沢市 物産展"}, ephemeral=True),
        client,
        LOG,
        lambda **p: sent.append(p),
    )
    post = standin.of("chat.postMessage")[before].params
    assert post["channel"] == "C0GENERAL" and "<@UUSER1>" in json.dumps(post["blocks"], ensure_ascii=False)
    assert sent == [{"delete_original": True}]


def test_a_vote_without_its_question_says_so_and_stores_nothing(koryu, client, standin):
    sent: list[dict] = []
    actions.vote_up(koryu, click(standin, render.ACTION_VOTE_UP, {"q": "金沢市"}), client, LOG, lambda **p: sent.append(p))
    assert [p["text"] for p in sent] == [actions.msg.FEEDBACK_GONE]


def test_a_vote_down_on_a_logged_question_opens_the_modal(koryu, client, standin):
    from store.questions import Asked

    koryu.answer_blocks("金沢市 物産展", asked=Asked(surface="mention", user="UUSER1"))
    with store.open(koryu.db_path) as db:
        question_id = db.rows("SELECT id FROM questions ORDER BY asked_at DESC LIMIT 1", [])[0]["id"]
    before = len(standin.of("views.open"))
    c = click(standin, render.ACTION_VOTE_DOWN, {"q": "金沢市 物産展", "id": question_id})
    actions.vote_down(koryu, dataclasses.replace(c, trigger_id="T123"), client, LOG)
    view = standin.of("views.open")[before].params["view"]
    assert view["callback_id"] == render.VIEW_FEEDBACK and "金沢市 物産展" in json.dumps(view, ensure_ascii=False)


def test_the_slash_command_acks_help_and_refusals_at_once(koryu, client, standin):
    acked: list[dict] = []

    def ack(**reply):
        acked.append(reply)

    body = {"text": "help", "user_id": "UUSER1", "response_url": f"{standin.base}/response/x"}
    commands.command(koryu, ack, body, client, LOG)
    commands.command(koryu, ack, {**body, "text": "export 2024 pdf"}, client, LOG)  # not an admin
    assert acked[0]["text"] == actions.msg.help_text(koryu.settings.koryu_command) and acked[0]["blocks"]
    assert acked[1] == {"response_type": "ephemeral", "text": actions.msg.ADMIN_ONLY}


def test_the_slash_command_answers_a_question_by_response_url(koryu, client, standin):
    before = len(standin.of("response"))
    acked: list[dict] = []
    body = {"text": "金沢市 物産展", "user_id": "UUSER1", "response_url": f"{standin.base}/response/x"}
    commands.command(koryu, lambda **r: acked.append(r), body, client, LOG)
    assert acked == [{}]
    answer = standin.wait_for("response", before + 1)[before].params
    assert answer["response_type"] == "ephemeral" and "金沢市" in answer["text"]


def test_the_municipality_select_offers_partners_first_then_the_national_list(koryu):
    from bot.listeners import entries

    offered: list[dict] = []
    entries.municipality_options(koryu, lambda **r: offered.append(r), {"value": "かなざわ"})
    labels = [o["text"]["text"] for o in offered[0]["options"]]
    assert labels[0].startswith("石川県金沢市") and "（交流自治体）" in labels[0]
    assert any("横浜市金沢区" in label for label in labels[1:])


def test_the_entry_modal_refuses_a_submission_without_a_municipality_next_to_the_field(koryu):
    from bot.listeners import entries

    acked: list[dict] = []
    view = {"state": {"values": {}}, "private_metadata": ""}
    entries.check(koryu, lambda **r: acked.append(r), {"user": {"id": "UUSER1"}}, view, LOG)
    assert acked == [{"response_action": "errors", "errors": {"municipality": actions.msg.ENTRY_NO_MUNICIPALITY}}]


def test_a_direct_message_is_answered_in_its_thread_and_a_bot_post_is_not(koryu, client, standin):
    from bot.listeners import events

    before = len(standin.of("chat.postMessage"))
    ts = "1765000000.000100"
    events.message(
        koryu,
        {"type": "message", "bot_id": "B1", "channel_type": "im", "channel": "D0UUSER1", "ts": ts, "text": "金沢市"},
        client,
        LOG,
    )
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0UUSER1",
        "user": "UUSER1",
        "ts": ts,
        "text": "金沢市の物産展はいつ？",
    }
    events.message(koryu, dm, client, LOG)
    koryu.drain(10)
    posts = [c.params for c in standin.of("chat.postMessage")[before:] if c.params.get("channel") == "D0UUSER1"]
    assert len(posts) == 1 and posts[0]["thread_ts"] == ts and "金沢市" in posts[0]["text"]


def test_the_home_tab_is_published_for_the_user_who_opened_it(koryu, client, standin):
    from bot.listeners import home

    before = len(standin.of("views.publish"))
    home.home(koryu, {"type": "app_home_opened", "tab": "home", "user": "UUSER9"}, client, LOG)
    home.home(koryu, {"type": "app_home_opened", "tab": "messages", "user": "UUSER9"}, client, LOG)  # not the Home tab
    koryu.drain(10)
    published = [c.params for c in standin.of("views.publish")[before:]]
    assert [p["user_id"] for p in published] == ["UUSER9"] and published[0]["view"]["type"] == "home"
