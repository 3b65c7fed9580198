"""Every message koryu shows a person, in one place, in Japanese (CLI and Slack).

Functions return plain text (Slack mrkdwn where noted). Anything that came from a user or a record is
escaped by the caller (`bot.render.escape`) before it reaches Slack.
"""

from __future__ import annotations

WEEKDAYS = "月火水木金土日"

HELP_TITLE = "koryu の使い方"
HELP_TEXT = (
    "交流自治体との交流実績を検索します。話しかけるか `{command}` で、ふだんの言葉で質問してください。\n"
    "• `{command} 金沢の物産展はいつ？` / `津和野の給食について教えて` … 文章のままで大丈夫です\n"
    "• `{command} 金沢市` / `熊本県内の自治体` / `東北の交流先` / `具志川市`（旧名） … 自治体・県・地方\n"
    "• `{command} 11月 物産展` / `令和7年3月` / `夏休み` / `年末年始` / `第3四半期` / `先月` … 日付\n"
    "• `{command} かなざわ` / `kanazawa` / `金澤` / `こども` / `まつり` … 読み・ローマ字・旧字・表記ゆれ\n"
    "• `{command} 経済課の事業` / `子ども宅食の担当はどの課？` … 所管課\n"
    "• `{command} 盛岡市と何件？` / `物産展はどこと？` / `物産展 月別` … 件数・自治体・月別の集計\n"
    "• `{command} 金沢市 物産展以外` … 除外\n"
    "• `{command} 一覧` … 交流自治体と件数　• `{command} reports` … 取り込み済みの報告書\n"
    "• `{command} ingest` … （管理者）報告書フォルダを読み込み直す。PDFをDMで送っても取り込めます。"
)
EXAMPLES = [
    "金沢市の物産展はいつ？",
    "津和野の給食",
    "熊本県内の自治体",
    "夏休みのイベント",
    "子ども宅食の担当は？",
    "物産展はどこと何件？",
]

# feedback under every answer, and the admin's view of the question log (App Home, koryu questions)
BUTTON_VOTE_UP = "👍"
BUTTON_VOTE_DOWN = "👎"
FEEDBACK_THANKS = "フィードバックありがとうございます。"
FEEDBACK_TITLE = "フィードバック"
FEEDBACK_SUBMIT = "送信"
FEEDBACK_CLOSE = "閉じる"
FEEDBACK_QUESTION = "質問: {question}"
FEEDBACK_LABEL = "何を探していましたか？"
FEEDBACK_PLACEHOLDER = "例: 金沢市との物産展の日程"
FEEDBACK_GONE = "このフィードバックは保存できませんでした（古い回答です）。"
# the assistant side panel (bot.listeners.assistant)
PROMPTS_TITLE = "たとえば、こんな質問ができます"
PROMPT_PARTNER = "{name}との交流は？"
PROMPT_MONTH = "{year}年{month}月の交流は？"
PROMPT_DEPARTMENT = "{department}の事業は？"
ASSISTANT_STATUS = "交流実績を検索しています…"
HOME_ADMIN_TITLE = "管理者向け: 質問の記録（過去{days}日）"
HOME_UNANSWERED = "*見つからなかった質問*（多い順）"
HOME_DISLIKED = "*👎 のついた回答*（多い順）"
HOME_MOST_ASKED = "*よく聞かれる質問*"
HOME_NO_QUESTIONS = "まだありません。"
HOME_QUESTION_LINE = "• {question} … {count}回"
HOME_QUESTION_READ = "（{interpretation}）"
HOME_DISLIKED_LINE = "• {question} … 👎 {down}（{count}回、{found}件）"
HOME_COMMENT_LINE = "　　「{comment}」"
HOME_ADMIN_CLI = "一覧は CLI でも: `koryu questions --unanswered`"
QUESTIONS_COLUMNS = " 回数  件数  👍  👎  最後に       質問（読み取り）"
NO_QUESTION_LOG = "{db}: データベースがありません（質問の記録は koryu serve が同じデータベースに書きます） / no such database"
QUESTIONS_HEADER = "質問の記録: {n}件（{span}）"
QUESTIONS_NONE = "質問の記録はありません（{span}）。"
QUESTIONS_ALL_TIME = "すべての期間"
QUESTIONS_SINCE = "{since} 以降"

