"""Folding text for matching (store.normalize): the invisible characters it removes are exactly Unicode's format
characters plus the variation selectors, and folding makes the spellings people mix equal."""

from __future__ import annotations

import sys
import unicodedata

from store.normalize import FORMAT_CHARACTERS, fold, invisible, word_chars


def test_format_characters_are_unicode_category_cf():
    """FORMAT_CHARACTERS is written out as ranges of the Unicode version Python ships (14.0 in 3.11): the same set
    as category Cf, so a new Python's additions show up here rather than as a character left in the index."""
    cf = {cp for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"}
    ours = {cp for a, b in FORMAT_CHARACTERS for cp in range(a, b + 1)}
    assert ours == cf, (sorted(map(hex, cf - ours)), sorted(map(hex, ours - cf)))
    assert {0xFE0F, 0xE0100, 0x20E3} <= invisible() and cf <= invisible()


def test_fold_makes_the_spellings_people_mix_equal():
    assert fold("ｶﾅｻﾞﾜ") == fold("かなざわ") == fold("カナザワ")
    assert fold("森鷗外") == fold("森鴎外")
    assert fold("金沢\u200b市") == fold("金沢市")
    assert fold("スタンプラリー") == "すたんぷらりー"  # the long-vowel mark is no dash inside a word
    assert fold("Ａ－１") == "a-1"  # full-width letters and a full-width minus
    assert word_chars("物産展・物産") == "物産展物産" and word_chars("R6.7.5～10.6") == "r675106"
