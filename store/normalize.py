"""The one text normalisation used on BOTH the search index and the query side.

`fold(text)` maps text that a person would call "the same" to one string:

1. NFKC — full/half width (ｸﾏﾓﾝ → クマモン, Ｒ６ → R6), Kangxi radicals (⾧ U+2FA7 → 長), compatibility
   ideographs (U+F900 block).
2. What NFKC misses:
   - CJK Radicals Supplement look-alikes that PDF text layers emit (⻑ U+2ED1 → 長), from Unicode's
     EquivalentUnifiedIdeograph.txt (Unicode 15.1), the entries whose target is a Japanese kanji;
   - the tildes 〜 (U+301C) ～ (U+FF5E) 〰 ∼ ~ → "~", and dash look-alikes → "-";
   - the long-vowel mark ー (and ｰ) read as what the writer meant: a long vowel after kana (スタンプラリー),
     a hyphen or range mark anywhere else (ＪーＶＥＲ → j-ver, 11月16日ー18日 → 11月16日-18日); a dash
     look-alike after katakana is the long-vowel mark (ラリ－ → らりー);
   - the small ヶ/ヵ of place names and counters → け like ケ (茅ヶ崎 = 茅ケ崎 = 茅ヵ崎), and the small vowels
     of loanwords → full size (ミーテイング = ミーティング);
   - invisible characters removed: format characters (zero-width space and joiners, BOM, bidi marks, soft
     hyphen), variation selectors (including the ideographic variation sequences 葛󠄀 → 葛);
   - variant and old kanji (鷗→鴎, 澤→沢, 髙→高, 﨑→崎 …) from `store/data/itaiji.tsv`, built by
     `scripts/build_itaiji.py` from kyujipy (常用/人名用 旧字体 lists) and jageocoder's itaiji table;
   - katakana → hiragana (クマモン → くまもん), case (J-VER → j-ver).

Displayed text is never folded; only the index and the query are.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

# CJK Radicals Supplement → unified ideograph (EquivalentUnifiedIdeograph.txt, Unicode 15.1; the rows
# whose target is used in Japanese).
# NFKC leaves these alone; PDF producers map 長-like glyphs to them (⻑ in the FY2024 text layer).
RADICALS = {
    "\u2e85": "\u4ebb",
    "\u2e89": "\u5202",
    "\u2e96": "\u5fc4",
    "\u2e9f": "\u6bcd",
    "\u2ea0": "\u6c11",
    "\u2ea1": "\u6c35",
    "\u2ea3": "\u706c",
    "\u2ea9": "\u738b",
    "\u2ead": "\u793b",
    "\u2eae": "\u7af9",
    "\u2ebe": "\u8279",
    "\u2ebf": "\u8279",
    "\u2ec0": "\u8279",
    "\u2ec4": "\u897f",
    "\u2ec6": "\u89d2",
    "\u2eca": "\u8db3",
    "\u2ecc": "\u8fb6",
    "\u2ecd": "\u8fb6",
    "\u2ecf": "\u961d",
    "\u2ed1": "\u9577",
    "\u2ed6": "\u961d",
    "\u2ed8": "\u9752",
    "\u2edd": "\u98df",
    "\u2ee1": "\u9996",
    "\u2ee3": "\u9aa8",
    "\u2ee4": "\u9b3c",
    "\u2ee8": "\u9ea6",
    "\u2ee9": "\u9ec4",
    "\u2eeb": "\u6589",
    "\u2eed": "\u6b6f",
    "\u2eef": "\u7adc",
    "\u2ef2": "\u4e80",
}

TILDES = {"\u301c": "~", "\uff5e": "~", "\u223c": "~", "\u2053": "~", "\u02dc": "~", "\u3030": "~"}
DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\u2500"}
# U+30FC (長音符 ー) is NOT a dash in words (スタンプラリー), so it must stay: removed below.
del DASHES["\u30fc"]


# Invisible characters: Unicode format characters (category Cf: ZWSP U+200B, ZWNJ/ZWJ U+200C/D, LRM/RLM,
# bidi embeddings and isolates, WJ U+2060, BOM U+FEFF, soft hyphen U+00AD, …), the variation selectors
# (U+FE00–FE0F, and U+E0100–E01EF that make ideographic variation sequences) and the combining keycap.
FORMAT_CHARACTERS = (  # Unicode 14.0 category Cf, as ranges (tests/store/test_normalize.py checks them against unicodedata)
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip


SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Lone UTF-16 surrogates (a JSON "\\ud800", an undecodable byte of a command line) become a space: they
    cannot be stored or sent as UTF-8, and, like invisible characters, they say nothing."""
    return SURROGATE.sub(" ", text) if text else text