NO_RESULTS = "該当する記録はありませんでした。"
NO_RECORD_HOLDS = (
    "「{words}」を含む記録はありませんでした。言葉を変えるか、例のように聞いてください: "
    "「金沢市の物産展はいつ？」「夏休みのイベント」「経済課の事業」"
)
NONE_LACKING = "{label}はありません（当てはまる交流先には、どれも「{words}」の記録があります）。"
NOTHING_READ = "質問から探す言葉を読み取れませんでした。例: 「金沢市の物産展はいつ？」「夏休みのイベント」「経済課の事業」"
MAYBE = "もしかして: {names}"
UNKNOWN_NAME = "「{name}」との交流記録はありません。"
NAMED_IN_RECORDS = "（記録の中に「{name}」が出てくるものは {total}件あります）"
NOT_FOUND_PLACE = "「{name}」という自治体は見つかりませんでした。"
OUTSIDE_DATA = "{label}の記録はありません。保存されている報告書は {years} です。"
NO_FISCAL_YEARS = "まだ報告書が取り込まれていません"
FISCAL_YEAR = "{year}年度"
POINTERS = "{label}に当てはまる記録はありません（{parts} はそれぞれあります）。"
POINTER = "{label} {total}件"
RELAXED_DROPPED = "「{words}」を含む記録はないため、除いて探しました。"
RELAXED_SPLIT = "「{word}」を含む記録はないため、「{parts}」で探しました。"
RELAXED_NEAR = "もしかして「{suggestion}」？ —「{name}」の代わりに「{suggestion}」で探しました。"
RELAXED_MEANT = "「{word}」を含む記録はないため、意味の近い語「{words}」で探しました。"
RELAXED_ANY = "「{words}」を両方含む記録はないため、どれかを含む記録を示します。"
RELAXED_EITHER = "「{words}」をすべて含む記録はないため、「{dropped}」を除いて探しました。"
RELAXED_MAYBE = "「{name}」は見つかりませんでした。もしかして「{suggestion}」？ — その記録を表示します。"
OTHER_READING = "{label}も含めると {total}件です。"

# the one-line answer (first line of every answer)
ANSWER_LIST = "{label}: {total}件"
ANSWER_WHEN_ONE = "{label}は {when} です。"
ANSWER_WHEN_SAME = "{label}は {when} です（{total}件とも同じ期間）。"
ANSWER_WHEN = "{label}は {first}～{last} の{total}件です（{months}）。"
ANSWER_WHERE_ONE = "{label}は {name} との交流です（{total}件）。"
ANSWER_WHERE = "{label}は {count}自治体: {names}"
ANSWER_COUNT = "{label}は {total}件です。"
ANSWER_COUNT_BY = "{label}は {total}件です（{parts}）。"
ANSWER_COUNT_PLACES = "{label}は {count}自治体です（{total}件: {parts}）。"
ANSWER_PLACES = "{count}自治体: {parts}"
ANSWER_DEPARTMENT_ONE = "{label}の所管課は {name} です（{total}件）。"
ANSWER_DEPARTMENT = "{label}の所管課: {names}"
ANSWER_WHAT = "{label}は {total}件: {descriptions}"
ANSWER_RANK_TOP = "{scope}{order}{noun}は {names}（{each}{n}件）です。"
ANSWER_RANK_NEXT = "続いて {parts}。"
ANSWER_RANK_ALL = "{scope}{noun}別の件数{bound}: {parts}"
RANK_AT_LEAST = "（{n}件以上）"
RANK_AT_MOST = "（{n}件以下）"
RANK_NONE_WITHIN = "（該当なし）"
ANSWER_RANK_PLACE = "{rank}位 {name} {n}件"
ANSWER_COMPARE = "{parts}で、{name}の方が{more}です。"
ANSWER_COMPARE_SAME = "{parts}で、同じ件数です。"
RANK_SCOPE = "{label}のうち"
RANK_MOST = "一番多い"
RANK_LEAST = "一番少ない"
RANK_EACH = "各"
RANK_MORE = "多い"
RANK_FEWER = "少ない"
RANK_NOUNS = {"municipality": "自治体", "prefecture": "県", "department": "課", "month": "月"}
ANSWER_PART = "{name} {n}件"
# English questions (store.query.english) are answered in English; the understood Japanese is shown under it
EN_RECORDS = "{n} record{s}"
EN_LIST = "{label}: {records}."
EN_NONE = "No records found for {label}."
EN_WHEN = "{label}: {records}, {first} to {last}."
EN_WHERE = "{label}: {count} partner municipalit{ies} — {names}."
EN_COUNT = "{label}: {records}."
EN_DEPARTMENT = "{label}: departments in charge — {names}."
EN_RANK = "{order}: {names}."
EN_MOST = "Most records"
EN_FEWEST = "Fewest records"
EN_RANKING = "Ranking"
EN_COMPARE = "{parts}: {name} has {more}."
EN_MORE = "more"
EN_FEWER = "fewer"
EN_SAME = "{parts}: the same number."
ANSWER_MORE = "ほか{n}件"
ANSWER_MORE_PLACES = "ほか{count}自治体 {n}件"
EVERY_PARTNER = "交流先"  # the label of a question about partners that names nothing else (交流先はどこ？)
EVERY_RECORD = "記録"  # … and of one that counts records (何件ある？ → 記録は 123件です)

