"""The `koryu` command line: ingest, ask, export, reports, serve (contract in docs/DESIGN.md).

click gives the commands, help and progress bar. Rejected: typer (a layer over click whose type-hint magic
adds little for five commands), argparse (no progress bar, more code for subcommands).
Errors are one line on stderr and a non-zero exit status; never a traceback.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

import click

from bot import messages as msg
from bot import mrkdwn, printing, render, wording
from store.records import csv_bytes
from store.titles import series_label


def _default_db() -> str:
    from bot.settings import SettingsError, load

    try:
        return load().koryu_db  # KORYU_DB from the environment or .env, else koryu.db here
    except SettingsError as e:  # e.g. KORYU_QUESTION_LOG_DAYS=0 in .env: one line, not a traceback
        _fail(str(e))


DB_OPTION = click.option(
    "--db",
    "db_path",
    envvar="KORYU_DB",
    default=_default_db,
    show_default="KORYU_DB or koryu.db",
    type=click.Path(dir_okay=False),
    help="SQLite database file.",
)


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"koryu: {message}", err=True)
    sys.exit(code)


def _open_stored(db_path: str):
    """The store at db_path, which must exist and hold records; else a one-line error naming the next step."""
    import store

    if not Path(db_path).exists():
        _fail(msg.CLI_NO_DATABASE.format(path=db_path, step=msg.CLI_NEXT_STEP))
    try:
        db = store.open(db_path)
        empty = db.is_empty()
    except store.StoreError as e:
        _fail(str(e))
    if empty:
        db.close()
        _fail(msg.CLI_NOTHING_STORED.format(path=db_path, step=msg.CLI_NEXT_STEP))
    return db


def _remove_database(db_path: str) -> None:
    """Delete a database file this command created, with SQLite's side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(db_path + suffix).unlink(missing_ok=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="koryu")
