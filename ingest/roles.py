"""What a report table's columns are called: header words → column roles, shared by the PDF reader
(`ingest.table`, `ingest.grid`) and the spreadsheet reader (`ingest.sheet`).

A header names a role as a whole: a role word, optionally after words that say whose or which (交流 内容,
相手 自治体, 担当 部署, 事業 の 内容) and before 名/等/名称 (交流自治体名), with notes in brackets dropped
(実施期間（実施日）). A role word inside a header that names something else is not that role: 協定締結年月日 is the
date an agreement was signed, 事業費（千円） an amount, 担当者連絡先 a phone number — such a column is "other"
and is never read into a field.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from ingest.rows import DASH, NO_EVENT_WORDS
from store.normalize import fold

# Column titles seen in such reports, as whole headers. Order matters only between roles: the first role
# whose pattern matches the whole header wins.
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "period",
        tuple(
            "実施期間 実施日 実施時期 実施年月日 実施年月 実施日時 実施月 開催月 開催日 開催期間 開催日時 期間 日程 日時 時期 年月日 日付".split()
        ),
    ),
    (
        "department",
        tuple(
            "所管課 担当課 所管部 担当部 主管課 実施課 担当部署 所管部署 担当部課 所管部課 所管 担当 課名 部署 部課 課".split()
        ),
    ),
    ("description", tuple("事業内容 交流内容 実施内容 取組内容 内容 事業名 事業概要 概要 取組 件名 事業 実績".split())),
    ("municipality", tuple("自治体 相手方 都道府県 市区町村 区市町村 市町村 交流先 相手先 都市 県 市区町 市町 区市町".split())),
)

# Words that may stand before a role's word, saying whose or which (any number, then の or not) — per role, as
# 協定 before 期間 would be the agreement's term, not when the exchange took place.
ROLE_PREFIXES: dict[str, tuple[str, ...]] = {
    "period": ("実施", "開催", "交流", "事業", "活動", "取組"),
    "department": ("所管", "担当", "主管", "実施", "事業"),
    "description": ("交流", "事業", "実施", "取組", "活動", "主な"),
    "municipality": ("交流", "相手", "協定", "締結", "協定締結", "連携", "友好", "姉妹", "交流先"),
}
ROLE_SUFFIXES = ("名", "名称", "等")  # 交流自治体名, 所管課名, 事業名称, 実施期間等
_NOTES = re.compile(r"\([^()]*\)|[※*]")  # （実施日）, （千円）, ※ — after fold brackets are ASCII

MAX_TITLE_CHARS = 16  # a column title is short: 交流自治体名, 実施期間（実施日）


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    def alternatives(words) -> str:
        return "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))

    suffixes = alternatives(ROLE_SUFFIXES)
    return tuple(
        (role, re.compile(rf"^(?:(?:{alternatives(ROLE_PREFIXES[role])})+の?)?(?:{alternatives(words)})(?:{suffixes})?$"))
        for role, words in ROLE_WORDS
    )


def _plain(title: str) -> str:
    """A header as it is compared: folded, without whitespace and without notes in brackets."""
    return _NOTES.sub("", fold(re.sub(r"\s+", "", title)))


@functools.lru_cache(maxsize=4096)
def column_role(title: str) -> str:
    """Role of a column from its header text, named as a whole (see the module docstring):
    "period" | "department" | "description" | "municipality" | "other"."""
    t = _plain(title)
    if not t:
        return "other"
    for role, pattern in _patterns():
        if pattern.match(t):
            return role
    return "other"


def _exactness(title: str, role: str) -> int:
    """How plainly a header names its role: 2 a role word alone, 1 a role word with words around it."""
    words = dict(ROLE_WORDS)[role]
    return 2 if _plain(title) in {fold(w) for w in words} else 1


SINGLE_ROLES = ("period", "department")  # one column each; two description or label columns are joined


def column_roles(titles: list[str]) -> list[str]:
    """Each column's role, where at most one column is the period and one the department: of two headers
    claiming one, the one that is the role word alone (実施期間 beside 実施期間等) keeps it and the other is
    "other" — never read into the field. When neither is plainer, both keep it and the checks refuse the
    page (`ingest.checks`: two columns for one field)."""
    roles = [column_role(t) for t in titles]
    for role, n in Counter(roles).items():
        if role not in SINGLE_ROLES or n < 2:
            continue
        claims = [k for k, r in enumerate(roles) if r == role]
        best = max(_exactness(titles[k], role) for k in claims)
        plainest = [k for k in claims if _exactness(titles[k], role) == best]
        if len(plainest) == 1:
            roles = [("other" if k in claims and k != plainest[0] else r) for k, r in enumerate(roles)]
    return roles


def is_title(text: str) -> bool:
    """A short text that names a role: what a header cell holds (a first data row never is one)."""
    return column_role(text) != "other" and len(re.sub(r"\s+", "", text)) <= MAX_TITLE_CHARS


def names_a_table(titles: list[str]) -> bool:
    """Header titles that make a report table: the description and at least one other role."""
    roles = {column_role(t) for t in titles if is_title(t)}
    return "description" in roles and len(roles) >= 2


def is_header_word(text: str) -> bool:
    """A text a header cell can hold: a role's title, or a short text that is no date (事業費, （千円）, 備考,
    No.), no dash and no 実績なし. A first data row holds a date in its period cell, or says it has none."""
    from ingest.periods import parse_period

    if is_title(text):
        return True
    plain = re.sub(r"\s+", "", text)
    if DASH.match(plain) or plain.strip("()（）") in NO_EVENT_WORDS:
        return False  # a dash or 実績なし: a row's cell (a partner without events under the header)
    return 0 < len(plain) <= MAX_TITLE_CHARS and not parse_period(text, None).start