SAMPLE_NOTICE = "報告書がまだ取り込まれていないため、同梱のサンプル（{title}）から回答しています。`koryu ingest 報告書.pdf` で実データを取り込んでください。"
EMPTY_QUERY = "何を探しますか？ 例: `金沢市 物産展`、`11月`、`かなざわ`"
BUSY = "ただいまデータを更新中です。数秒後にもう一度お試しください。"
ERROR = "うまくいきませんでした。時間をおいてもう一度お試しください。（管理者には記録を残しました）"
RESULT_HEADER = "{label}: {total}件"
PAGE_INFO = "{first}〜{last}件目 / 全{total}件"
CLI_MORE = "続き: --offset {offset}　すべて: --limit 0"
GROUP_HEADER = "*{name}*（{count}件）"
RECORD_META = "所管: {department}　出典: {fiscal_year}年度 {report} {where}"
RECORD_PAGE = "p.{page}"
RECORD_ROW = "{row}行目"  # a record read from a spreadsheet (.xlsx, CSV)
RECORD_PROBLEMS = "⚠ 読み取りに問題のある記録です: {problems}"  # a file stored with --force
RECORD_REPORT = "報告書"  # {report} above when one series is stored, or for a record of an untitled report

BUTTON_PREV = "◀ 前へ"
BUTTON_NEXT = "次へ ▶"
BUTTON_CSV = "CSVで出力"
BUTTON_SHARE = "チャンネルに共有"
BUTTON_ASK = "「{label}」で探す"
CSV_COMMENT = "「{label}」の検索結果 {total}件（CSV）"
CSV_FAILED = "CSVファイルをアップロードできませんでした: {reason}"
SHARED_BY = "<@{user}> さんが共有しました"

CITIES_HEADER = "交流自治体: {count}自治体"
CITY_LINE = "• {name} … {records}件"
REPORTS_HEADER = "取り込み済みの報告書"
REPORT_LINE = "• {fiscal_year}年度 {series} — {records}件 / {municipalities}自治体（{title}、{source_file}、{ingested_at}）"
NO_REPORTS = "まだ報告書が取り込まれていません。"

