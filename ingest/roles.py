"""What a report table's columns are called: header words → column roles, shared by the PDF reader
(`ingest.table`, `ingest.grid`) and the spreadsheet reader (`ingest.sheet`)."""

from __future__ import annotations

import re

from store.normalize import fold

# Column titles seen in such reports, folded; matched as substrings of a column's header text.
# Order matters: the first role whose word occurs wins (交流内容 is a description, not a municipality).
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "period",
        ("実施期間", "実施日", "実施時期", "実施年月", "開催日", "開催期間", "期間", "日程", "日時", "時期", "年月日", "日付"),
    ),
    ("department", ("所管課", "担当課", "所管部", "担当部", "主管課", "実施課", "所管", "担当", "課名", "部署", "部課")),
    ("description", ("事業内容", "交流内容", "実施内容", "取組内容", "内容", "事業名", "概要", "取組", "件名", "事業", "実績")),
    (
        "municipality",
        ("自治体", "都道府県", "市区町村", "区市町村", "市町村", "交流先", "相手先", "都市", "県", "市区町", "市町", "区市町"),
    ),
)

MAX_TITLE_CHARS = 16  # a column title is short: 交流自治体名, 実施期間（実施日）


def column_role(title: str) -> str:
    """Role of a column from its header text (folded substring match against ROLE_WORDS):
    "period" | "department" | "description" | "municipality" | "other"."""
    t = fold(re.sub(r"\s+", "", title))
    for role, words in ROLE_WORDS:
        if any(fold(w) in t for w in words):
            return role
    return "other"


def is_title(text: str) -> bool:
    """A short text that names a role: what a header cell holds (a first data row never is one)."""
    return column_role(text) != "other" and len(re.sub(r"\s+", "", text)) <= MAX_TITLE_CHARS


def names_a_table(titles: list[str]) -> bool:
    """Header titles that make a report table: the description and at least one other role."""
    roles = {column_role(t) for t in titles if is_title(t)}
    return "description" in roles and len(roles) >= 2