def main() -> None:
    """koryu — 交流実績（inter-municipal exchange records）を報告書PDFから読み取り、検索して答えます。

    \b
    Example:
      koryu ingest ingest/data/sample/r6_report.pdf && koryu ask "金沢市 物産展"
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@DB_OPTION
@click.option(
    "--debug",
    "debug_dir",
    type=click.Path(file_okay=False),
    help="Write a PNG per page showing the cells, blocks and labels found.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a stored report even when the new version has far fewer records, and store rows that could "
    "not be read in full, flagged (answers show their problems).",
)
@click.option(
    "--series",
    "series",
    metavar="NAME",
    help="The report series of every file given (a stored name replaces that report, a new name adds one); "
    "needed for an untitled report of a year that already holds named ones.",
)
def ingest(paths: tuple[str, ...], db_path: str, debug_dir: str | None, quiet: bool, force: bool, series: str | None) -> None:
    """報告書（PDF・.xlsx・CSV・export）を取り込みます。

    Read reports into the database: PDFs, the .xlsx workbook they were printed from, CSV saved from it
    (UTF-8, UTF-8 with BOM or CP932), folders of them, or `koryu export` JSON/CSV.

    A report is its fiscal year and series — the title without its year (交流実績一覧（協定等締結自治体）); another
    series of a stored year is added beside it. Each report is replaced in one transaction; a file that
    fails is named on stderr with the reason, the others go on, stored records stay as they were, and the
    exit status is 1.

    \b
    Example:
      koryu ingest reports/ --db koryu.db
      koryu ingest r6_report.pdf --debug debug-pages/
      koryu ingest untitled.pdf --series 交流実績一覧（協定等締結自治体以外）
      koryu ingest 交流実績一覧.xlsx
    """
    import store

    files = _report_files(paths, debug_dir)
    created = not Path(db_path).exists()  # made by this command: removed again if nothing is stored in it
    try:
        db = store.open(db_path)
    except store.StoreError as e:
        if created:
            _remove_database(db_path)
        _fail(str(e))
    failed = stored = 0
    with db:
        for path in files:
            outcome = _ingest_one(db, db_path, path, quiet, force, series)
            if not outcome.ok:
                failed += 1
                click.echo(f"koryu: {outcome.error}", err=True)
            if debug_dir and Path(path).suffix.lower() == ".pdf":  # a refused file most of all: the pictures say why
                failed += 0 if _draw_debug(path, debug_dir, quiet) else 1
            if not outcome.ok:
                continue
            stored += 1
            if not quiet:
                for report, diff in zip(outcome.reports, outcome.diffs):
                    _print_summary(path, report, diff)
                for compared in outcome.drafts:
                    click.echo("  " + "\n  ".join(render.draft_comparison_lines(compared, slack=False)))
    if created and not stored:  # every file refused: leave no empty database behind
        _remove_database(db_path)
    if failed:
        sys.exit(1)


def _report_files(paths: tuple[str, ...], debug_dir: str | None) -> list[Path]:
    """The report files `koryu ingest` was given (folders expanded), the debug folder made; a one-line error and
    exit 1 when there is nothing to read (and no database is created for it)."""
    import ingest as ingest_pkg

    try:
        files = ingest_pkg.expand_paths(paths)
    except OSError as e:
        _fail(msg.CLI_CANNOT_LIST.format(path=e.filename, why=e.strerror))
    if not files:
        _fail(msg.CLI_NO_FILES.format(paths=", ".join(paths)))
    if not any(f.exists() for f in files):  # nothing to read: do not create a database either
        for f in files:
            click.echo(msg.CLI_NO_SUCH_FILE.format(name=f.name), err=True)
        sys.exit(1)
    if debug_dir:
        try:
            Path(debug_dir).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            _fail(msg.CLI_DEBUG_FOLDER.format(path=debug_dir, why=e.strerror))
    return files


def _ingest_one(db, db_path: str, path: Path, quiet: bool, force: bool, series: str | None):
    """One file through `ingest.ingest_file`, with a progress bar on a terminal; a busy or failing database
    becomes the file's one-line error (the transaction rolled back). Returns its `ingest.Outcome`."""
    import ingest as ingest_pkg
    import store

    bar = None

    def progress(done: int, total: int, name: str = path.name) -> None:
        nonlocal bar
        # a bar only on a terminal: elsewhere click prints its label alone, a line before the reason
        if total >= 10 and bar is None and not quiet and sys.stderr.isatty():
            bar = click.progressbar(length=total, label=name, file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        return ingest_pkg.ingest_file(db, path, progress=progress, force=force, series=series)
    except store.StoreBusy as e:
        return ingest_pkg.Outcome(Path(path), error=f"{Path(path).name}: {e}")
    except (sqlite3.Error, OSError) as e:  # a full disk, a failing one: the transaction rolled back
        why = store.why_unusable(db_path, e) if isinstance(e, sqlite3.DatabaseError) else f"{db_path}: {e}"
        return ingest_pkg.Outcome(Path(path), error=msg.CLI_NOT_STORED.format(name=Path(path).name, why=why))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _draw_debug(path: Path, debug_dir: str, quiet: bool) -> bool:
    """The pages of a PDF drawn with what the reader saw (`ingest.debug`), into debug_dir; False (said on
    stderr) when they cannot be written."""
    from ingest.debug import draw_file

    try:
        for png in draw_file(path, Path(debug_dir)):
            if not quiet:
                click.echo(f"  debug: {png}")
    except OSError as e:
        click.echo(msg.CLI_DEBUG_WRITE.format(path=debug_dir, why=e.strerror), err=True)
        return False
    return True


def _print_summary(path: Path, report, diff) -> None:
    per = report.per_municipality()
    added, removed, changed = len(diff.added), len(diff.removed), len(diff.changed)
    changes = msg.CLI_NO_CHANGE if diff.is_noop else msg.CLI_CHANGES.format(added=added, removed=removed, changed=changed)
    click.echo(
        msg.CLI_REPORT_LINE.format(
            name=path.name,
            fiscal_year=report.fiscal_year,
            series=series_label(report.series),
            records=len(report.records),
            partners=len(per),
            changes=changes,
            seconds=report.elapsed_s,
        )
    )
    click.echo("  " + "、".join(msg.CLI_PER_PARTNER.format(name=name, n=n) for name, n in per))
    unparsed = report.unparsed_periods
    if unparsed:
        periods = "、".join(repr(r.period_text) for r in unparsed[:10])
        click.echo(msg.CLI_UNREAD_PERIODS.format(n=len(unparsed), periods=periods))
    for w in report.warnings:
        click.echo(msg.CLI_WARNING.format(warning=w))


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, type=click.UNPROCESSED)
@DB_OPTION
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='One JSON object: {"query", "interpretation", "total", "records", "intent", "answer", …}.',
)
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(0, 1_000_000, clamp=True), help="Records to show; 0 = all."
)
@click.option("--offset", default=0, type=click.IntRange(0, 1_000_000_000, clamp=True), help="Skip this many records (paging).")
@click.option("--sql", "show_sql", is_flag=True, help="Print the SQL the query becomes, then the answer.")
@click.option("--series", "series", metavar="NAME", help="Only records of this report series (see `koryu reports`).")
@click.option(
    "--after",
    "after",
    metavar="QUESTION",
    multiple=True,
    help="An earlier question of the conversation (repeatable, oldest first): the question is read as its follow-up.",
)
def ask(
    query: tuple[str, ...],
    db_path: str,
    as_json: bool,
    limit: int,
    offset: int,
    show_sql: bool,
    series: str | None,
    after: tuple[str, ...],
) -> None:
    """Slack と同じように質問し、同じ答えを表示します。

    Ask a question the way you would in Slack; the same answer, as text or JSON.

    \b
    Example:
      koryu ask "金沢市 物産展"
      koryu ask 11月 物産展 --json --limit 0
      koryu ask 物産展 --series 交流実績一覧（協定等締結自治体以外）
      koryu ask "それはいつ？" --after "金沢市の物産展"
      koryu ask "金沢市との交流は何件？また担当課は？"
    """
    import store
    from bot.stores import UnknownSeries, ask_all, open_for_reading, stored_series
    from store.normalize import word_chars

    mistyped = [w for w in query if re.fullmatch(r"--[A-Za-z][\w-]*(=.*)?", w)]
    if mistyped:  # an option koryu does not have, not a word of the question (-x stays: 物産展 -x excludes x)
        _fail(msg.UNKNOWN_OPTION.format(option=mistyped[0]), 2)
    text = " ".join(query).strip()
    if not word_chars(text):  # nothing to look for: empty, spaces, punctuation, invisible characters
        _fail(msg.EMPTY_QUERY.replace("`", ""), 2)
    if text.lower() in ("help", "ヘルプ", "使い方", "?", "？"):
        lines = msg.help_text("koryu ask").replace("`", "").splitlines()
        click.echo("\n".join(line for line in lines if "一覧" not in line and "ingest" not in line))
        click.echo(msg.CLI_HELP_MORE)
        return
    try:
        if show_sql:
            db, _ = open_for_reading(db_path)
            with db:
                parsed = db.parse(text, after=after)
                if series is not None:
                    parsed = parsed.replace(series=stored_series(db, series))
                for st in db.search_sql(parsed):
                    params = json.dumps(
                        [repr(p) if not isinstance(p, (str, int, float)) else p for p in st.params], ensure_ascii=False
                    )
                    click.echo(f"-- {st.purpose}\n{st.sql}\n-- params: {params}\n", err=as_json)
        answers = ask_all(db_path, text, limit=limit or None, offset=offset, series=series, after=after)
    except UnknownSeries as e:
        _fail(str(e), 2)
    except store.StoreBusy:
        _fail(msg.BUSY)
    except store.StoreError as e:
        _fail(str(e))
    except Exception as e:  # a damaged database file: one line, not a traceback
        _fail(msg.CLI_SEARCH_FAILED.format(path=db_path, why=f"{type(e).__name__}: {e}"))
    if as_json:  # the first question's answer; a message of several also lists each (question, answer)
        out = wording.result_json(answers[0][1])
        if len(answers) > 1:
            out["questions"] = [{"question": question, **wording.result_json(result)} for question, result in answers]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for n, (question, result) in enumerate(answers, start=1):
        if len(answers) > 1:
            click.echo(("\n" if n > 1 else "") + msg.QUESTION_OF_MESSAGE.format(n=n, question=question))
        click.echo(wording.result_text(result))
        if result.records and result.offset + len(result.records) < result.total:  # the CLI's own paging words
            click.echo(msg.CLI_MORE.format(offset=result.offset + len(result.records)))