ADMIN_ONLY = "この操作は管理者だけが行えます。必要な場合は koryu の管理者にご相談ください。"
INGEST_STARTED = "報告書を読み込んでいます…"
UNKNOWN_OPTION = "{option}: そのオプションはありません（koryu ask --help） / no such option"
INGEST_NO_FILES = "報告書フォルダ `{folder}` に報告書（PDF・.xlsx・CSV）がありません。"
INGEST_NO_FOLDER = "報告書フォルダ `{folder}` がありません。koryu を起動したフォルダからの位置です（KORYU_REPORTS_DIR）。"
INGEST_FILE_OK = (
    "✅ {file}: {fiscal_year}年度 {series} {records}件・{municipalities}自治体（追加 {added} / 削除 {removed} / 変更 {changed}）"
)
SERIES_CHOICE = (
    "*{file}* には題名がないため、{fiscal_year}年度のどの報告書か分かりません。\n"
    "{fiscal_year}年度の保存済みの報告書: {stored}\n置き換える報告書を選ぶか、別の報告書として追加してください。"
)
SERIES_CHOICE_ADDED_AS = "追加する場合の名前: {series}"
BUTTON_SERIES_REPLACE = "置き換える: {series}"
BUTTON_SERIES_ADD = "別の報告書として追加"
SERIES_FILE_GONE = "{file} が見つからないか、選択肢を出した後に別のファイルに置き換わりました。もう一度PDFを送ってください。"
SERIES_UNKNOWN = "「{name}」という報告書はありません（保存済み: {stored}） / no stored report series {name!r} (stored: {stored})"
INGEST_FILE_FAILED = "❌ {error}"
INGEST_WARNINGS = "⚠️ 注意 {count}件:\n{lines}"
# a published report set beside the events recorded for its year (ingest.entry.compare_with_draft)
DRAFT_COMPARED = "登録分（{fiscal_year}年度）との照合: 一致 {matched}件・登録分だけ {draft_only}件・報告書だけ {report_only}件"
DRAFT_ONLY = "登録分だけにある記録（報告書に載っていません）:"
REPORT_ONLY = "報告書だけにある記録（登録されていません）:"
DRAFT_KEPT = "登録分はそのまま残ります。不要になったら管理者が削除してください（koryu delete ID）。"
DRAFT_MORE = "…ほか {count}件"
UPLOAD_NOT_PDF = "{file} は報告書のPDF・Excel（.xlsx）・CSV ではないため取り込みませんでした。"
UPLOAD_TOO_LARGE = "{file} は大きすぎます（{size_mb:.1f} MB、上限 {limit_mb:.0f} MB）。"
UPLOAD_RECEIVED = "{file} を受け取りました。読み込んでいます…"
UPLOAD_NOT_SAVED = "{file} を保存できませんでした（ディスクの空きがないか、フォルダに書き込めません: {reason}）"
UPLOAD_FAILED = "{file} をダウンロードできませんでした: {reason}"

HOME_DB_ERROR = ":warning: データベースを開けません。管理者に連絡してください（{reason}）"
HOME_TITLE = "koryu — 交流実績アシスタント"
HOME_INTRO = "区と交流自治体との交流実績（事業内容・所管課・実施期間）を、報告書PDFから検索してお答えします。"
HOME_EXAMPLES = "*質問の例*\n" + "\n".join(f"• `{e}`" for e in EXAMPLES)
HOME_REPORTS = "*取り込み済みの報告書*"
HOME_LAST_INGEST = "最後の取り込み: {when}（{source}、{status}）"
HOME_NO_INGEST = "まだ取り込みはありません。"


def help_text(command: str) -> str:
    return HELP_TEXT.format(command=command)


def format_intervals(intervals: list[list[str | None]], approximate: bool = False) -> str:
    """[[start, end], ...] → 2024年7月5日(金)～10月6日(日)、… ; a whole month → 2024年4月; open → 2024年6月17日(月)～.

    Repeats the year only when it changes, so lists stay short. Empty input → "日付不明".
    """
    import calendar
    import datetime as dt

    parts = []
    last_year = None
    for a, b in intervals:
        if not a:
            continue
        d0 = dt.date.fromisoformat(a)
        d1 = dt.date.fromisoformat(b) if b else None

        def day(d: dt.date, with_year: bool) -> str:
            y = f"{d.year}年" if with_year else ""
            return f"{y}{d.month}月{d.day}日({WEEKDAYS[d.weekday()]})"

        show_year = d0.year != last_year
        if d1 and d0.day == 1 and d1.day == calendar.monthrange(d1.year, d1.month)[1]:
            first = f"{d0.year}年{d0.month}月" if show_year else f"{d0.month}月"
            if (d0.year, d0.month) == (d1.year, d1.month):
                parts.append(first)
            else:
                parts.append(first + "～" + (f"{d1.year}年{d1.month}月" if d1.year != d0.year else f"{d1.month}月"))
        elif d1 is None:
            parts.append(day(d0, show_year) + "～")
        elif d0 == d1:
            parts.append(day(d0, show_year))
        else:
            parts.append(day(d0, show_year) + "～" + day(d1, d1.year != d0.year))
        last_year = (d1 or d0).year
    if not parts:
        return "日付不明"
    return "、".join(parts) + ("頃" if approximate else "")


