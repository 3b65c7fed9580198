"""A question as typed → text the parser can read: what carries no search meaning is removed, and what
looks the same is written the same (the query side of `store.normalize.fold`).

- Slack markup (mentions, channel links; a link keeps its label) and emoji shortcodes (:pray:, :thumbs_up::skin-tone-2:, :party-parrot:) and real emoji, including
  ZWJ sequences, flags, keycaps and skin tones (the `emoji` package's Unicode emoji data — rejected: a
  hand-written range list, which misses sequences), then any other pictographic symbol (♪ ★ ☆);
- invisible characters (zero-width spaces and joiners, BOM, bidi marks, variation selectors);
- NFKC (Ｒ６ → R6, ｸﾏﾓﾝ → クマモン), the wave dash and tildes → "~";
- dates in kanji numerals as digits (令和六年十一月十五日 → 令和6年11月15日, 二〇二四年 → 2024年);
- ー typed for a hyphen or a range (ＪーＶＥＲ → J-VER, 11月16日ー18日 → 11月16日-18日) and a dash typed
  for the long vowel after katakana (ラリ－ → ラリー), by the same rule as the index side.
"""

from __future__ import annotations

import re
import unicodedata

from store.normalize import TILDES, fix_long_vowels, invisible, without_surrogates

# :name: as Slack sends emoji (letters, digits, _ + - '), optionally with a skin tone; a name needs a letter,
# so a time such as 10:30:00 is never taken for one
SHORTCODE = re.compile(r"(?<![A-Za-z0-9]):[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*:(?::skin-tone-[2-6]:)?", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Slack's markup as it arrives: mentions and channel/@here pings (<@U1>, <#C1|general>, <!here>) carry no
# search meaning; a link reads as its label (<https://…|金沢市> → 金沢市)
SLACK_MARKUP = re.compile(r"<[@#!][^<>]*>")
# a bare web address or mail address typed into a question: not words to search
BARE_ADDRESS = re.compile(r"(?:https?|ftp)://[^\s<>]+|www\.[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|<>]*)(?:\|([^<>]*))?>")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_NUMBER = "〇一二三四五六七八九十"
# dates written in kanji numerals: 令和六年十一月十五日, 十一月, 二〇二四年 (the 十日 of 十日町市 is not a date)
_ERA_KANJI = re.compile(rf"(令和|平成|昭和)([{_KANJI_NUMBER}]{{1,3}})(?=年)")
_MONTH_KANJI = re.compile(rf"(?<![{_KANJI_NUMBER}])([{_KANJI_NUMBER}]{{1,3}})(?=月)")
_DAY_KANJI = re.compile(rf"(?<=\d月)([{_KANJI_NUMBER}]{{1,3}})(?=日)")
_YEAR_KANJI = re.compile(r"(?<![〇一二三四五六七八九])([〇一二三四五六七八九]{4})(?=年)")


_KANJI_NUMERAL = re.compile(r"[一二三四五六七八九]?十[一二三四五六七八九]?|[〇一二三四五六七八九]+")


def kanji_number(text: str) -> int:
    """十一 → 11, 二十三 → 23, 三十 → 30, 六 → 6, 〇 → 0; digits one by one when there is no 十 (二〇二四 → 2024).
    Raises ValueError for what is not such a numeral (十十)."""
    if not _KANJI_NUMERAL.fullmatch(text):
        raise ValueError(f"not a kanji numeral: {text!r}")
    if "十" not in text:
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def _digits_for_kanji(s: str) -> str:
    if not any(c in _KANJI_NUMBER for c in s):
        return s
    s = _ERA_KANJI.sub(lambda m: m.group(1) + _numeral(m.group(2)), s)
    s = _YEAR_KANJI.sub(lambda m: _numeral(m.group(1)), s)
    s = _MONTH_KANJI.sub(lambda m: _numeral(m.group(1)), s)
    return _DAY_KANJI.sub(lambda m: _numeral(m.group(1)), s)


def _numeral(text: str) -> str:
    """Digits of a kanji numeral; the text as written when it is not one (十十月 stays)."""
    try:
        return str(kanji_number(text))
    except ValueError:
        return text


# 旧 before an old place name (旧日原町) is its own word; analysers glue it to the name's first character
_FORMER = re.compile(r"旧(?=[^\s]{1,6}?[市町村区])")


def _may_hold_emoji(text: str) -> bool:
    return any(ord(c) >= 0x2000 and unicodedata.category(c) in ("So", "Sk", "Cn", "Cf", "Mn", "Me") for c in text)


def clean(text: str) -> str:
    """The question ready for parsing (see module docstring). Total: any str in, str out."""
    s = without_surrogates(text or "")
    s = SLACK_LINK.sub(lambda m: m.group(2) or " ", s)
    s = SLACK_MARKUP.sub(" ", s)
    s = BARE_ADDRESS.sub(" ", s)
    s = SHORTCODE.sub(" ", s)
    if _may_hold_emoji(s):
        import emoji  # loaded only for text that may hold emoji (~40 ms)

        s = emoji.replace_emoji(s, replace=" ")
        s = "".join(" " if unicodedata.category(c) in ("So", "Sk") and ord(c) >= 0x2000 else c for c in s)
    s = s.translate({cp: None for cp in invisible()} if _has_invisible(s) else {})
    s = unicodedata.normalize("NFKC", s)
    s = s.translate(_TILDES)
    s = fix_long_vowels(s)
    s = _digits_for_kanji(s)
    s = _FORMER.sub("旧 ", s)
    # control characters (a pasted tab, a form feed) are spaces
    s = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in s)
    return _SPACES.sub(" ", s).strip()


_TILDES = {ord(k): v for k, v in TILDES.items()}


def _has_invisible(s: str) -> bool:
    inv = invisible()
    return any(ord(c) in inv for c in s)
