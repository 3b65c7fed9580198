"""Questions as staff write them, against the FY2024 report: the gold sets (our own 262 questions written
from the record texts by a separate writer, and the shared dev set), every row of the table that opened
the work on sentences, the one-line answers, and the SQL a search runs."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from bot import render, wording
from store.query import Intent, PlaceKind
from store.query.tokenizer import default_tokenizer
from tests.conftest import koryu_bin
from tests.gold import record_index
from tests.gold import score as gold_score

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def truth(expected) -> list[dict]:
    return expected["records"]


@pytest.fixture(scope="module")
def index_of(truth):
    return record_index(truth)


def score(db, index_of, path: Path, today: dt.date | None):
    """(recall, precision, failures, questions) of a gold set (`tests.gold.score`)."""
    f = gold_score(db, index_of, path, today)
    return f.recall, f.precision, f.failures, f.n


@pytest.mark.slow
def test_own_sentence_gold(ingested, index_of):
    recall, precision, failures, n = score(ingested, index_of, FIXTURES / "queries_sentences_own.json", None)
    assert n >= 120
    assert recall >= 0.97 and precision >= 0.97, (recall, precision, failures)


@pytest.mark.slow
def test_second_writers_sentence_set(ingested, index_of):
    """183 more questions by another writer who saw neither the code nor the first set (worked on after
    its first run, so a floor, not a target)."""
    recall, precision, failures, n = score(ingested, index_of, FIXTURES / "queries_sentences_heldout.json", None)
    assert n >= 90 and recall >= 0.96 and precision >= 0.97, (recall, precision, failures)


def test_fourth_writers_staff_questions(ingested, index_of):
    """80 questions by a fourth writer who saw neither the code nor the other sets (first run: recall 0.902,
    precision 0.920, 56/80 — the honest estimate for unseen questions). Worked on after: 今週末 and 週末 as
    Saturday–Sunday, 秋ごろ as 秋, 協定先 / 姉妹都市 / 友好都市 as the partners themselves, an aside saying
    which kind of place (熊本市（県じゃなくて市のほう）) set aside. Left as the writer and koryu disagree: an
    open-ended period (R6.6.17～) runs to the end of the fiscal year here."""
    recall, precision, failures, n = score(ingested, index_of, FIXTURES / "queries_sentences_fourth.json", None)
    assert n == 80 and recall >= 0.92 and precision >= 0.95, (recall, precision, failures)


@pytest.mark.slow
def test_third_writers_messages(ingested, index_of):
    """100 messages as a busy workspace writes them — greetings and reasons before the question, hedged
    and indirect questions, うちの課, superlatives — by a third writer (worked on after its first run:
    0.906 / 0.883)."""
    recall, precision, failures, n = score(ingested, index_of, FIXTURES / "queries_sentences_third.json", None)
    assert n >= 100 and recall >= 0.97 and precision >= 0.97, (recall, precision, failures)


def test_shared_sentence_dev_set(ingested, index_of):
    recall, precision, failures, _ = score(ingested, index_of, FIXTURES / "queries_sentences_dev.json", dt.date(2026, 12, 1))
    assert recall == 1.0 and precision == 1.0, failures


# --------------------------------------------------------------------------- the table that opened the work
def during(a: str, b: str):
    a_, b_ = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    return lambda r: any(
        dt.date.fromisoformat(s) <= b_ and (e is None or dt.date.fromisoformat(e) >= a_) for s, e in r["intervals"]
    )


def has(*words):
    return lambda r: any(w in r["description"] for w in words)


def code(*codes):
    return lambda r: r["municipality_code"] in codes


def both(p, q):
    return lambda r: p(r) and q(r)


TODAY = dt.date(2026, 12, 1)  # the day the table was written: 昨年度 = FY2025, 今年度 = FY2026, neither stored
ROWS = [
    ("魚沼の交流", code("152251")),
    ("石岡市とどんな交流をしましたか", code("082058")),
    ("玉名市の件を教えてください！", code("432067")),
    ("津和野の給食は？", both(code("325015"), has("給食"))),
    ("経済課の事業", lambda r: r["department"] == "経済課"),
    ("沖縄県の自治体", lambda r: r["municipality_code"].startswith("47")),
    ("熊本県", code("430005")),
    ("東北の交流先", lambda r: r["municipality_code"][:2] in ("02", "03", "04", "05", "06", "07")),
    ("具志川市", code("472131")),
    ("日原町", code("325015")),
    ("お祭り", has("祭", "まつり")),
    ("こども", has("子ども", "子供", "こども")),
    ("講演会", has("講演")),
    ("春のイベント", during("2024-03-01", "2024-05-31")),
    ("年末年始", during("2024-12-29", "2025-01-03")),
    ("夏休み", during("2024-07-21", "2024-08-31")),
    ("うるま市 エイサー", code("472131")),
    ("ＪーＶＥＲ", has("J-VER")),
    ("11月16日ー18日", during("2024-11-16", "2024-11-18")),
    ("金沢市 物産展 :pray:", both(code("172014"), has("物産展"))),
    ("🍜 盛岡の物産展", both(code("032018"), has("物産"))),  # 物産販売 too: a related word (data/related.tsv)
]


@pytest.mark.parametrize("question,rule", ROWS, ids=[r[0] for r in ROWS])
def test_every_row_of_the_table(ingested, truth, index_of, question, rule):
    res = ingested.ask(question, limit=None, today=TODAY)
    want = {i for i, r in enumerate(truth) if rule(r)}
    assert want and index_of(res.records) == want, (question, res.answered.label())


def test_table_notes(ingested):
    """The right column's words: which reading was used, old names with a note, variants shown, the
    looser answer labelled, the stored fiscal years named instead of a bare 0件."""
    res = ingested.ask("熊本県", today=TODAY)
    assert "熊本県内も含めると 33件です。" in wording.notes(res)[0]
    assert res.alternatives[0].label == "熊本県内" and res.alternatives[0].total == 33
    assert ingested.ask(res.alternatives[0].ask, today=TODAY).total == 33
    assert any("合併で沖縄県うるま市" in n for n in wording.notes(ingested.ask("具志川市", today=TODAY)))
    assert any("合併で島根県津和野町" in n for n in wording.notes(ingested.ask("日原町", today=TODAY)))
    assert wording.header(ingested.ask("お祭り", today=TODAY)) == "お祭り（祭・まつり）: 8件"
    uruma = ingested.ask("うるま市 エイサー", today=TODAY)
    assert uruma.relaxed.reason == "unknown_words" and [t.text for t in uruma.relaxed.dropped] == ["エイサー"]
    assert wording.notes(uruma) == ["「エイサー」を含む記録はないため、除いて探しました。"]
    for asked, fy in (("昨年度", 2025), ("今年度", 2026)):
        res = ingested.ask(asked, today=TODAY)
        assert res.total == 0 and res.outside_data
        assert wording.answer_line(res) == f"{fy}年度の記録はありません。保存されている報告書は 2024年度 です。"
    spring = ingested.ask("春のイベント", today=TODAY)
    assert spring.query.dates[0].label == "春（2024年3月～5月）"
    holidays = ingested.ask("夏休み", today=TODAY)
    assert holidays.query.dates[0].label == "夏休み（2024年7月21日～8月31日）"


def test_a_combination_nothing_has_says_what_each_part_finds(ingested):
    res = ingested.ask("盛岡市 給食", today=TODAY)
    assert res.total == 0 and not res.relaxed
    assert wording.answer_line(res) == "盛岡市 × 給食に当てはまる記録はありません（盛岡市 8件、給食 3件 はそれぞれあります）。"
    assert [a.ask for a in res.alternatives] == ["盛岡市", "給食"]


def test_a_real_place_with_no_records_is_never_dropped(ingested):
    res = ingested.ask("大阪市の物産展", today=TODAY)
    assert res.total == 0 and not res.relaxed and wording.answer_line(res) == "「大阪市」との交流記録はありません。"


def test_a_word_no_record_holds_is_tried_as_its_parts(ingested):
    res = ingested.ask("甲州市の朝顔市", today=TODAY)
    assert res.total == 1 and res.relaxed.split[0].text == "朝顔市"
    assert "「朝顔市」を含む記録はないため、「朝顔」で探しました。" in wording.notes(res)


# ------------------------------------------------------------------------------------------- the answers
@pytest.mark.parametrize(
    "question,intent,answer",
    [
        (
            "うるま市の交流はいつ？",
            Intent.WHEN,
            "うるま市は 2024年7月30日～2025年3月8日 の9件です（2024年7月 1件、8月 1件、10月 2件、11月 1件、2025年2月 1件、3月 3件）。",
        ),
        (
            "くまモンが来たのはいつ？",
            Intent.WHEN,
            "くまモンは 2024年5月30日～2025年3月8日 の3件です（2024年5月 2件、2025年3月 1件）。",
        ),
        ("柔道教室はいつ？", Intent.WHEN, "柔道教室は 2024年8月29日(木) です。"),
        (
            "防災ミーティングはどこと？",
            Intent.WHERE,
            "防災ミーティングは 9自治体: 盛岡市 1件、石岡市 1件、魚沼市 1件、金沢市 1件、甲州市 1件、津和野町 1件、福山市 1件、玉名市 1件、上天草市 1件",
        ),
        ("柔道教室はどこの自治体と？", Intent.WHERE, "柔道教室は 金沢市 との交流です（1件）。"),
        ("盛岡市と何件交流した？", Intent.COUNT, "盛岡市は 8件です。"),
        (
            "熊本県内の自治体との交流件数",
            Intent.COUNT,
            "熊本県内は 33件です（4自治体: 玉名市 14件、熊本県 11件、熊本市 4件、上天草市 4件）。",
        ),
        ("子ども宅食の担当はどの課？", Intent.DEPARTMENT, "子ども宅食の所管課は 子育て支援課 です（3件）。"),
        ("くまモンの担当は？", Intent.DEPARTMENT, "くまモンの所管課は アカデミー推進課 です（3件）。"),
        (
            "新宿区とどんな交流をした？",
            Intent.WHAT,
            "新宿区は 2件: 「東京都水道歴史館、新宿区立新宿歴史博物館及び文京ふるさと歴史館の３館合同でスタ…」、「交流都市の東京都新宿区漱石山房記念館での学芸員講座講師依頼」",
        ),
        ("金沢市 物産展", Intent.LIST, "金沢市 × 物産展: 5件"),
        (
            "交流自治体の一覧",
            Intent.WHERE,
            "交流先は 14自治体: 津和野町 21件、金沢市 20件、玉名市 14件、熊本県 11件、うるま市 9件、魚沼市 8件、盛岡市 8件、石岡市 7件、ほか6自治体 25件",
        ),
        ("学務課が担当した事業は？", Intent.LIST, "学務課: 4件"),
        ("経済課の担当した交流はいつ？", Intent.WHEN, "経済課は 2024年11月15日(金)～11月16日(土) です（10件とも同じ期間）。"),
        ("まだ物産展をやっていない自治体は？", Intent.WHERE, "物産展のない交流先は 2自治体: 玉名市 14件、新宿区 2件"),
        (
            "熊本市で物産展をしていない自治体",
            Intent.WHERE,
            "熊本市 × 物産展のない交流先はありません（当てはまる交流先には、どれも「物産展」の記録があります）。",
        ),
    ],
)
def test_one_line_answers(ingested, question, intent, answer):
    res = ingested.ask(question, today=TODAY)
    assert res.answered.intent == intent and wording.answer_line(res) == answer


def test_records_within_the_dates_come_first(ingested):
    """11月の交流: records held in November come before the year-long ones that only overlap it."""
    res = ingested.search(ingested.parse("11月の交流", today=TODAY), limit=None)
    inside = [r.start >= "2024-11-01" and (r.end or "9999") <= "2024-11-30" for r in res.records]
    assert True in inside and False in inside  # the report has both kinds
    assert inside == sorted(inside, reverse=True)


def test_counts_by_month_answer(ingested):
    res = ingested.ask("物産展 月別", today=TODAY)
    assert res.counts[0] == ("2024年4月", 1) and sum(n for _, n in res.counts) == res.total
    assert wording.answer_line(res).startswith("物産展は 26件です（2024年4月 1件、7月 3件、8月 2件、")


def test_answer_comes_first_in_text_and_slack(ingested):
    res = ingested.ask("うるま市の交流はいつ？", today=TODAY)
    text = wording.result_text(res).splitlines()
    assert text[0] == wording.answer_line(res) and text[1] == "うるま市: 9件"
    blocks = render.result_blocks(res)
    assert blocks[0]["type"] == "header" and blocks[1]["text"]["text"] == f"*{wording.answer_line(res)}*"


@pytest.mark.slow
def test_cli_json_carries_intent_and_answer(ingested_path):
    p = subprocess.run(
        [koryu_bin(), "ask", "盛岡市と何件交流した？", "--json", "--limit", "0", "--db", str(ingested_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    out = json.loads(p.stdout)
    assert out["intent"] == "count" and out["answer"] == "盛岡市は 8件です。" and out["total"] == len(out["records"]) == 8
    assert out["interpretation"]["places"][0]["kind"] == "municipality"
    p = subprocess.run(
        [koryu_bin(), "ask", "うるま市 エイサー", "--json", "--db", str(ingested_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    out = json.loads(p.stdout)
    assert out["relaxed"]["reason"] == "unknown_words" and out["relaxed"]["dropped"] == ["エイサー"] and out["total"] == 9


# ----------------------------------------------------------------------------------------------- the SQL
@pytest.mark.parametrize("question", ["熊本 物産展 3月", "金沢市 物産展以外", "九州の給食はいつ？", "経済課 何件"])
def test_search_sql_is_exactly_what_runs(ingested, question):
    """Every statement search() executes, in order, is one search_sql() returned (a golden check by
    SQLite's own trace of the connection)."""
    q = ingested.parse(question, today=TODAY)
    ingested.lexicon(TODAY)  # built before tracing: its statements are not the search's
    planned = [st.sql for st in ingested.search_sql(q, today=TODAY)]
    ran: list[str] = []
    ingested.conn.set_trace_callback(ran.append)
    try:
        res = ingested.search(q, today=TODAY)
    finally:
        ingested.conn.set_trace_callback(None)
    assert res.total > 0 and not res.relaxed
    # FTS5 reads its own shadow tables ('main'.'records_fts_…') and nested statements are traced with "-- "
    executed = [s for s in ran if not s.startswith(("PRAGMA", "BEGIN", "COMMIT", "--")) and "'main'." not in s]
    assert [_shape(s) for s in executed] == [_shape(s) for s in planned], executed


def _shape(sql: str) -> str:
    """A traced statement has its parameters bound: compare the statement with the values taken out."""
    return re.sub(r"'(?:[^']|'')*'|\b\d+\b|\?", "?", sql)


def test_search_sql_shows_the_ranking_and_the_fts_phrases(ingested):
    statements = ingested.search_sql(ingested.parse("熊本 講演会"))
    # a list answer needs no figures; 熊本 is read as 熊本県・熊本市, and what 熊本県内 would find is counted
    assert [st.purpose for st in statements] == ["ids", "rank", "page", "other_reading"]
    assert '"講演 演会"' in statements[0].params[0] and "430005" in statements[0].params
    assert "instr(r.search_text, ?) = 0" in statements[1].sql and "講演会" in statements[1].params
    # named exactly (熊本県) and by a short name (熊本 → 熊本市): exact names rank first
    ranked = ingested.search_sql(ingested.parse("熊本県 熊本 いつ？"))
    assert [st.purpose for st in ranked] == ["ids", "rank", "page", "municipalities", "months", "span", "other_reading"]
    assert "CASE WHEN" in ranked[1].sql


def test_place_scope_uses_the_prefecture_code_range(ingested):
    q = ingested.parse("熊本県内")
    assert q.places[0].kind == PlaceKind.SCOPE
    ids = ingested.search_sql(q)[0]
    assert "municipality_code >= ? AND municipality_code < ?" in ids.sql and ids.params[:2] == ("43", "44")


def test_an_open_end_reaches_the_end_of_its_fiscal_year_only(ingested):
    """R6.6.17～ (子ども宅食, until further notice) is in every FY2024 window after June, and in none of 2026."""
    assert any("子ども宅食" in r.description for r in ingested.ask("2025年2月", limit=None, today=TODAY).records)
    res = ingested.ask("先月", today=TODAY)  # November 2026
    assert res.total == 0 and res.outside_data


def test_a_place_with_no_records_that_the_records_mention(ingested):
    res = ingested.ask("大洲市とは交流ある？", today=TODAY)
    assert res.total == 0 and not res.relaxed
    assert wording.answer_line(res) == "「大洲市」との交流記録はありません。（記録の中に「大洲市」が出てくるものは 1件あります）"
    assert res.alternatives[-1].ask == "「大洲市」" and ingested.ask("「大洲市」").total == 1


def test_counting_partners_and_departments(ingested):
    res = ingested.ask("物産展をやった自治体は何か所？", today=TODAY)
    assert wording.answer_line(res).startswith("物産展・物産（意味の近い語）は 12自治体です（29件: 津和野町 7件、金沢市 5件、")
    res = ingested.ask("課別", today=TODAY)
    assert res.counts[0] == ("アカデミー推進課", 77) and sum(n for _, n in res.counts) == 123


@pytest.mark.parametrize(
    "question,word",
    [
        ("くみおどり", "組踊"),
        ("うめまつり", "梅まつり"),
        ("くまもんのすてーじ", "ステージ"),
        ("すたんぷらりー", "スタンプラリー"),
    ],
)
def test_words_typed_in_kana_find_the_kanji(ingested, question, word):
    """The index keeps each description's kana reading (schema 7), and words typed in kana that the
    analyser cuts apart are put back together (くみ|おどり)."""
    res = ingested.ask(question, limit=None, today=TODAY)
    assert res.total and all(word in r.description for r in res.records), (question, [r.description for r in res.records])


# --------------------------------------------------------------------------------- rankings, small ones
@pytest.mark.parametrize(
    "question, line",
    [
        ("一番多い自治体は？", "一番多い自治体は 津和野町（21件）です。続いて 金沢市 20件"),
        ("交流が一番少ない自治体は？", "一番少ない自治体は 新宿区（2件）です。"),
        ("県単位で一番多いのは？", "一番多い県は 熊本県（33件）です。"),
        ("金沢市と熊本県どっちが多い？", "金沢市 20件、熊本県 11件で、金沢市の方が多いです。"),
        ("金沢と盛岡、交流が少ないのはどっち？", "金沢市 20件、盛岡市 8件で、盛岡市の方が少ないです。"),
        ("物産展が一番多い自治体", "物産展・物産（意味の近い語）のうち一番多い自治体は 津和野町（7件）です。"),
        ("県ごとに合計したら一番多いのどこ県？", "一番多い県は 熊本県（33件）です。"),
        ("課別ランキング トップ2", "課別の件数: 1位 アカデミー推進課 77件、2位 "),
    ],
)
def test_rankings_answer_in_one_line_the_larger_first(ingested, truth, index_of, question, line):
    res = ingested.ask(question, limit=None, today=TODAY)
    assert wording.answer_line(res).startswith(line), wording.answer_line(res)
    first = res.records[0].municipality
    if "少ない" in question and "どっち" not in question:
        assert first.endswith("新宿区")
    elif "どっち" in question:
        assert first.endswith("金沢市")


def test_two_months_compared_count_each_month(ingested):
    """Each record counts once, in the month it starts (as staff count 7月の交流 — two gold writers did): an
    event running from July into August is July's."""
    res = ingested.ask("7月と8月ではどちらが多いですか", limit=None, today=TODAY)
    assert wording.answer_line(res) == "2024年7月 17件、2024年8月 5件で、2024年7月の方が多いです。"
    assert res.total == 22


def test_small_ones(ingested, index_of, truth):
    between = ingested.ask("金沢市との間でどのような物産展を行いましたか", limit=None, today=TODAY)
    assert between.total == 5 and [t.text for t in between.answered.terms] == ["物産展"]
    typed = ingested.ask("金沢氏の物産展", limit=None, today=TODAY)
    assert typed.total == 5 and "「金沢氏」を「金沢市」として検索しました" in wording.notes(typed)
    either = ingested.ask("給食と防災", limit=None, today=TODAY)
    lunch = {i for i, r in enumerate(truth) if "給食" in r["description"]}
    assert lunch and lunch <= index_of(either.records) and either.total > len(lunch)
    assert "「給食」「防災」を両方含む記録はないため、どれかを含む記録を示します。" in wording.notes(either)
    topic = ingested.ask("組踊の公演", limit=None, today=TODAY)  # not a list: the topic kept, the rest left out
    assert "「公演」を除いて" in " ".join(wording.notes(topic))
    nothing = ingested.ask("🍙 相撲", limit=None, today=TODAY)
    assert nothing.total == 0 and wording.answer_line(nothing).startswith("「相撲")
    assert "例のように聞いてください" in wording.answer_line(nothing)


# --------------------------------------------------------------------------------- English, near words
def test_english_questions_are_read_through_the_records_words(ingested, truth, index_of):
    lunch = ingested.ask("school lunch events", limit=None, today=TODAY)
    assert index_of(lunch.records) == {i for i, r in enumerate(truth) if "給食" in r["description"]}
    assert wording.answer_line(lunch) == "給食: 3 records."
    assert "英語の質問を「給食」として読みました" in wording.notes(lunch)
    rally = ingested.ask("Which cities took part in the restaurant stamp rally?", limit=None, today=TODAY)
    line = wording.answer_line(rally)
    assert line.startswith("飲食店 × スタンプラリー: 7 partner municipalities — ") and "Kanazawa 1" in line, line
    kumamon = ingested.ask("When did Kumamon show up?", limit=None, today=TODAY)
    assert {"くまモン" in r.description for r in kumamon.records} == {True} and kumamon.total >= 3
    assert wording.answer_line(kumamon).endswith("2024-05-30 to 2025-03-08.")
    soseki = ingested.ask("Natsume Soseki lectures", limit=None, today=TODAY)
    assert soseki.total >= 1 and all("漱石" in r.description for r in soseki.records)
    sumo = ingested.ask("When was the sumo event?", limit=None, today=TODAY)  # a word no record holds: none
    assert sumo.total == 0 and "例のように聞いてください" in wording.answer_line(sumo)
    most = ingested.ask("Which city had the most exchanges?", limit=None, today=TODAY)
    assert wording.answer_line(most).startswith("Most records: Tsuwano 21, Kanazawa 20")
    # romaji alone is Japanese read as written, and emoji shortcodes are not English
    assert ingested.ask("kanazawa", today=TODAY).query.language == "ja"
    assert ingested.ask("金沢市 物産展 :slightly_smiling_face:", today=TODAY).total == 5


def test_a_word_no_record_holds_is_read_as_the_records_nearest_words_and_labelled(ingested, truth, index_of):
    sweets = ingested.ask("スイーツ系のコラボを探しています", limit=None, today=TODAY)
    assert {"デザート" in r.description or "パフェ" in r.description for r in sweets.records} == {True}
    assert "スイーツ → デザート・パフェ（意味の近い語）" in sweets.answered.label()
    assert "「スイーツ」を含む記録はないため、意味の近い語「デザート」「パフェ」で探しました。" in wording.notes(sweets)
    # a verb's neighbours are other things, and near words never stand in for generic ones (交流, イベント)
    trainees = ingested.ask("交流自治体の職員を研修で受け入れた実績ある？", limit=None, today=TODAY)
    assert trainees.total == 0
    joined = ingested.ask("スタンプラリーに参加したのは何自治体ですか", limit=None, today=TODAY)
    assert "意味の近い語" not in joined.answered.label() and joined.total >= 7
    # literal parts of a compound come before a near meaning by the vectors (金沢ゆかり → 金沢・ゆかり)
    assert " → " not in ingested.ask("金沢ゆかりの文学者", limit=None, today=TODAY).answered.label()


def test_a_word_is_widened_into_its_related_words_ranked_after_it_and_labelled(ingested):
    kids = ingested.ask("子ども向けの交流", limit=None, today=TODAY)
    label = kids.answered.label()
    assert "（意味の近い語）" in label and "小学生" in label, label
    holds = ["子ども" in r.description or "こども" in r.description or "子供" in r.description for r in kids.records]
    assert any(holds) and not all(holds)  # the related words found more than the word as typed
    assert holds == sorted(holds, reverse=True)  # the word as typed first
    # a related word already covered by a shorter one is not searched twice (物産 finds 物産販売)
    fair = ingested.ask("盛岡市の物産展", limit=None, today=TODAY)
    assert any("物産販売" in r.description for r in fair.records) and "物産販売" not in fair.answered.label()
    # a word no record holds is read through the reviewed list first, and said so
    tv = ingested.ask("ウェブ会議でやった交流", limit=None, today=TODAY)
    assert tv.total >= 3 and {"オンライン" in r.description for r in tv.records} == {True}
    assert "「ウェブ会議」を含む記録はないため、意味の近い語「オンライン」で探しました。" in wording.notes(tv)
    # excluded words are widened too
    not_fair = ingested.ask("津和野町の物産展じゃないイベント", limit=None, today=TODAY)
    assert not any("物産" in r.description for r in not_fair.records) and not_fair.total > 0


def test_without_the_dictionary_english_is_left_to_the_place_reader(tmp_path):
    from store.query import Lexicon, parse
    from store.query.meanings import Dictionary, Meanings

    lex = Lexicon.build([], [], [2024], dt.date(2025, 2, 20))
    lex._meanings = Meanings.build(["金沢市の物産展"], default_tokenizer(), Dictionary(str(tmp_path / "missing.db")))
    q = parse("school lunch events", lex)
    assert q.language == "en" and [t.text for t in q.terms] == ["school", "lunch"]


@pytest.mark.slow
def test_fifth_writers_set_near_words_english_comparisons_follow_ups(ingested, index_of):
    """178 questions by a fifth writer who saw neither the code nor the other sets, in seven styles (first run,
    before English and near words were read: recall 0.615, precision 0.615; see README). The issue's bar:
    recall and precision 0.95 or more."""
    f = gold_score(ingested, index_of, FIXTURES / "queries_sentences_fifth.json")
    assert f.n >= 150
    assert f.recall >= 0.95 and f.precision >= 0.95, (f.recall, f.precision, f.by_kind, f.failures)
    assert f.by_kind["english"][1] >= 0.93 and f.by_kind["compare"][1] >= 0.9 and f.by_kind["multi"][1] >= 0.9, f.by_kind


@pytest.mark.slow
def test_sixth_writers_held_out_set(ingested, index_of):
    """84 questions by a sixth writer, written after the work on the fifth set and run once before any change
    (first run: recall 0.797, precision 0.807 — the honest estimate for unseen questions; README)."""
    f = gold_score(ingested, index_of, FIXTURES / "queries_sentences_sixth.json")
    assert f.n >= 80 and f.recall >= 0.83 and f.precision >= 0.84, (f.recall, f.precision, f.by_kind, f.failures)


@pytest.mark.slow
def test_seventh_writers_held_out_set(ingested, index_of):
    """105 questions by a seventh writer, written after the reviewed related words and run once before any
    change (first run: recall 0.850, precision 0.903 — the honest estimate for unseen questions; README). Worked
    on after: 郷土芸能, 調印式, ライブラリー as related words; 夏目漱石 found as 漱石."""
    f = gold_score(ingested, index_of, FIXTURES / "queries_sentences_seventh.json")
    assert f.n == 105 and f.recall >= 0.87 and f.precision >= 0.92, (f.recall, f.precision, f.by_kind, f.failures)


def test_a_writer_is_found_by_the_pen_name_records_use(ingested):
    """夏目漱石 → 漱石 (the analyser's surname + given name of kanji), never 金沢ゆかり → ゆかり."""
    lectures = ingested.ask("夏目漱石の講演", limit=None, today=TODAY)
    assert lectures.total == 4 and all("漱石" in r.description for r in lectures.records)
    assert "ゆかり" not in ingested.parse("金沢ゆかりの文化人", today=TODAY).terms[0].alternatives[1:]


# --------------------------------------------------------------------------- what an attack with odd input found
@pytest.mark.parametrize(
    "question, after, line",
    [
        ("events not in Kanazawa", (), "金沢市を除く: 103 records."),
        ("Kanazawa NOT 物産展", (), "金沢市 × 物産展を除く: 15 records."),
        ("盛岡 how many", (), "盛岡市: 8 records."),
        ("金沢 food fair はいつ？", (), "金沢市 × 物産展: 5 records, 2024-04-13 to 2025-03-08."),
        ("top 3 municipalities", (), "Ranking: Tsuwano 21, Kanazawa 20, Tamana 14."),
        ("Compare Kanazawa and Tsuwano", (), "津和野町 21, 金沢市 20: 津和野町 has more."),
        ("events on 2025-03-08", (), "2025年3月8日: 20 records."),
        ("When?", ("Kanazawa food fair",), "金沢市 × 物産展: 5 records, 2024-04-13 to 2025-03-08."),
        ("物産展と給食、どっちが多い？", (), "物産展 29件、給食 3件で、物産展の方が多いです。"),
        ("どっちが多い？", ("金沢市", "津和野町"), "津和野町 21件、金沢市 20件で、津和野町の方が多いです。"),
        ("課のランキング", (), "課別の件数: 1位 アカデミー推進課 77件"),
    ],
)
def test_odd_questions_an_attack_found(ingested, question, after, line):
    res = ingested.ask(question, limit=None, today=TODAY, after=after)
    assert wording.answer_line(res).startswith(line), wording.answer_line(res)


@pytest.mark.parametrize("question", ["the of and a an to is", "https://example.com/kanazawa?q=x", "foo@example.com"])
def test_nothing_to_read_is_said_so(ingested, question):
    res = ingested.ask(question, today=TODAY)
    assert res.total == 0 and wording.answer_line(res).startswith("質問から探す言葉を読み取れませんでした")


def test_a_message_is_at_most_ten_questions_and_bare_marks_are_not_questions():
    from store.query.followup import MAX_QUESTIONS, split_questions

    assert split_questions("金沢市の物産展はいつ？ね？") == ["金沢市の物産展はいつ？ね？"]
    assert split_questions("え？金沢市の物産展？") == ["え？金沢市の物産展？"]
    assert len(split_questions("金沢市？" * 400)) == MAX_QUESTIONS == 10


def test_a_compound_whose_records_hold_only_its_head_is_not_answered_by_the_head(ingested):
    """マラソン大会: the records hold 大会 but never マラソン — every 大会 is no answer about a marathon (0件, the
    word named); 竹あかり, whose first part is one character, is still answered by あかり (たけあかり)."""
    res = ingested.ask("マラソン大会の交流", limit=None, today=TODAY)
    assert res.total == 0 and "マラソン大会" in wording.answer_line(res)
    lit = ingested.ask("竹あかりを飾ったのはいつですか", limit=None, today=TODAY)
    assert lit.total > 0 and all("あかり" in r.description for r in lit.records)


@pytest.mark.parametrize(
    "question,low,high",
    [("交流が5件以下の自治体を少ない順に", 1, 5), ("10件以上の課は？", 10, 10**6), ("3件未満の自治体", 1, 2)],
)
def test_a_bound_on_the_count_ranks_only_the_groups_within_it(ingested, question, low, high):
    """5件以下の自治体 / 10件以上の課 / 3件未満: the groups whose counts lie within the bound, and only their
    records; the bound is said in the answer or the fewest named."""
    res = ingested.ask(question, limit=None, today=TODAY)
    assert res.ranking and all(low <= n <= high for _, n in res.ranking), res.ranking
    assert res.total == sum(n for _, n in res.ranking)
    line = wording.answer_line(res)
    assert "件以下" in line or "件以上" in line or line.startswith("一番少ない"), line


def test_an_aside_restating_a_part_of_the_year_in_months_is_not_read_as_more_dates(ingested):
    """上半期（4〜9月開始）と下半期（10〜3月開始）: the asides restate the halves (their 開始 says: count by start);
    the question compares the two halves only, never 9月 or 3月 as dates of their own."""
    res = ingested.ask("上半期（4〜9月開始）と下半期（10〜3月開始）、どちらが多い？", limit=None, today=TODAY)
    assert [name for name, _ in res.ranking] == ["下半期（2024年10月～2025年3月）", "上半期（2024年4月～9月）"]
    plain = ingested.ask("上半期と下半期、開始月で比べるとどちらが多い？", limit=None, today=TODAY)
    assert res.ranking == plain.ranking


def test_who_asks_is_not_what_is_asked_about(ingested):
    """経済課の渡辺です。 introduces the asker: when no sentence alone asks for something to look for, the message is
    read without it — 経済課 is no filter (うちの課 would make it one)."""
    message = (
        "お世話になっております。経済課の渡辺です。文京博覧会に出展いただいた交流自治体の一覧が必要になりました。"
        "ご確認をお願いできますでしょうか。"
    )
    q = ingested.parse(message, today=TODAY)
    assert not q.departments and any("博覧" in t.text for t in q.terms)
    ours = ingested.parse("経済課の渡辺です。うちの課の交流はどれくらいありますか？", today=TODAY)
    assert ours.departments == ("経済課",)


def test_a_compound_in_a_list_of_exclusions_excludes_its_words_found_apart(ingested):
    """物産展や特産品販売ではないもの: 特産品販売 written 特産品の販売 in a record is excluded too — as it is found
    when asked alone."""
    res = ingested.ask("魚沼市との交流のうち、物産展や特産品販売ではないものだけ教えてください。", limit=None, today=TODAY)
    assert res.total > 0
    assert not any("特産品の販売" in r.description or "物産展" in r.description for r in res.records)


def test_a_question_asking_for_more_together_with_its_reason_keeps_the_reason(ingested):
    """…フェスタに参加する自治体を区報に載せたいので、出展内容とあわせて教えて: あわせて asks for the reason's subject
    too, so the reason is no context; a reason naming its topic (夏目漱石に関する…をまとめておりまして、) keeps it."""
    message = (
        "お疲れ様です。広報課の松本です。3月8日の都市交流フェスタに参加する自治体を区報に載せたいので、"
        "出展内容とあわせて教えていただけますか。"
    )
    res = ingested.ask(message, limit=None, today=TODAY)
    assert res.total >= 10 and all("フェスタ" in r.description for r in res.records)
    topic = ingested.parse(
        "図書館の伊藤です。夏目漱石に関する交流事業をまとめておりまして、講演や展示を教えていただけますと助かります。",
        today=TODAY,
    )
    assert any("漱石" in t.text for t in topic.terms) and any("講演" in t.text for t in topic.terms)


def test_a_request_after_the_question_narrows_it(ingested):
    """今月まだ予定されている交流事業はありますでしょうか。本日以降で2月中に始まるものを教えてください。: the request
    after the question is read with it, and 本日以降 cuts 2月 to the days from today (an open bound beside a
    period narrows it, never adds to it): what starts or still runs from today on."""
    today = dt.date(2025, 2, 20)
    message = (
        "企画課の小林です。今月まだ予定されている交流事業はありますでしょうか。本日以降で2月中に始まるものを教えてください。"
    )
    res = ingested.ask(message, limit=None, today=today)
    assert res.total > 0 and all((r.end or "9999") >= today.isoformat() for r in res.records), res.records
    assert all(d.start == today and d.end == dt.date(2025, 2, 28) for d in res.answered.dates), res.answered.dates
    assert ingested.ask("7月と8月の交流", limit=None, today=TODAY).answered.dates[1].start == dt.date(2024, 8, 1)


def test_thanks_in_advance_is_not_the_topic(ingested):
    """…関連する記録をまとめて教えていただけますと助かります。: 助かる is politeness, so the message's topic (津和野町
    のお米) is read from its other sentences instead of searching for 助かる."""
    message = (
        "子育て支援課の山本です。津和野町さんからお米をいただいている件で、今年度のやりとりの経過を課内で共有したいと"
        "考えております。関連する記録をまとめて教えていただけますと助かります。"
    )
    res = ingested.ask(message, limit=None, today=dt.date(2025, 2, 20))
    assert res.total > 0 and all("津和野" in r.municipality and "米" in r.description for r in res.records)


def test_a_place_s_thing_and_another_place_s_thing_are_two_questions():
    """石岡市のバスツアーと魚沼市の移動教室について教えて asks two things; 金沢市と津和野町の物産展 asks one, and a
    phrase whose verb governs the second (…と金沢市の食材を使った件) is not cut."""
    from store.query import split_questions

    assert split_questions("石岡市のバスツアーと魚沼市の移動教室について教えて") == [
        "石岡市のバスツアーについて教えて",
        "魚沼市の移動教室について教えて",
    ]
    assert split_questions("金沢市と津和野町の物産展") == ["金沢市と津和野町の物産展"]
    assert len(split_questions("文京区の給食と金沢市の食材を使った件")) == 1


@pytest.mark.parametrize(
    "question,found,never",
    [
        ("伝統の舞を観たり習ったりした交流", "踊|神楽", ""),  # 伝統 qualifies 舞: left out first, 舞 read as 踊り, 神楽
        ("郷土の鍋料理を出した件", "芋煮", ""),  # the reviewed list knows 鍋料理 whole, before its part 料理
        ("戦争の記憶について若い子が現地へ行く取り組み", "平和", "宅食"),  # 子 alone is left out before 戦争 → 平和
    ],
)
def test_words_never_found_together_leave_out_the_qualifier_first(ingested, question, found, never):
    """When the words of a question are never found together, the one that says what kind (伝統, 郷土, 記憶;
    data/words.tsv role qualifier) or one letter alone (子) goes first, not the topic read through its related
    words."""
    res = ingested.ask(question, limit=None, today=dt.date(2025, 2, 20))
    assert res.total > 0 and all(re.search(found, r.description) for r in res.records), [r.description for r in res.records]
    assert not never or not any(never in r.description for r in res.records)


def test_related_words_of_appearances_ceremonies_beer_and_compounds_found_whole(ingested):
    """登場 is written 出演 or 披露; 式典 セレモニー; local beer 地ビール finds ビール; a compound found only as its
    words (周年記念 in 10周年を記念した) is widened too (周記念: ５周記念セレモニー)."""
    today = dt.date(2025, 2, 20)
    mascots = ingested.ask("マスコットが登場したイベントはある？", limit=None, today=today)
    assert any("出演" in r.description for r in mascots.records) and any(
        "くまモンによる" in r.description for r in mascots.records
    )
    anniversaries = ingested.ask("周年記念の式典や対談などの節目の行事を確認したいです。", limit=None, today=today)
    assert any("周記念セレモニー" in r.description for r in anniversaries.records)
    assert any("10周年" in r.description for r in anniversaries.records)
    beer = ingested.ask("where did we serve local beer", limit=None, today=today)
    assert beer.total == 2 and all("ビール" in r.description for r in beer.records)


def test_money_or_things_given_is_a_donation_not_the_letter_kin(ingested):
    """お金やモノの寄附: お金 says what a 寄附 is of; read as a word it would find 金 (金沢市 in every 金沢 record)."""
    res = ingested.ask(
        "寄附や義援金など、お金やモノの寄附が絡む交流があれば教えていただけないでしょうか。", limit=None, today=TODAY
    )
    assert res.total >= 4 and all(re.search("寄附|寄付|義援", r.description) for r in res.records)


def test_two_kinds_of_answer_asked_of_one_subject_are_two_questions(ingested):
    """新宿区との交流内容と件数を: the records, then the count — each answered, the subject kept for both."""
    from store.query import split_questions

    assert split_questions("新宿区との交流内容と件数を") == ["新宿区との交流内容を", "新宿区との交流件数を"]
    assert split_questions("盛岡市の物産展の日程と担当課は？") == ["盛岡市の物産展の日程は？", "盛岡市の物産展の担当課は？"]
    assert split_questions("内容と件数") == ["内容と件数"]  # no subject: one question
    count = ingested.ask("新宿区との交流件数を", limit=None, today=TODAY)
    assert count.total == 2 and "2件" in wording.answer_line(count)


@pytest.mark.slow
def test_eighth_writers_held_out_set(ingested, index_of):
    """120 questions by an eighth writer, written after the fifth set reached the issue's bar and run once before
    any change (first run: recall 0.802, precision 0.734 — README). Worked on after: nouns that point at records
    (該当, 各回, 借りた先, 物産展の類), 年明け以降 as an open bound, イメージデータ, 排出権, 農作物, お昼ごはん,
    クラファン; follow-ups that only leave something out, or ask 他には？. Its rankings expect the winner's records alone, where the issue asks for every record compared,
    the larger first: the precision of that kind stays low by design."""
    f = gold_score(ingested, index_of, FIXTURES / "queries_sentences_eighth.json")
    assert f.n == 120 and f.recall >= 0.85 and f.precision >= 0.79, (f.recall, f.precision, f.by_kind, f.failures)


@pytest.mark.parametrize(
    "question,label_has,never",
    [
        ("イメージデータを借りた先ってどこがある？", "画像", "先"),
        (
            "お疲れ様です。区民課の松本です。魚沼市のやまびこ荘に関わる事業について、該当するものを教えてください。",
            "やまびこ荘",
            "該当",
        ),
        ("津和野町の物産展で年明け以降のもの", "年明け（2025年1月1日～1月15日）以降", "× 以降"),
        ("津和野のクラファンっていつまで？", "クラファン（クラウドファンディング）", ""),
    ],
)
def test_words_that_point_at_records_are_not_searched(ingested, question, label_has, never):
    """該当するもの, 借りた先, 各回 point at records; 年明け以降 is an open bound after a date word; the short form
    クラファン finds クラウドファンディング."""
    res = ingested.ask(question, limit=None, today=dt.date(2025, 2, 20))
    label = res.answered.label()
    assert res.total > 0 and label_has in label and (not never or never not in label), label


@pytest.mark.parametrize(
    "question,after,label",
    [
        (
            "物産展以外では何してた？",
            "都市交流フェスタに参加した自治体は？",
            "都市交流フェスタ × 物産展・物産（意味の近い語）を除く",
        ),
        ("それぞれ対象は？", "石岡市とのバスツアーって何があった？", "石岡市 × バスツアー"),
        ("他には？", "金沢市の物産展はいつ？", "物産展・物産（意味の近い語） × 金沢市を除く"),
    ],
)
def test_a_follow_up_that_only_leaves_out_or_asks_of_the_others_keeps_the_rest(ingested, question, after, label):
    """物産展以外では？ narrows the question before; それぞれ対象は？ asks about the same records; 他には？ asks the same
    of the places not asked before."""
    res = ingested.ask(question, limit=None, today=TODAY, after=(after,))
    assert res.answered.label() == label and res.total > 0


def test_a_second_name_in_kana_after_to_is_read_as_the_name(ingested):
    """かなざわとつわの: つわの follows と, inside one kana run, where the analyser cuts it (つわ + の); after the first
    name is read (金沢と), the second is too."""
    res = ingested.ask("かなざわとつわの、どっちが交流多い？", limit=None, today=TODAY)
    assert wording.answer_line(res) == "津和野町 21件、金沢市 20件で、津和野町の方が多いです。"