# a message that asks several questions: each answer under its own line (CLI); in Slack, one message each
QUESTION_OF_MESSAGE = "【質問{n}】{question}"

# --- recording an event (the 登録 modal, bot/entry_views.py and bot/listeners/entries.py) ---------------------
ENTRY_TITLE = "交流を登録"
ENTRY_EDIT_TITLE = "登録を編集"
ENTRY_CHECK = "確認へ"
ENTRY_SAVE = "登録する"
ENTRY_CLOSE = "やめる"
ENTRY_BACK = "戻る"
ENTRY_MUNICIPALITY = "交流自治体"
ENTRY_MUNICIPALITY_HINT = "名前・ふりがな・ローマ字の一部で探せます（交流自治体が先に出ます）"
ENTRY_DESCRIPTION = "事業内容"
ENTRY_DEPARTMENT = "所管課"
ENTRY_DEPARTMENT_HINT = "一覧にない課は、入力した名前がそのまま選べます"
ENTRY_PERIOD = "実施期間"
ENTRY_PERIOD_HINT = "R8.5.30～5.31、R8.6、R8.10.1～12.31、2026/7/20-21 のように。下の日付から選んでもかまいません"
ENTRY_START = "開始日（カレンダーから）"
ENTRY_END = "終了日（1日だけなら空欄）"
ENTRY_NOTE = "備考（任意）"
ENTRY_NEW_DEPARTMENT = "「{name}」（新しく入力）"
ENTRY_NO_PERIOD = "実施期間を入力するか、開始日を選んでください"
ENTRY_END_BEFORE = "終了日が開始日より前です"
ENTRY_NO_MUNICIPALITY = "交流自治体を選んでください"
ENTRY_CONFIRM = "次の内容で *{title}* に登録します。日付の読み取りを確かめてください。"
ENTRY_CONFIRM_EDIT = "次の内容に直します（*{title}*）。日付の読み取りを確かめてください。"
ENTRY_SAVED = "✅ 登録しました（{title}）。すぐに検索できます。"
ENTRY_EDITED = "✅ 直しました（{title}）。"
ENTRY_DELETED = "🗑️ 取り消しました: {text}"
ENTRY_FAILED = "⚠️ 登録できませんでした: {reason}"
ENTRY_NOT_YOURS = "この記録を変更・取り消しできるのは、登録した人と管理者だけです。"
ENTRY_GONE = "この記録はもうありません（取り消されたか、編集で新しくなりました）。"
ENTRY_UNDO = "取り消す"
ENTRY_EDIT = "編集"
ENTRY_NOTE_LINE = "備考: {note}"
ENTRY_FROM_MESSAGE = "メッセージから読み取った内容を入れました。確かめてから登録してください。"
EXPORT_STARTED = "一覧を作っています…"
EXPORT_USAGE = "使い方: `{command} export 2026 pdf`（年度と、pdf か xlsx）"
EXPORT_NONE = "{fiscal_year}年度の記録はありません。"
EXPORT_DONE = "{fiscal_year}年度の交流実績一覧（{count}件）です。"
EXPORT_FAILED = "⚠️ 一覧を送れませんでした: {reason}"