EXPORT_FORMATS = ("json", "csv", "xlsx", "pdf")


@main.command()
@DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="json, csv, or the 一覧 as the report prints it: xlsx or pdf [default: from the -o file's extension, else json]",
)
@click.option("--fiscal-year", type=click.IntRange(1900, 2999), help="Only this fiscal year (2024 = 令和6年度).")
@click.option("--series", help="Only this list of the year (交流実績一覧（登録分） …; see koryu reports).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
def export(db_path: str, fmt: str | None, fiscal_year: int | None, series: str | None, output: str | None) -> None:
    """保存されている記録を出力します（JSON・CSV、または報告書と同じ体裁の一覧 xlsx・PDF）。

    Print the stored records: JSON (an array of records), CSV (UTF-8 with BOM, opens in Excel), or the 一覧 in
    the report's own layout — xlsx or an A4 PDF with the title, the header on every page, partners in
    全国地方公共団体コード order. Every format can be ingested again (`koryu ingest 一覧.pdf`) and gives the same
    records.

    \b
    Example:
      koryu export --format csv --fiscal-year 2024 -o r6.csv
      koryu export --format pdf --fiscal-year 2026 -o r8_一覧.pdf
    """
    import store

    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    if fmt is None:
        fmt = suffix if suffix in EXPORT_FORMATS else "json"
    elif suffix in EXPORT_FORMATS and suffix != fmt:
        _fail(msg.CLI_FORMAT_MISMATCH.format(path=output, fmt=fmt, suffix=suffix))
    if fmt in ("xlsx", "pdf") and not output and sys.stdout.isatty():
        _fail(msg.CLI_FORMAT_NEEDS_FILE.format(fmt=fmt))
    try:
        with _open_stored(db_path) as db:
            years = db.fiscal_years()
            if fiscal_year is not None and fiscal_year not in years:
                stored = "、".join(msg.CLI_FISCAL_YEAR.format(fiscal_year=y) for y in years)
                _fail(msg.CLI_YEAR_NOT_STORED.format(fiscal_year=fiscal_year, stored=stored) + f" ({', '.join(map(str, years))})")
            lists = printing.stored_lists(db, fiscal_year, series)
            if not lists:
                named = "、".join(dict.fromkeys(series_label(d["series"]) for d in db.reports()))
                _fail(msg.CLI_NO_SUCH_SERIES.format(series=series, stored=named))
    except store.StoreError as e:
        _fail(str(e))
    records = [r for printed in lists for r in printed.records]
    try:
        data = _export_bytes(fmt, lists)
    except printing.PrintError as e:
        _fail(str(e))
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as e:
            _fail(msg.CLI_CANNOT_WRITE.format(path=output, why=e.strerror))
        click.echo(
            msg.CLI_WROTE.format(path=output, n=len(records), fmt=fmt.upper()),
            err=True,
        )
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _export_bytes(fmt: str, lists: list[printing.PrintedList]) -> bytes:
    """The bytes of an export of the stored lists (`printing.stored_lists`) in one of EXPORT_FORMATS."""
    if fmt in ("pdf", "xlsx"):
        return printing.pdf_bytes(lists) if fmt == "pdf" else printing.xlsx_bytes(lists)
    records = [r for printed in lists for r in printed.records]
    if fmt == "json":
        return (json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return csv_bytes(records)


def _entry_store(db_path: str):
    """The store for recording events: created when missing (a year may start with koryu add)."""
    import store

    try:
        return store.open(db_path)
    except store.StoreError as e:
        _fail(str(e))


def _suggest(db):
    from store.query.stages import place_suggestions

    return lambda text: place_suggestions(text, db.lexicon())[:3]


def _partners(db) -> frozenset[str]:
    return frozenset(m["name"] for m in db.municipalities(with_counts=False))


def _print_entry(verb: str, record) -> None:
    from ingest.entry import draft_title

    click.echo(f"{verb}: {record.id}  {draft_title(record.fiscal_year)}")
    click.echo("  " + wording.record_text(record, mrkdwn=False).replace("\n", "\n  "))


ENTRY_OPTIONS = [
    click.option("--municipality", "-m", help="交流自治体 (金沢市, 石川県金沢市, 熊本県 …)."),
    click.option("--description", "-d", help="事業内容."),
    click.option("--department", help="所管課."),
    click.option("--period", "-p", help="実施期間, as the report writes it (R7.5.30～5.31, R7.6) or 2025/5/30-31."),
]


def _entry_options(f):
    for option in reversed(ENTRY_OPTIONS):
        f = option(f)
    return f


@main.command()
@DB_OPTION
@_entry_options
@click.option("--fiscal-year", type=click.IntRange(1900, 2999), help="Read the period in this fiscal year (default: today's).")
def add(
    db_path: str,
    municipality: str | None,
    description: str | None,
    department: str | None,
    period: str | None,
    fiscal_year: int | None,
) -> None:
    """交流事業を1件登録します（その年度の「交流実績一覧（登録分）」に入り、すぐ検索できます）。

    Record one event in its fiscal year's draft report (交流実績一覧（登録分）); it is searchable at once. Bad
    input is one line and stores nothing: an unknown municipality gets its もしかして, a period that is no date
    says why.

    \b
    Example:
      koryu add -m 金沢市 -d "朝顔市で物産展" --department アカデミー推進課 -p "R7.7.20～7.21"
    """
    from ingest.entry import EntryError, add_record, entry_record

    missing = [
        n
        for n, v in (
            ("--municipality", municipality),
            ("--description", description),
            ("--department", department),
            ("--period", period),
        )
        if not v
    ]
    if missing:
        _fail(msg.CLI_REQUIRED.format(names=", ".join(missing)), 2)
    with _entry_store(db_path) as db:
        try:
            record = entry_record(
                municipality or "",
                description or "",
                department or "",
                period or "",
                fiscal_year=fiscal_year,
                suggest=_suggest(db),
                partners=_partners(db),
            )
            record = add_record(db, record)
        except EntryError as e:
            _fail(str(e))
    _print_entry(msg.CLI_RECORDED, record)


@main.command()
@DB_OPTION
@click.argument("record_id")
@_entry_options
def edit(
    db_path: str, record_id: str, municipality: str | None, description: str | None, department: str | None, period: str | None
) -> None:
    """登録した交流事業を直します（報告書から読んだ記録は変えられません）。

    Change fields of a recorded event (its id from `koryu add`, `koryu ask --json` or `koryu export`); fields
    not given stay. Records read from a published report are that report's and cannot be edited.

    \b
    Example:
      koryu edit 1a2b3c4d5e6f7a8b -p "R7.7.19～7.21"
    """
    from ingest.entry import EntryError, edit_record

    with _entry_store(db_path) as db:
        try:
            record = edit_record(
                db,
                record_id,
                suggest=_suggest(db),
                partners=_partners(db),
                municipality=municipality,
                description=description,
                department=department,
                period=period,
            )
        except EntryError as e:
            _fail(str(e))
    _print_entry(msg.CLI_EDITED, record)


@main.command()
@DB_OPTION
@click.argument("record_id")
def delete(db_path: str, record_id: str) -> None:
    """登録した交流事業を削除します（報告書から読んだ記録は削除できません）。

    Delete a recorded event by its id. Records read from a published report cannot be deleted one by one.

    \b
    Example:
      koryu delete 1a2b3c4d5e6f7a8b
    """
    from ingest.entry import EntryError, delete_record

    with _entry_store(db_path) as db:
        try:
            record = delete_record(db, record_id)
        except EntryError as e:
            _fail(str(e))
    _print_entry(msg.CLI_DELETED, record)


@main.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="As a JSON array.")
def reports(db_path: str, as_json: bool) -> None:
    """取り込み済みの報告書を一覧にします。

    List the stored reports: fiscal year, series, records, municipalities, title, source file, when ingested.

    \b
    Example:
      koryu reports --db koryu.db
    """
    import store

    try:
        with _open_stored(db_path) as db:
            rows = db.reports()
    except store.StoreError as e:
        _fail(str(e))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    title, body = render.reports_text(rows)
    click.echo(title)
    click.echo(mrkdwn.unescape(body))


@main.command()
@DB_OPTION
@click.option("--unanswered", is_flag=True, help="Only questions that found nothing (the last time they were asked).")
@click.option("--disliked", is_flag=True, help="Only questions whose answer got a 👎 (with what people were looking for).")
@click.option(
    "--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only questions asked on or after this day (UTC), e.g. 2026-11-01."
)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(0, None), default=0, help="At most this many lines (0 = all).")
def questions(db_path: str, unanswered: bool, disliked: bool, since, fmt: str, limit: int) -> None:
    """Slack で聞かれた質問の記録を表示します。

    The questions asked in Slack (the question log), most asked first: how often, what they found, 👍/👎.

    The questions that found nothing are where the vocabulary should grow. Kept KORYU_QUESTION_LOG_DAYS days
    (default 180); user ids only with KORYU_LOG_USERS=true.

    \b
    Example:
      koryu questions --unanswered
      koryu questions --since 2026-11-01 --format csv > questions.csv
    """
    import csv
    import io

    import store

    if not Path(db_path).exists():  # asking creates nothing: no database is no questions, and a hint
        _fail(msg.NO_QUESTION_LOG.format(db=db_path))
    try:
        with store.open(db_path) as db:
            rows = db.questions.summary(
                since.date() if since else None, unanswered=unanswered, disliked=disliked, limit=limit or None
            )
    except store.StoreError as e:
        _fail(str(e))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        out = io.StringIO()
        fields = [
            "question",
            "interpretation",
            "asked",
            "found",
            "unanswered",
            "up",
            "down",
            "comments",
            "first_asked",
            "last_asked",
        ]
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, "comments": " / ".join(r["comments"])})
        click.echo("\ufeff" + out.getvalue(), nl=False)  # with a BOM, as `export`: Excel opens it as UTF-8
        return
    span = msg.QUESTIONS_SINCE.format(since=since.date().isoformat()) if since else msg.QUESTIONS_ALL_TIME
    if not rows:
        click.echo(msg.QUESTIONS_NONE.format(span=span))
        return
    click.echo(msg.QUESTIONS_HEADER.format(n=len(rows), span=span))
    click.echo(msg.QUESTIONS_COLUMNS)
    for r in rows:
        reading = f"（{r['interpretation']}）" if r["interpretation"] and r["interpretation"] != r["question"] else ""
        click.echo(
            f"{r['asked']:>5} {r['found']:>5} {r['up']:>3} {r['down']:>3}  {r['last_asked'][:10]}  {r['question']}{reading}"
        )
        for c in r["comments"][:3]:
            click.echo(f"{'':>31}「{c}」")


@main.command()
@click.option("--http", "mode", flag_value="http", default=True, help="Serve POST /slack/events (default).")
@click.option("--socket", "mode", flag_value="socket", help="Socket Mode (needs SLACK_APP_TOKEN); no public URL needed.")
@click.option("--port", type=int, envvar="PORT", default=3000, show_default=True, help="HTTP port (env PORT).")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP bind address.")
@DB_OPTION
def serve(mode: str, port: int, host: str, db_path: str) -> None:
    """Slack アプリを起動します。

    Run the Slack app: HTTP mode on waitress (production WSGI server), or Socket Mode.

    \b
    Example:
      koryu serve --http --port 3000
      koryu serve --socket
    """
    from bot.server import serve as run

    try:
        run(mode, host=host, port=port, db_path=db_path)
    except ValueError as e:
        _fail(str(e))


if __name__ == "__main__":
    main()