@functools.lru_cache(maxsize=1)
def invisible() -> frozenset[int]:
    """Code points of the invisible characters fold() removes (about 420): the format characters, the
    variation selectors (U+FE00–FE0F, U+E0100–E01EF) and the combining enclosing keycap U+20E3."""
    cf = [cp for a, b in FORMAT_CHARACTERS for cp in range(a, b + 1)]
    return frozenset(cf + list(range(0xFE00, 0xFE10)) + list(range(0xE0100, 0xE01F0)) + [0x20E3])


@functools.lru_cache(maxsize=1)
def itaiji_table() -> dict[str, str]:
    """Variant → canonical kanji map (single code points), from `store/data/itaiji.tsv`.

    Returns: dict of about 800 entries such as {"鷗": "鴎", "澤": "沢"}.
    """
    table: dict[str, str] = {}
    text = resources.files("store").joinpath("data/itaiji.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            variant, canonical = line.split("\t")
            table[variant] = canonical
    return table


@functools.lru_cache(maxsize=1)
def _translation() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for mapping in (RADICALS, TILDES, DASHES, itaiji_table()):
        table.update({ord(k): v for k, v in mapping.items()})
    # katakana → hiragana (ァ..ヶ and the iteration marks); ヷ-ヺ have no hiragana twin and stay
    for cp in range(ord("ァ"), ord("ヶ") + 1):
        table[cp] = chr(cp - 0x60)
    table[ord("ヽ")] = "ゝ"
    table[ord("ヾ")] = "ゞ"
    # the small ヶ and ヵ are written for each other and for ケ (茅ヶ崎 = 茅ケ崎 = 茅ヵ崎, 一ヶ月 = 一ヵ月)
    table.update({ord("ヶ"): "け", ord("ヵ"): "け", 0x3096: "け", 0x3095: "け"})
    # small vowels of loanwords are often typed full size (ミーテイング for ミーティング)
    table.update({ord(small): big for small, big in zip("ぁぃぅぇぉァィゥェォ", "あいうえおあいうえお")})
    table.update({cp: None for cp in invisible()})
    return table


@functools.lru_cache(maxsize=1)
def _repair_translation() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in RADICALS.items()}
    # Adobe-Japan1 CMaps give U+02DC SMALL TILDE for the ASCII tilde of CID fonts (R6.11.20~11.23)
    table[0x02DC] = "~"
    # glyphs a font cannot map come out as NUL or other C0 controls: nothing that was printed
    table.update({cp: None for cp in range(0x20) if chr(cp) not in "\n\t"})
    table[0x7F] = None
    # Kangxi Radicals block: NFKC maps each to its ideograph (⾧ U+2FA7 → 長)
    table.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)})
    return table


def repair(text: str) -> str:
    """Undo text-layer artefacts without changing what was printed: radical look-alikes → ideographs,
    SMALL TILDE → "~".

    Used by ingest on every cell (⻑ and ⾧ are how some PDF fonts encode the glyph 長). Never raises.
    """
    return unicodedata.normalize("NFC", text).translate(_repair_translation())


# after NFKC: ー is a long vowel only after kana or another ー; elsewhere it was typed for a hyphen or range
_LONG_VOWEL_AS_DASH = re.compile(r"(?<![\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe])\u30fc")
# and a dash look-alike right after katakana was meant as the long vowel (スタンプラリ－)
_DASH_AS_LONG_VOWEL = re.compile(r"(?<=[\u30a1-\u30fa])[\u2010-\u2015\u2212\uff0d-]")


def fix_long_vowels(text: str) -> str:
    """ー where it is not a long vowel → "-" (ＪーＶＥＲ, 16日ー18日); a dash right after katakana → ー
    (ラリ－). Expects NFKC text. Used by `fold` and by the query cleaner alike."""
    if "\u30fc" in text:
        text = _LONG_VOWEL_AS_DASH.sub("-", text)
    return _DASH_AS_LONG_VOWEL.sub("\u30fc", text)


def fold(text: str) -> str:
    """Normalise text for matching (see module docstring). Total: any str in, str out, never raises."""
    return fix_long_vowels(unicodedata.normalize("NFKC", text)).translate(_translation()).casefold()


_NOT_WORD = re.compile(r"[\W_]+")


def word_chars(text: str) -> str:
    """`fold(text)` with everything that is not a word character removed (punctuation, spaces, symbols).

    Index and query both drop punctuation, so "J-VER", "JVER" and "Ｊ－ＶＥＲ" all become "jver".
    """
    return _NOT_WORD.sub("", fold(text))


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of `word_chars(text)`; a 1-character text gives itself.

    Example: bigrams("物産展") == ["物産", "産展"]. This is the unit of the full-text index.
    """
    s = word_chars(text)
    if len(s) < 2:
        return [s] if s else []
    return [s[i : i + 2] for i in range(len(s) - 1)]
