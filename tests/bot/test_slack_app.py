"""The Slack app end to end: paging, CSV export, ephemeral answers and sharing, admin ingest by command and
by DM upload, refusals, App Home — through `koryu serve --http` with signed requests and the Web API stand-in."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import ADMIN, block_texts
from tests.drivers import block_action, buttons, dm_upload, next_call, thread_replies
from tests.slack_standin import BOT_TOKEN

LAYOUTS = Path(__file__).parents[1] / "fixtures" / "layouts"


# ----------------------------------------------------------------------------------------------- paging
def test_paging_updates_the_same_ephemeral_message(slack_app):
    s = slack_app.standin
    before = len(s.of("response"))
    slack_app.command("物産展")
    first = next_call(s, "response", before).params
    assert "物産展: 26件" in block_texts(first["blocks"]) and "1〜10件目 / 全26件" in block_texts(first["blocks"])
    btn = buttons(first["blocks"])
    assert set(btn) == {"koryu_next", "koryu_csv", "koryu_share", "koryu_vote_up", "koryu_vote_down"}
    question_id = json.loads(btn["koryu_vote_up"]["value"])["id"]
    assert json.loads(btn["koryu_next"]["value"]) == {"q": "物産展", "o": 10, "id": question_id}

    before = len(s.of("response"))
    status, _, elapsed = slack_app.action(
        block_action("koryu_next", btn["koryu_next"]["value"], ephemeral=True, response_url=f"{s.base}/response/page2")
    )
    assert status == 200 and elapsed < 3
    call = next_call(s, "response", before)
    assert call.path == "/response/page2"
    page2 = call.params
    assert page2["replace_original"] is True
    assert "11〜20件目 / 全26件" in block_texts(page2["blocks"])
    page2_buttons = buttons(page2["blocks"])
    assert set(page2_buttons) == {"koryu_prev", "koryu_next", "koryu_csv", "koryu_share", "koryu_vote_up", "koryu_vote_down"}
    assert json.loads(page2_buttons["koryu_vote_down"]["value"]) == {"id": question_id}  # the same answer
    assert block_texts(first["blocks"]).split("件目")[1] != block_texts(page2["blocks"]).split("件目")[1]


def test_sentence_answer_comes_first_and_the_other_reading_is_a_button(slack_app):
    """/koryu 熊本県: the one-line answer under the header, the note on which reading was used, and a
    「熊本県内」で探す button that answers the other reading in the same message."""
    s = slack_app.standin
    before = len(s.of("response"))
    slack_app.command("熊本県の交流はいつ？")
    first = next_call(s, "response", before).params
    texts = block_texts(first["blocks"])
    assert first["blocks"][1]["text"]["text"].startswith("*熊本県は 2024年4月1日～2025年3月8日 の11件です")
    assert "熊本県そのもの（県としての交流）の記録です。" in texts and "熊本県内も含めると 33件です。" in texts
    btn = buttons(first["blocks"])
    assert json.loads(btn["koryu_ask"]["value"]) == {"q": "熊本県内 熊本県の交流はいつ？", "o": 0}
    assert first["text"].startswith("熊本県は 2024年4月1日～")  # the notification text leads with the answer too

    before = len(s.of("response"))
    status, _, _ = slack_app.action(
        block_action("koryu_ask", btn["koryu_ask"]["value"], ephemeral=True, response_url=f"{s.base}/response/other")
    )
    assert status == 200
    other = next_call(s, "response", before).params
    assert other["replace_original"] is True and "熊本県内は 2024年3月26日～2025年3月19日 の33件です" in block_texts(
        other["blocks"]
    )


def test_emoji_and_shortcodes_carry_no_search_meaning(slack_app):
    s = slack_app.standin
    before = len(s.of("response"))
    slack_app.command("金沢市 物産展 :pray: 🙏")
    answer = next_call(s, "response", before).params
    assert "金沢市 × 物産展: 5件" in block_texts(answer["blocks"])


def test_paging_a_thread_answer_uses_chat_update(slack_app):
    s = slack_app.standin
    before = len(s.of("chat.update"))
    value = json.dumps({"q": "物産展", "o": 20}, ensure_ascii=False)
    slack_app.action(
        block_action(
            "koryu_next",
            value,
            ephemeral=False,
            response_url=f"{s.base}/response/x",
            channel="C0THREAD",
            message_ts="1700000001.000200",
        )
    )
    update = next_call(s, "chat.update", before).params
    assert update["channel"] == "C0THREAD" and update["ts"] == "1700000001.000200"
    assert "21〜26件目 / 全26件" in block_texts(update["blocks"])


# ------------------------------------------------------------------------------------------------ CSV
def test_csv_button_uploads_the_full_result_to_the_channel_id(slack_app):
    s = slack_app.standin
    before_url, before_done = len(s.of("files.getUploadURLExternal")), len(s.of("files.completeUploadExternal"))
    before_upload = len(s.of("upload"))
    slack_app.action(
        block_action(
            "koryu_csv",
            json.dumps({"q": "物産展", "o": 10}, ensure_ascii=False),
            ephemeral=True,
            response_url=f"{s.base}/response/csv",
            channel="C0GENERAL",
        )
    )
    done = next_call(s, "files.completeUploadExternal", before_done).params
    assert done["channel_id"] == "C0GENERAL"  # an ID, never a channel name
    assert "26件" in done["initial_comment"]
    ask = s.of("files.getUploadURLExternal")[before_url].params
    assert ask["filename"] == "koryu.csv"
    body = s.wait_for("upload", before_upload + 1)[before_upload].body
    assert b"\xef\xbb\xbf" in body  # UTF-8 with BOM for Excel
    text = body.decode("utf-8", errors="replace")
    assert text.count("物産展") >= 26 and "fiscal_year,municipality,municipality_code" in text


# --------------------------------------------------------------------------------------- ephemeral + share
def test_slash_answer_is_ephemeral_and_can_be_shared(slack_app):
    s = slack_app.standin
    before = len(s.of("response"))
    slack_app.command("うるま市", channel="C0SHARE")
    answer = next_call(s, "response", before).params
    assert answer["response_type"] == "ephemeral"
    share = buttons(answer["blocks"])["koryu_share"]
    before_post, before_resp = len(s.of("chat.postMessage")), len(s.of("response"))
    slack_app.action(
        block_action(
            "koryu_share",
            share["value"],
            ephemeral=True,
            response_url=f"{s.base}/response/share",
            channel="C0SHARE",
            user="USHARER",
        )
    )
    post = next_call(s, "chat.postMessage", before_post).params
    assert post["channel"] == "C0SHARE"
    assert "うるま市: 9件" in block_texts(post["blocks"]) and "<@USHARER>" in block_texts(post["blocks"])
    assert "koryu_share" not in buttons(post["blocks"])
    deleted = next_call(s, "response", before_resp).params
    assert deleted.get("delete_original") is True


def test_municipality_command_lists_records_by_month(slack_app):
    s = slack_app.standin
    before = len(s.of("response"))
    slack_app.command("金沢市")
    answer = block_texts(next_call(s, "response", before).params["blocks"])
    assert "金沢市: 20件" in answer and "*2024年4月*" in answer and "1〜10件目 / 全20件" in answer


def test_cities_and_reports_commands(slack_app):
    s = slack_app.standin
    before = len(s.of("response"))
    slack_app.command("一覧")
    cities = block_texts(next_call(s, "response", before).params["blocks"])
    assert "交流自治体: 14自治体" in cities and "島根県津和野町 … 21件" in cities
    before = len(s.of("response"))
    slack_app.command("reports")
    reports = block_texts(next_call(s, "response", before).params["blocks"])
    assert "2024年度" in reports and "123件 / 14自治体" in reports


# ------------------------------------------------------------------------------------------- admin ingest


@pytest.mark.slow
def test_admin_dm_upload_is_downloaded_with_the_token_and_ingested(admin_slack_app):
    app = admin_slack_app
    pdf = (LAYOUTS / "r7-later-year.pdf").read_bytes()
    before_dl = len(app.standin.of("download"))
    ts = dm_upload(app, ADMIN, "r7.pdf", pdf)
    replies = thread_replies(app.standin, "D0" + ADMIN, ts, 2)
    assert "r7.pdf を受け取りました" in replies[0]
    assert "2025年度 交流実績一覧（協定等締結自治体） 119件" in replies[1] and "追加 119" in replies[1]
    download = app.standin.of("download")[before_dl]
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert (app.reports_dir / "r7.pdf").read_bytes() == pdf


@pytest.mark.slow
def test_admin_upload_that_is_not_a_pdf_is_refused(admin_slack_app):
    app = admin_slack_app
    ts = dm_upload(app, ADMIN, "fake.pdf", b"<html>this is not a pdf</html>")
    [reply] = thread_replies(app.standin, "D0" + ADMIN, ts, 1)
    assert "ではないため取り込みませんでした" in reply
    assert not (app.reports_dir / "fake.pdf").exists()
    ts = dm_upload(app, ADMIN, "photo.png", b"\x89PNG\r\n\x1a\n", filetype="png")
    assert "ではないため取り込みませんでした" in thread_replies(app.standin, "D0" + ADMIN, ts, 1)[0]
    ts = dm_upload(app, ADMIN, "huge.pdf", b"%PDF-1.7", size=500 * 1024 * 1024)
    assert "大きすぎます" in thread_replies(app.standin, "D0" + ADMIN, ts, 1)[0]


@pytest.mark.slow
def test_non_admin_upload_and_ingest_are_refused_politely(admin_slack_app):
    app = admin_slack_app
    before_dl = len(app.standin.of("download"))
    ts = dm_upload(app, "UNOBODY", "r6.pdf", b"%PDF-1.7 whatever")
    [reply] = thread_replies(app.standin, "D0UNOBODY", ts, 1)
    assert "管理者だけ" in reply
    # the refusal is posted by the same job that would download, after the admin check and instead of any
    # download (bot.listeners.events.receive_files), so once it is here nothing more can be fetched
    assert len(app.standin.of("download")) == before_dl  # nothing was fetched
    status, body, _ = app.command("ingest", user="UNOBODY")
    assert status == 200 and "管理者だけ" in json.loads(body)["text"]


@pytest.mark.slow
def test_admin_ingest_command_summary(admin_slack_app, sample_report_pdf):
    app = admin_slack_app
    (app.reports_dir / "r6.pdf").write_bytes(sample_report_pdf.read_bytes())
    before = len(app.standin.of("response"))
    status, body, _ = app.command("ingest", user=ADMIN)
    assert status == 200 and "読み込んでいます" in json.loads(body)["text"]
    summary = next_call(app.standin, "response", before, 60).params["text"]
    assert "2024年度 交流実績一覧（協定等締結自治体） 123件・14自治体（追加 0 / 削除 0 / 変更 0）" in summary
    assert "注意" in summary and "熊本市上天草市" in summary


@pytest.mark.slow
def test_admin_dm_upload_of_the_source_spreadsheet_is_ingested(admin_slack_app):
    app = admin_slack_app
    xlsx = (Path(__file__).parents[1] / "fixtures" / "sheets" / "report-two-row-header.xlsx").read_bytes()
    ts = dm_upload(app, ADMIN, "r6.xlsx", xlsx, filetype="xlsx")
    replies = thread_replies(app.standin, "D0" + ADMIN, ts, 2)
    assert "r6.xlsx を受け取りました" in replies[0]
    assert "2024年度" in replies[1] and "123件" in replies[1]
    assert (app.reports_dir / "r6.xlsx").read_bytes() == xlsx
    ts = dm_upload(app, ADMIN, "fake.xlsx", b"not a workbook", filetype="xlsx")
    assert "ではないため取り込みませんでした" in thread_replies(app.standin, "D0" + ADMIN, ts, 1)[0]
    (app.reports_dir / "r6.xlsx").unlink()  # the later tests expect the reports folder as it was


# -------------------------------------------------------------------------------------------------- home
def test_app_home_is_published(slack_app):
    s = slack_app.standin
    before = len(s.of("views.publish"))
    slack_app.event(
        {"type": "app_home_opened", "user": "UHOME1", "channel": "D0HOME", "tab": "home", "event_ts": f"{time.time():.6f}"}
    )
    call = next_call(s, "views.publish", before).params
    assert call["user_id"] == "UHOME1"
    view = call["view"] if isinstance(call["view"], dict) else json.loads(call["view"])
    assert view["type"] == "home"
    home = block_texts(view["blocks"])
    assert "金沢市の物産展はいつ？" in home and "2024年度" in home and "最後の取り込み" in home


# ---------------------------------------------------------------------------------------------- manifest
def test_manifest_names_exactly_what_the_code_registers(standin, tmp_path):
    from bot.app import build_app
    from bot.listeners import registry
    from bot.settings import Settings

    manifest = yaml.safe_load((Path(__file__).parents[2] / "manifest.yml").read_text(encoding="utf-8"))
    settings = Settings(
        slack_bot_token=BOT_TOKEN, slack_signing_secret="x", slack_api_url=standin.api_url, koryu_db=str(tmp_path / "k.db")
    )
    app = build_app(settings)
    reg = registry.registered(app)
    events = {name for kind, name in reg if kind == "event"}
    commands = {name for kind, name in reg if kind == "command"}
    assert {e.split(".")[0] for e in manifest["settings"]["event_subscriptions"]["bot_events"]} == events
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == commands
    assert manifest["settings"]["interactivity"]["is_enabled"] is True and {n for k, n in reg if k == "action"}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["features"]["assistant_view"]["assistant_description"]
    assert {
        "app_mentions:read",
        "assistant:write",
        "chat:write",
        "commands",
        "files:read",
        "files:write",
        "im:history",
        "im:write",
    } == scopes
    shortcuts = {s["callback_id"] for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {n for k, n in reg if k == "shortcut"}
    assert {n for k, n in reg if k == "options"} and manifest["settings"]["interactivity"]["message_menu_options_url"]


def test_unregistered_event_is_not_handled(slack_app):
    status, _, _ = slack_app.event({"type": "reaction_added", "user": "U1", "reaction": "+1", "event_ts": "1.2"})
    assert status == 404  # bolt answers 404 for an event no listener takes: the manifest must not subscribe to it
