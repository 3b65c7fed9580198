"""The one text normalisation used on BOTH the search index and the query side.

`fold(text)` maps text that a person would call "the same" to one string:

1. NFKC — full/half width (ｸﾏﾓﾝ → クマモン, Ｒ６ → R6), Kangxi radicals (⾧ U+2FA7 → 長), compatibility
   ideographs (U+F900 block).
2. What NFKC misses:
   - CJK Radicals Supplement look-alikes that PDF text layers emit (⻑ U+2ED1 → 長), from Unicode's
     EquivalentUnifiedIdeograph.txt (Unicode 15.1), the entries whose target is a Japanese kanji;
   - the three tildes 〜 (U+301C) ～ (U+FF5E) ~ → "~", and dash look-alikes → "-";
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

TILDES = {"\u301c": "~", "\uff5e": "~", "\u223c": "~", "\u2053": "~", "\u02dc": "~"}
DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\u2500"}
# U+30FC (長音符 ー) is NOT a dash in words (スタンプラリー), so it must stay: removed below.
del DASHES["\u30fc"]


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
def _translation() -> dict[int, str]:
    table: dict[int, str] = {}
    for mapping in (RADICALS, TILDES, DASHES, itaiji_table()):
        table.update({ord(k): v for k, v in mapping.items()})
    # katakana → hiragana (ァ..ヶ and the iteration marks); ヷ-ヺ have no hiragana twin and stay
    for cp in range(ord("ァ"), ord("ヶ") + 1):
        table[cp] = chr(cp - 0x60)
    table[ord("ヽ")] = "ゝ"
    table[ord("ヾ")] = "ゞ"
    return table


@functools.lru_cache(maxsize=1)
def _repair_translation() -> dict[int, str]:
    table = {ord(k): v for k, v in RADICALS.items()}
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


def fold(text: str) -> str:
    """Normalise text for matching (see module docstring). Total: any str in, str out, never raises."""
    return unicodedata.normalize("NFKC", text).translate(_translation()).casefold()


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