# --- the command line (bot/cli.py): one line each, Japanese first, then English for logs and scripts ---------
CLI_NEXT_STEP = "`koryu ingest <報告書.pdf>`"  # the next step when nothing is stored
CLI_NO_DATABASE = "{path}: データベースがありません。{step} で報告書を取り込んでください / no such database: run {step} first"
CLI_NOTHING_STORED = "{path}: 報告書がまだ取り込まれていません。{step} で取り込んでください / no records stored: run {step} first"
CLI_CANNOT_LIST = "{path}: フォルダを読めません / cannot list the folder ({why})"
CLI_NO_FILES = "取り込むファイルがありません / no report files in {paths}"
CLI_NO_SUCH_FILE = "koryu: {name}: ファイルがありません / no such file"
CLI_DEBUG_FOLDER = "{path}: デバッグ画像のフォルダを作れません / cannot create the debug folder ({why})"
CLI_NOT_STORED = "{name}: 保存できませんでした / not stored — {why}"
CLI_DEBUG_WRITE = "koryu: {path}: デバッグ画像を書けません / cannot write debug images ({why})"
CLI_NO_CHANGE = "変更なし"
CLI_CHANGES = "追加 {added} / 削除 {removed} / 変更 {changed}"
CLI_REPORT_LINE = "{name}: {fiscal_year}年度 {series} — {records}件・{partners}自治体 ({changes}) {seconds:.1f}秒"
CLI_PER_PARTNER = "{name} {n}件"
CLI_UNREAD_PERIODS = "  日付を読めなかった実施期間 {n}件: {periods}"
CLI_WARNING = "  注意: {warning}"
CLI_HELP_MORE = "• koryu reports … 取り込み済みの報告書　• koryu ingest 報告書.pdf … 報告書の取り込み"
CLI_SEARCH_FAILED = "{path}: 検索できませんでした / search failed ({why})"
CLI_FORMAT_MISMATCH = "{path}: --format {fmt} と拡張子 .{suffix} が合いません / --format {fmt} does not match the .{suffix} file"
CLI_FORMAT_NEEDS_FILE = "{fmt} は -o でファイルに書き出してください / write {fmt} to a file with -o"
CLI_FISCAL_YEAR = "{fiscal_year}年度"
CLI_YEAR_NOT_STORED = "{fiscal_year}年度の記録はありません（取り込み済み: {stored}） / fiscal year {fiscal_year} is not stored"
CLI_NO_SUCH_SERIES = "{series}: その一覧はありません（保存済み: {stored}） / no such series"
CLI_CANNOT_WRITE = "{path}: 書き込めません / cannot write ({why})"
CLI_WROTE = "{path}: {n}件を {fmt} で書き出しました / wrote {n} records as {fmt}"
CLI_REQUIRED = "{names} が必要です / required: {names}"
CLI_RECORDED = "登録しました / recorded"
CLI_EDITED = "直しました / edited"
CLI_DELETED = "削除しました / deleted"

# --- koryu serve refusing to start (bot/server.py) ---------------------------------------------------------------
SERVE_NO_BOT_TOKEN = "SLACK_BOT_TOKEN が設定されていません / SLACK_BOT_TOKEN is not set (see .env.example)"
SERVE_NO_APP_TOKEN = "Socket Mode には SLACK_APP_TOKEN が必要です / Socket Mode needs SLACK_APP_TOKEN"
SERVE_NO_SIGNING_SECRET = "HTTP モードには SLACK_SIGNING_SECRET が必要です / HTTP mode needs SLACK_SIGNING_SECRET"
SERVE_EXAMPLE_VALUES = "{names} はまだ .env.example の例の値です / {names} still {verb} the example value from .env.example"
SERVE_TOKEN_REJECTED = "Slack がトークンを受け付けません / Slack rejected SLACK_BOT_TOKEN ({why})"
SERVE_UNREACHABLE = "Slack に接続できません / cannot reach {url} ({why})"

# --- small words ---------------------------------------------------------------------------------------------------
UPLOAD_NO_FILE_INFO = "ファイルの情報がありません"
UPLOAD_NO_URL = "URLがありません"
UPLOAD_NOT_SLACK_URL = "Slack のファイルの URL ではありません"
ONGOING = "継続中"  # an open end (R6.6.17～) in the answer line
INGEST_TITLE = "報告書の取り込み"
ADDED_SERIES = "追加の報告書"  # the name an untitled report added beside the stored series gets
