"""The question parser, stage by stage, with no database: a Lexicon built from plain partner rows (the
municipalities table's shape) and the real analyser. Each stage has a table of what people type and what
it must understand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.gazetteer import _official_row
from store.normalize import fold
from store.query import Intent, Lexicon, PlaceKind, parse
from store.query import lexicon as lexicon_module
from store.query.clean import clean
from store.query.dates import date_word, explicit_dates
from store.query.lexicon import COUNTRY_LONGEST_NAME, date_words

# partners of a made-up ward, spread over the country (not the FY2024 report's list)
PARTNERS = ["172014", "430005", "431001", "432067", "472131", "325015", "032018", "131041", "342076", "401005", "011002"]
DEPARTMENTS = ["経済課", "アカデミー推進課", "防災危機管理課", "子育て支援課", "真砂中央図書館"]


def rows() -> list[dict]:
    out = []
    for code in PARTNERS:
        row = dict(_official_row(code))
        row["printed_names"] = [row["name"]]
        out.append(row)
    return out


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.build(rows(), DEPARTMENTS, [2024], dt.date(2025, 1, 15), (dt.date(2024, 4, 1), dt.date(2025, 3, 31)))


# ------------------------------------------------------------------------------------------------ clean
@pytest.mark.parametrize(
    "typed,cleaned",
    [
        ("金沢市 物産展 :pray:", "金沢市 物産展"),
        (":thumbs_up::skin-tone-2: 物産展", "物産展"),
        ("🍜 盛岡の物産展", "盛岡の物産展"),
        ("👨‍👩‍👧 家族向け", "家族向け"),
        ("🇯🇵 国旗", "国旗"),
        ("❄️冬の交流", "冬の交流"),
        ("ＪーＶＥＲ", "J-VER"),
        ("11月16日ー18日", "11月16日-18日"),
        ("ｽﾀﾝﾌﾟﾗﾘ－", "スタンプラリー"),
        ("給\u200b食\ufeff", "給食"),
        ("葛\U000e0100飾", "葛飾"),
        ("10:30:00 の会議", "10:30:00 の会議"),  # a time is not a shortcode
        ("旧日原町", "旧 日原町"),
        ("Ｒ６．１１", "R6.11"),
        ("R6.7.5〜10.6", "R6.7.5~10.6"),
    ],
)
def test_clean(typed, cleaned):
    assert clean(typed) == cleaned


# ------------------------------------------------------------------------------------------------ dates
@pytest.mark.parametrize(
    "text,labels",
    [
        ("R6.11", ["2024年11月"]),
        ("令和6年11月", ["2024年11月"]),
        ("2024年11月15日", ["2024年11月15日"]),
        ("2024/11/15", ["2024年11月15日"]),
        ("11/15", ["2024年11月15日"]),
        ("3月", ["2025年3月"]),  # a month of the latest fiscal year: 1–3 fall in the next calendar year
        ("11月16日-18日", ["2024年11月16日～2024年11月18日"]),
        ("11/16-18", ["2024年11月16日～2024年11月18日"]),
        ("R6.10.12~1.13", ["2024年10月12日～2025年1月13日"]),
        ("11月~12月", ["2024年11月～2024年12月"]),
        ("11月15日(金)", ["2024年11月15日"]),
        ("4月上旬", ["2024年4月1日～2024年4月10日"]),
        ("令和7年1月中旬", ["2025年1月11日～2025年1月20日"]),
        ("3月末", ["2025年3月27日～2025年3月31日"]),  # 末 = the last five days, as in period cells
        ("今月", ["2025年1月"]),
        ("先月", ["2024年12月"]),
        ("去年", ["2024年1月～2024年12月"]),
        ("先週", ["2025年1月6日～2025年1月12日"]),
        ("今週末", ["2025年1月18日～2025年1月19日"]),  # Saturday and Sunday of this week
        ("来週末", ["2025年1月25日～2025年1月26日"]),
        ("先週の週末", ["2025年1月11日～2025年1月12日"]),
        ("週末", ["2025年1月18日～2025年1月19日"]),
        ("去年の11月", ["2024年11月"]),
        ("10月以降", ["2024年10月以降"]),
    ],
)
def test_explicit_dates(lex, text, labels):
    assert [d.label for d in explicit_dates(text, lex).ranges] == labels


@pytest.mark.parametrize(
    "text,fiscal_year",
    [
        ("今年度", 2024),
        ("昨年度", 2023),
        ("来年度", 2025),
        ("R6年度", 2024),
        ("令和元年度", 2019),
        ("2023年度", 2023),
        ("R6", 2024),
    ],
)
def test_fiscal_years(lex, text, fiscal_year):
    assert explicit_dates(text, lex).fiscal_year == fiscal_year


def test_impossible_dates_are_reported_not_read(lex):
    found = explicit_dates("2月30日", lex)
    assert not found.ranges and "2月30日" in found.notes[0].text
    assert not explicit_dates("R0年度", lex).fiscal_year  # R0 is not a year (store.era)


@pytest.mark.parametrize("typed", ["秋ごろ", "秋頃", "秋ころ"])
def test_a_time_of_year_roughly_is_that_time(lex, typed):
    (d,) = parse(f"{typed}の金沢", lex).dates
    assert d.label.startswith("秋")


@pytest.mark.parametrize(
    "typed,labels",
    [
        ("石川県の金沢市", ["金沢市"]),  # the prefecture (no partner itself) only says where 金沢市 is
        ("金沢市（石川県）の物産展", ["金沢市"]),
        ("石川県 金沢市", ["金沢市"]),
        ("石川県内の金沢市", ["石川県内"]),  # 内 asks for the whole prefecture
        ("石川県", ["石川県内"]),
    ],
)
def test_a_prefecture_beside_its_municipality_says_where_it_is(lex, typed, labels):
    assert [p.label for p in parse(typed, lex).places] == labels


@pytest.mark.parametrize("typed", ["熊本市（県じゃなくて市のほう）", "熊本市(県ではなく市)", "熊本市（県でなく市）の"])
def test_an_aside_saying_which_kind_of_place_is_not_read_as_words(lex, typed):
    q = parse(typed, lex)
    assert [p.label for p in q.places] == ["熊本市"] and not q.terms and not q.excluded_places


@pytest.mark.parametrize("typed", ["協定先の防災", "姉妹都市との防災", "友好都市での防災の取り組み", "連携先の防災"])
def test_words_for_the_partners_themselves_are_not_search_words(lex, typed):
    assert [t.text for t in parse(typed, lex).terms] == ["防災"]


@pytest.mark.parametrize(
    "word,start,end",
    [
        ("夏", "2024-06-01", "2024-08-31"),
        ("春", "2024-03-01", "2024-05-31"),
        ("冬", "2024-12-01", "2025-02-28"),  # across the year end
        ("夏休み", "2024-07-21", "2024-08-31"),
        ("冬休み", "2024-12-26", "2025-01-07"),
        ("年末年始", "2024-12-29", "2025-01-03"),
        ("年度末", "2025-03-01", "2025-03-31"),
        ("上半期", "2024-04-01", "2024-09-30"),
        ("下半期", "2024-10-01", "2025-03-31"),
        ("第3四半期", "2024-10-01", "2024-12-31"),
        ("第4四半期", "2025-01-01", "2025-03-31"),
        ("ゴールデンウィーク", "2024-04-29", "2024-05-05"),
    ],
)
def test_time_of_year_words(lex, word, start, end):
    from store.normalize import fold

    (d,) = date_word(date_words()[fold(word)], lex, None, None)
    assert (d.start.isoformat(), d.end.isoformat()) == (start, end)
    assert d.label.startswith(date_words()[fold(word)].label)


def test_from_a_date_on_runs_to_the_end_of_the_data(lex):
    (d,) = explicit_dates("10月以降", lex).ranges
    assert (d.start, d.end) == (dt.date(2024, 10, 1), dt.date(2025, 3, 31))


def test_the_spring_break_touches_the_fiscal_year_at_both_ends(lex):
    spans = [(d.start.isoformat(), d.end.isoformat()) for d in date_word(date_words()[fold("春休み")], lex, None, None)]
    assert spans == [("2024-03-26", "2024-04-05"), ("2025-03-26", "2025-04-05")]
    assert [(d.start.isoformat(), d.end.isoformat()) for d in parse("2024年の春休み", lex).dates] == [
        ("2024-03-26", "2024-04-05")
    ]


def test_a_calendar_year_before_a_season_is_its_year(lex):
    q = parse("2023年の夏休み", lex)
    assert [(d.start.isoformat(), d.end.isoformat()) for d in q.dates] == [("2023-07-21", "2023-08-31")]


def test_summer_is_never_read_inside_a_name(lex):
    q = parse("夏目漱石の講演", lex)
    assert not q.dates and [t.text for t in q.terms] == ["夏目漱石", "講演"]


# -------------------------------------------------------------------------------------- intent and words
@pytest.mark.parametrize(
    "text,intent",
    [
        ("金沢市の物産展はいつ？", Intent.WHEN),
        ("物産展はどこでやった？", Intent.WHERE),
        ("どの自治体と交流した？", Intent.WHERE),
        ("盛岡市と何件交流した？", Intent.COUNT),
        ("物産展の件数", Intent.COUNT),
        ("子ども宅食の担当はどの課？", Intent.DEPARTMENT),
        ("石岡市とどんな交流をしましたか", Intent.WHAT),
        ("金沢市とは何をした？", Intent.WHAT),
        ("金沢市", Intent.LIST),
        ("物産展 月別", Intent.COUNT),
    ],
)
def test_intent(lex, text, intent):
    assert parse(text, lex).intent == intent


@pytest.mark.parametrize(
    "text,terms,excluded",
    [
        ("給食に関する交流を教えてください", ["給食"], []),
        ("物産展以外", [], ["物産展"]),
        ("物産展じゃないやつ", [], ["物産展"]),
        ("NOT 物産展", [], ["物産展"]),
        ("講演会や展示", ["講演会 または 展示"], []),
        ("給食 または 柔道", ["給食 または 柔道"], []),
        ("体験型のイベント", ["体験"], []),
        ("子供向けの取り組みある？", ["子供"], []),
        ("森鴎外記念館でのイベント", ["森鴎外記念館"], []),
        ("文京博覧会", ["文京博覧会"], []),
        ("ですか？ましたか？教えてください", [], []),
    ],
)
def test_words(lex, text, terms, excluded):
    q = parse(text, lex)
    assert [t.text for t in q.terms] == terms and [t.text for t in q.excluded_terms] == excluded


@pytest.mark.parametrize(
    "text,lacking,terms",
    [
        ("まだ物産展をやっていない自治体は？", ["物産展"], []),
        ("物産展がない交流先", ["物産展"], []),
        ("給食の交流をしたことがない自治体", ["給食"], []),
        ("物産展をしなかった自治体はどこ", ["物産展"], []),
        ("物産展を開催していない市", ["物産展"], []),
        ("講演会を行ってないのはどこ？", ["講演会"], []),
        ("物産展をやってないところは？", ["物産展"], []),
        # ない that does not ask for partners without something is left alone
        ("物産展ではない記録", [], []),
        ("少ない予算の物産展", [], ["予算", "物産展"]),
    ],
)
def test_partners_lacking(lex, text, lacking, terms):
    """ない after a phrase, in a question about partners, asks for the partners without it (a WHERE answer)."""
    q = parse(text, lex)
    assert [t.text for t in q.lacking_terms] == lacking
    assert [t.text for t in q.terms] == terms
    if lacking:
        assert q.intent == Intent.WHERE and "のない交流先" in q.label()


@pytest.mark.parametrize(
    "text,alternatives",
    [
        ("こども", {"こども", "子供", "子ども"}),
        ("お祭り", {"お祭り", "祭", "まつり"}),
        ("講演会", {"講演会", "講演"}),
        ("寄付", {"寄付", "寄附"}),
        ("打合せ", {"打合せ", "打ち合わせ", "うち合わせ", "ミーティング", "打ち合せ"}),
        ("kumamon", {"kumamon", "くまもん"}),
    ],
)
def test_spelling_variants(lex, text, alternatives):
    from store.normalize import fold

    (term,) = parse(text, lex).terms
    assert set(term.alternatives) == {fold(a) for a in alternatives}
    assert term.label.startswith(text)


def test_compound_matches_by_its_words(lex):
    (term,) = parse("協定締結", lex).terms
    assert term.all_of == (("協定",), ("締結",))


# ---------------------------------------------------------------------------------------------- places
@pytest.mark.parametrize(
    "text,labels,kind",
    [
        ("金沢の交流", ["金沢市"], PlaceKind.MUNICIPALITY),
        ("かなざわ", ["金沢市"], PlaceKind.MUNICIPALITY),
        ("kanazawa", ["金沢市"], PlaceKind.MUNICIPALITY),
        ("金澤市", ["金沢市"], PlaceKind.MUNICIPALITY),
        ("ふくやましとの実績", ["福山市"], PlaceKind.MUNICIPALITY),
        ("金沢しの物産展", ["金沢市"], PlaceKind.MUNICIPALITY),
        ("津和野村", ["津和野町"], PlaceKind.MUNICIPALITY),
        ("熊本県", ["熊本県"], PlaceKind.PREFECTURE),
        ("熊本県内", ["熊本県内"], PlaceKind.SCOPE),
        ("熊本県の自治体", ["熊本県内"], PlaceKind.SCOPE),
        ("沖縄県の自治体", ["沖縄県内"], PlaceKind.SCOPE),
        ("石川県", ["石川県内"], PlaceKind.SCOPE),  # not a partner itself: the partners in it
        ("東北の交流先", ["東北地方"], PlaceKind.REGION),
        ("九州", ["九州地方"], PlaceKind.REGION),
        ("具志川市", ["うるま市"], PlaceKind.FORMER),
        ("旧日原町", ["津和野町"], PlaceKind.FORMER),
        ("大阪市との交流", ["大阪市"], PlaceKind.ABSENT),
        ("四国との交流", ["四国地方"], PlaceKind.ABSENT),  # no partner there
    ],
)
def test_places(lex, text, labels, kind):
    q = parse(text, lex)
    assert [p.label for p in q.places] == labels and {p.kind for p in q.places} == {kind}, q.places


def test_a_person_is_not_a_place(lex):
    q = parse("石川啄木の講演", lex)
    assert not q.places and q.terms[0].text == "石川啄木"


def test_old_names_and_bare_prefectures_say_how_they_were_read(lex):
    q = parse("具志川市", lex)
    assert "2005年4月1日に合併で沖縄県うるま市になりました" in q.notes[0].text
    q = parse("熊本県", lex)
    assert q.notes[0].kind == "other_reading" and q.notes[0].ask == "熊本県内"


def test_ke_spellings_are_one_place():
    row = dict(_official_row("142077"))  # 神奈川県茅ヶ崎市
    row["printed_names"] = ["神奈川県茅ケ崎市"]
    lex = Lexicon.build([row], [], [2024], dt.date(2025, 1, 1))
    for written in ("茅ヶ崎市", "茅ケ崎市", "茅ヵ崎市", "茅ヶ崎"):
        assert [p.codes for p in parse(written, lex).places] == [frozenset({"142077"})], written


def test_departments(lex):
    assert parse("経済課の事業", lex).departments == ("経済課",)
    q = parse("防災課", lex)  # its characters, in order, in exactly one department
    assert q.departments == ("防災危機管理課",) and q.notes[0].kind == "corrected"
    q = parse("アカデミー推進課以外の11月", lex)
    assert q.excluded_departments == ("アカデミー推進課",)


def test_country_table_bound():
    assert max(len(k) for k in lexicon_module._country_names()) <= COUNTRY_LONGEST_NAME


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses(text):
    lex = Lexicon.build(rows(), DEPARTMENTS, [2024], dt.date(2025, 1, 15))
    q = parse(text, lex)
    assert isinstance(q.label(), str) and all(t.alternatives for t in q.terms)


# ------------------------------------------------------------------------- one calendar grammar, two readers
@pytest.mark.parametrize(
    "text", ["R6.11", "R6.11.15", "R6.10.12~1.13", "R7.3末", "R6.4上旬", "R6.7中旬", "R6.8下旬", "S64.1", "H31.4", "令和元年5月"]
)
def test_a_period_cell_and_a_question_read_the_same_days(lex, text):
    """What ingest reads from a 実施期間 cell and what a question with the same text searches are the same
    days (store/era.py): 末 is the last five days on both sides, 昭和 is known to both."""
    from ingest.periods import parse_period

    period = parse_period(text, 2024)
    (d,) = explicit_dates(text, lex).ranges
    assert period.intervals == ((d.start, d.end),), (period, d)


def test_year_zero_is_no_year_on_either_side(lex):
    from ingest.periods import parse_period

    assert not parse_period("R0.4.1", 2024).parsed
    assert explicit_dates("R0年度", lex).fiscal_year is None and not explicit_dates("R0.4", lex).ranges


def test_the_reports_own_municipality_is_found_in_the_records_and_means_ours():
    descriptions = ["文京区立森鷗外記念館の展示", "文京区民を対象", "物産展", "大洲市の芋煮", "文京区と金沢市", "講演"]
    from store.query.lexicon import home_municipality

    assert home_municipality(descriptions, {"172014"}) == "文京区"
    assert home_municipality(["物産展", "講演会", "大洲市の芋煮"] * 10, set()) is None  # named in too few records
    lex = Lexicon.build(rows(), DEPARTMENTS, [2024], dt.date(2025, 1, 15), home="文京区")
    q = parse("文京区の物産展", lex)
    assert not q.places and [t.text for t in q.terms] == ["物産展"] and q.notes[0].kind == "home"
    assert parse("区内で行った物産展", lex).terms[0].text == "物産展"


def test_a_question_about_the_records_themselves_asks_for_all_of_them(lex):
    assert parse("交流先はどこ？", lex).everything and parse("全部見せて", lex).everything
    q = parse("あ", lex)
    assert q.is_empty and not q.everything


# ------------------------------------------------------------------------- found by attacking the parser
@pytest.mark.parametrize(
    "text,label",
    [
        ("3月以外の物産展", "物産展 × 2025年3月を除く"),
        ("夏以外の金沢", "金沢市 × 夏（2024年6月～8月）を除く"),
        ("金沢と盛岡以外", "金沢市・盛岡市を除く"),
        ("アカデミー推進課と経済課以外", "アカデミー推進課・経済課を除く"),
        ("熊本以外の九州", "九州地方 × 熊本県内を除く"),  # outside the prefecture, not only its own records
        ("令和六年十一月十五日", "2024年11月15日"),
        ("十一月の物産展", "物産展 × 2024年11月"),
        ("二〇二四年十二月", "2024年12月"),
        ("十日町市", "十日町市"),  # a place, not the 10th
        ("十十月", "十十月"),  # not a numeral: left as written, never an error
        ("アルバルク東京", "アルバルク東京"),  # 東京 inside a name is not a place
        ("<@U123ABC> 金沢の物産展 <https://example.com|リンク>", "金沢市 × 物産展 × リンク"),
        ("「大洲市」", "大洲市"),  # quoted: searched as written
    ],
)
def test_labels_of_odd_questions(lex, text, label):
    assert parse(text, lex).label(variants=False) == label


def test_a_long_message_is_read_by_its_question(lex):
    message = "お疲れ様です。アカデミー推進課の山田です。来週の打ち合わせに向けて資料を準備しているのですが、昨年度の交流実績について確認させてください。金沢市の物産展はいつでしたっけ？"
    q = parse(message, lex)
    assert q.label(variants=False) == "金沢市 × 物産展" and q.intent == Intent.WHEN and q.notes[-1].kind == "sentence"
    assert (
        parse("金沢市の物産展について。いつでしたか？", lex).label(variants=False) == "金沢市 × 物産展"
    )  # the topic is elsewhere
    padded = "。" * 3000 + "金沢の物産展はいつ？"
    assert parse(padded, lex).label(variants=False) == "金沢市 × 物産展"


@pytest.mark.parametrize(
    "text,intent,count_by,count_of",
    [
        ("課別", Intent.COUNT, "department", "records"),
        ("どの課が一番多い？", Intent.RANK, None, "records"),
        ("一番多い自治体は？", Intent.RANK, None, "records"),
        ("交流自治体はいくつ？", Intent.COUNT, None, "municipalities"),
        ("物産展をやった自治体は何か所？", Intent.COUNT, None, "municipalities"),
        ("熊本県内の自治体との交流件数", Intent.COUNT, None, "records"),
        ("物産展をやった自治体は？", Intent.WHERE, None, "records"),
        ("平和特派員の期間は？", Intent.WHEN, None, "records"),
    ],
)
def test_counting_and_ranking_questions(lex, text, intent, count_by, count_of):
    q = parse(text, lex)
    assert (q.intent, q.count_by, q.count_of) == (intent, count_by, count_of)


def test_latin_words_get_no_made_up_kana(lex):
    for word in ("NHK", "CATV", "J-VER", "WXYZ"):
        (term,) = parse(word, lex).terms
        assert term.shown == (), (word, term.shown)


def test_a_message_is_read_by_its_question():
    from store.query.message import split_message

    m = split_message("学務課の山田です。議会答弁の準備をしています。熊本県内の自治体との交流を全部出してもらえますか。")
    assert m.question == "熊本県内の自治体との交流を全部出してもらえますか。" and "学務課" in m.context
    m = split_message("来年度の予算要求の参考にしたくて、物産展をどれくらいやったのか知りたいです。")
    assert m.question == "物産展をどれくらいやったのか知りたいです。"
    assert not split_message("金沢市の物産展").trimmed


def test_our_department_is_the_one_the_asker_named(lex):
    q = parse("防災危機管理課の者です。うちの課でやった交流を今年度分まとめたいので、出してもらえますか。", lex)
    assert q.departments == ("防災危機管理課",) and q.fiscal_year == 2024 and any(n.kind == "ours" for n in q.notes)


@pytest.mark.parametrize(
    "text,terms",
    [
        ("福山市 ばら", ["ばら"]),  # an adverb to the analyser; バラ is a noun
        ("金沢 ぱねる", ["ぱねる"]),  # ぱ|ねる; パネル
        ("とまと", ["とまと"]),  # とま|と; トマト
        ("金沢 まだ", []),  # an adverb in katakana too
        ("金沢 ありますか", []),  # a verb and its endings stay what they are
        ("金沢 どんな", []),
    ],
)
def test_kana_keywords_the_analyser_cut(lex, text, terms):
    """A hiragana keyword the analyser cut into pieces is one noun when its katakana form is one."""
    assert [t.text for t in parse(text, lex).terms] == terms


# ------------------------------------------------------------------------------------- follow-ups, several
@pytest.mark.parametrize(
    "text, questions",
    [
        ("金沢市との交流は何件？また担当課は？", ["金沢市との交流は何件？", "担当課は？"]),
        ("盛岡市の物産展は？あと津和野町のイベントも", ["盛岡市の物産展は？", "津和野町のイベントも"]),
        ("給食の件は？それと、防災の件は？", ["給食の件は？", "防災の件は？"]),
        ("お疲れ様です。金沢市の物産展はいつですか？", ["お疲れ様です。金沢市の物産展はいつですか？"]),
        ("金沢市と熊本県の物産展", ["金沢市と熊本県の物産展"]),
        ("", [""]),
    ],
)
def test_split_questions(text, questions):
    from store.query.followup import split_questions

    assert split_questions(text) == questions


def test_a_follow_up_keeps_what_it_does_not_replace(lex):
    when = parse("それはいつ？", lex, after=["金沢市の物産展"])
    assert [p.label for p in when.places] == ["金沢市"] and [t.text for t in when.terms] == ["物産展"]
    assert when.intent == Intent.WHEN and any(n.kind == "followup" for n in when.notes)
    moved = parse("熊本県は？", lex, after=["金沢市の物産展"])
    assert [p.label for p in moved.places] == ["熊本県"] and [t.text for t in moved.terms] == ["物産展"]
    fresh = parse("熊本県の給食", lex, after=["金沢市の物産展"])  # a place and a word of its own: a new question
    assert [p.label for p in fresh.places] == ["熊本県"] and [t.text for t in fresh.terms] == ["給食"]
    assert not any(n.kind == "followup" for n in fresh.notes)
    narrowed = parse("その中で11月のものは？", lex, after=["金沢市の物産展"])
    assert [p.label for p in narrowed.places] == ["金沢市"] and narrowed.dates
    who = parse("担当課は？", lex, after=["金沢市との交流は何件？"])
    assert who.intent == Intent.DEPARTMENT and [p.label for p in who.places] == ["金沢市"]
    assert parse("それはいつ？", lex).places == ()
    others = parse("ほかの自治体でも給食でやったのある？", lex, after=["金沢市の給食の件"])  # the earlier place left out
    assert others.places == () and [p.label for p in others.excluded_places] == ["金沢市"]
    assert [t.text for t in others.terms] == ["給食"]
    signed = parse("いつ締結した？", lex, after=["金沢市との協定"])  # a verb adds to the earlier words
    assert "協定" in [t.text for t in signed.terms] and [p.label for p in signed.places] == ["金沢市"]


@pytest.mark.parametrize(
    "text, order, by, places, dates, terms",
    [
        ("どの課が一番多い？", "most", "department", [], 0, []),
        ("交流が一番少ない自治体は", "least", "municipality", [], 0, []),
        ("県単位で一番多いのは？", "most", "prefecture", [], 0, []),
        ("熊本県との交流で一番多い課は？", "most", "department", ["熊本県"], 0, []),
        ("何月が一番多い？", "most", "month", [], 0, []),
        ("一番交流が多かった月はいつ", "most", "month", [], 0, []),
        ("物産展が一番多い自治体", "most", "municipality", [], 0, ["物産展"]),
        ("自治体別ランキング", "all", "municipality", [], 0, []),
        ("課ごとの件数ランキング トップ3", "all", "department", [], 0, []),
        ("金沢市と熊本県どっちが多い？", "compare", None, ["金沢市", "熊本県"], 0, []),
        ("金沢と盛岡、交流が多いのはどっち？", "compare", None, ["金沢市", "盛岡市"], 0, []),
        ("7月と8月ではどちらが多いですか", "compare", None, [], 2, []),
    ],
)
def test_rankings_and_comparisons_are_read_and_their_words_not_searched(lex, text, order, by, places, dates, terms):
    q = parse(text, lex)
    assert q.intent == Intent.RANK and q.ranking is not None
    assert (q.ranking.order, q.ranking.by) == (order, by)
    assert [p.label for p in q.places] == places and len(q.dates) == dates and [t.text for t in q.terms] == terms
