"""Recording an event in Slack through `koryu serve --http` (waitress + bolt, signed requests, the Web API
stand-in on 127.0.0.1): /koryu 登録 opens the modal, its selects load their options, a submission with errors is
answered next to the fields, a valid one shows the days read, saving stores it (found by `koryu ask` at once)
and confirms with 取り消す / 編集; someone else may neither edit nor delete it; a message shortcut fills the modal
in; /koryu export uploads the 一覧 to an admin."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ADMIN, start_slack_app, stop_slack_app
from tests.drivers import block_action, buttons, next_call, run

pytestmark = pytest.mark.slow  # processes and files: the fast lane (make test-fast) leaves them to CI


@pytest.fixture(scope="module")
def app(tmp_path_factory, standin, ingested_path):
    """Its own server on its own copy of the sample: these tests write to the database."""
    running = start_slack_app(tmp_path_factory.mktemp("entries"), standin, ingested_path)
    yield running
    stop_slack_app(running)


def _interactive(app, payload: dict) -> tuple[int, dict]:
    status, response, _ = app.action(payload)
    return status, (json.loads(response) if response.strip() else {})


def _options(app, action_id: str, value: str) -> list[dict]:
    status, response = _interactive(
        app,
        {
            "type": "block_suggestion",
            "user": {"id": "UUSER1"},
            "team": {"id": "T0KORYU"},
            "api_app_id": "A0KORYU",
            "token": "legacy",
            "action_id": action_id,
            "block_id": "municipality",
            "value": value,
            "view": {"id": "VMODAL1", "type": "modal", "callback_id": "koryu_entry"},
        },
    )
    assert status == 200
    return response["options"]


def _values(code: str | None, description: str, department: str | None, period: str = "", start=None, end=None, note=""):
    def selected(value):
        return {
            "type": "external_select",
            "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value} if value else None,
        }

    return {
        "municipality": {"koryu_entry_municipality": selected(code)},
        "description": {"value": {"type": "plain_text_input", "value": description}},
        "department": {"koryu_entry_department": selected(department)},
        "period": {"value": {"type": "plain_text_input", "value": period or None}},
        "start": {"value": {"type": "datepicker", "selected_date": start}},
        "end": {"value": {"type": "datepicker", "selected_date": end}},
        "note": {"value": {"type": "plain_text_input", "value": note or None}},
    }


def _submit(app, callback_id: str, private_metadata: str, values: dict | None = None, user: str = "UUSER1") -> tuple[int, dict]:
    status, response, _ = app.submit_view(callback_id, private_metadata, values or {}, user=user)
    return status, (json.loads(response) if response.strip() else {})


def _from_message(app, text: str) -> dict:
    """The message shortcut 交流として登録 on a message saying `text`; returns the modal it opens."""
    s = app.standin
    before = len(s.of("views.open"))
    status, _ = _interactive(
        app,
        {
            "type": "message_action",
            "callback_id": "koryu_entry_from_message",
            "trigger_id": "1.2.6",
            "user": {"id": "UUSER1"},
            "team": {"id": "T0KORYU"},
            "channel": {"id": "C0GENERAL"},
            "message": {"type": "message", "text": text, "ts": "1.1"},
            "response_url": f"{s.base}/response/ms",
            "token": "legacy",
        },
    )
    assert status == 200
    return _view(next_call(s, "views.open", before))


def _view(call) -> dict:
    v = call.params["view"]
    return v if isinstance(v, dict) else json.loads(v)


def _ids(db, question: str) -> list[str]:
    return [r["id"] for r in json.loads(run("ask", question, "--json", "--limit", "0", "--db", db).stdout)["records"]]


def test_an_event_is_recorded_through_the_modal_and_found_at_once(app):
    s = app.standin
    before = len(s.of("views.open"))
    status, _, elapsed = app.command("登録")
    assert status == 200 and elapsed < 3
    modal = _view(next_call(s, "views.open", before))
    assert modal["callback_id"] == "koryu_entry" and modal["title"]["text"] == "交流を登録"
    assert {b["block_id"] for b in modal["blocks"]} >= {"municipality", "description", "department", "period", "note"}

    # options: the partner first (typed in kana), then the national list; a department known, or the one typed
    munis = _options(app, "koryu_entry_municipality", "かなざわ")
    assert munis[0]["value"] == "172014" and "交流自治体" in munis[0]["text"]["text"]
    assert any(o["value"] == "141089" for o in munis)  # 神奈川県横浜市金沢区, after the partner
    assert _options(app, "koryu_entry_municipality", "kumamoto")[0]["text"]["text"].startswith("熊本")
    depts = _options(app, "koryu_entry_department", "アカデミー")
    assert [o["value"] for o in depts][:2] == ["アカデミー", "アカデミー推進課"]

    # field errors, in Japanese, next to the fields
    status, response = _submit(app, "koryu_entry", modal["private_metadata"], _values(None, "x", "経済課", "R8.7.1"))
    assert response == {"response_action": "errors", "errors": {"municipality": "交流自治体を選んでください"}}
    status, response = _submit(
        app, "koryu_entry", modal["private_metadata"], _values("172014", "朝顔市で物産展", "経済課", "R8.13.40")
    )
    assert response["response_action"] == "errors" and "実施期間を読めません" in response["errors"]["period"]
    status, response = _submit(app, "koryu_entry", modal["private_metadata"], _values("172014", "朝顔市で物産展", "経済課"))
    assert response["errors"] == {"period": "実施期間を入力するか、開始日を選んでください"}
    status, response = _submit(
        app, "koryu_entry", modal["private_metadata"], _values("172014", "x", "経済課", start="2026-07-21", end="2026-07-20")
    )
    assert response["errors"] == {"end": "終了日が開始日より前です"}

    # a valid one: the days read are shown before saving (date pickers are read as the notation)
    values = _values(
        "172014", "朝顔市で金沢市の物産展", "アカデミー推進課", start="2026-07-20", end="2026-07-21", note="区報8月号に掲載"
    )
    status, response = _submit(app, "koryu_entry", modal["private_metadata"], values)
    assert status == 200 and response["response_action"] == "update"
    confirm = response["view"]
    shown = json.dumps(confirm["blocks"], ensure_ascii=False)
    assert confirm["callback_id"] == "koryu_entry_confirm" and "2026年7月20日(月)～7月21日(火)" in shown
    assert "R8.7.20～7.21" in shown and "令和8年度交流実績一覧（登録分）" in shown and "区報8月号に掲載" in shown

    before = len(s.of("chat.postMessage"))
    status, response = _submit(app, "koryu_entry_confirm", confirm["private_metadata"])
    assert status == 200 and response == {}  # the modal closes
    confirmation = next_call(s, "chat.postMessage", before).params
    assert confirmation["channel"] == "UUSER1" and "登録しました" in confirmation["text"]
    btn = buttons(confirmation["blocks"] if isinstance(confirmation["blocks"], list) else json.loads(confirmation["blocks"]))
    record_id = btn["koryu_entry_undo"]["value"]
    assert _ids(app.db_path, "金沢市 朝顔市で金沢市の物産展") == [record_id]
    assert btn["koryu_entry_edit"]["value"] == record_id

    # the same event again is refused next to the description
    status, response = _submit(app, "koryu_entry", modal["private_metadata"], values)
    assert response["errors"] == {"description": "同じ記録がすでにあります"}

    # someone else may neither edit nor delete it
    for action in ("koryu_entry_edit", "koryu_entry_undo"):
        before = len(s.of("response"))
        app.action(block_action(action, record_id, ephemeral=False, response_url=f"{s.base}/response/x{action}", user="UOTHER"))
        said = next_call(s, "response", before).params
        assert "登録した人と管理者だけ" in said["text"]
    assert _ids(app.db_path, "金沢市 朝顔市で金沢市の物産展") == [record_id]
    # nor save an edit of it by a forged submission
    forged = json.dumps(
        {"m": "172014", "d": "書き換え", "dep": "経済課", "p": "R8.7.20", "n": "", "id": record_id}, ensure_ascii=False
    )
    before = len(s.of("chat.postMessage"))
    _submit(app, "koryu_entry_confirm", forged, user="UOTHER")
    assert "登録した人と管理者だけ" in next_call(s, "chat.postMessage", before).params["text"]

    # the author edits it: the modal opens filled in, the edit gets a new id, its note follows
    before = len(s.of("views.open"))
    app.action(block_action("koryu_entry_edit", record_id, ephemeral=False, response_url=f"{s.base}/response/e1"))
    edit_modal = _view(next_call(s, "views.open", before))
    assert json.loads(edit_modal["private_metadata"]) == {"id": record_id}
    assert "R8.7.20～7.21" in json.dumps(edit_modal, ensure_ascii=False) and "区報8月号に掲載" in json.dumps(
        edit_modal, ensure_ascii=False
    )
    values = _values("172014", "朝顔市で金沢市の物産展", "アカデミー推進課", period="R8.7.19～7.21", note="区報8月号に掲載")
    _, response = _submit(app, "koryu_entry", edit_modal["private_metadata"], values)
    before = len(s.of("chat.postMessage"))
    _submit(app, "koryu_entry_confirm", response["view"]["private_metadata"])
    edited = next_call(s, "chat.postMessage", before).params
    assert "直しました" in edited["text"]
    [new_id] = _ids(app.db_path, "金沢市 朝顔市で金沢市の物産展")
    assert new_id != record_id

    # an admin may delete it
    before = len(s.of("response"))
    app.action(block_action("koryu_entry_undo", new_id, ephemeral=False, response_url=f"{s.base}/response/u1", user=ADMIN))
    assert "取り消しました" in next_call(s, "response", before).params["text"]
    assert new_id not in _ids(app.db_path, "金沢市 朝顔市で金沢市の物産展")


def test_a_message_shortcut_fills_the_modal_in(app):
    modal = _from_message(app, "2026年7月20日〜21日の朝顔市で金沢市の物産展をやります")
    text = json.dumps(modal, ensure_ascii=False)
    muni = next(b for b in modal["blocks"] if b.get("block_id") == "municipality")["element"]["initial_option"]
    assert muni["value"] == "172014"
    assert "R8.7.20～7.21" in text and "朝顔市で金沢市の物産展をやります" in text


def test_export_uploads_the_years_list_to_an_admin(app):
    s = app.standin
    status, response, _ = app.command("export 2024 pdf", user="UUSER1")
    assert status == 200 and "管理者" in json.loads(response)["text"]
    before_upload, before_done = len(s.of("upload")), len(s.of("files.completeUploadExternal"))
    status, response, _ = app.command("export 2024 pdf", user=ADMIN)
    assert status == 200
    uploaded = next_call(s, "upload", before_upload)
    assert uploaded.body.startswith(b"%PDF")
    done = next_call(s, "files.completeUploadExternal", before_done).params
    assert done["channel_id"] == "DADMIN1" and "123件" in done["initial_comment"]


def test_an_announcement_without_a_year_is_read_in_this_fiscal_year(app):
    import datetime as dt

    from store.era import fiscal_year_of, year_in_fiscal_year

    modal = _from_message(app, "7/20〜21の朝顔市で金沢市の物産展をやります")
    year = year_in_fiscal_year(fiscal_year_of(dt.date.today()), 7)
    period = next(b for b in modal["blocks"] if b.get("block_id") == "period")["element"]["initial_value"]
    assert period == f"R{year - 2018}.7.20～7.21"
