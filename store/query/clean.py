"""A question as typed → text the parser can read: what carries no search meaning is removed, and what
looks the same is written the same (the query side of `store.normalize.fold`).

- Slack emoji shortcodes (:pray:, :thumbs_up::skin-tone-2:, :party-parrot:) and real emoji, including
  ZWJ sequences, flags, keycaps and skin tones (the `emoji` package's Unicode emoji data — rejected: a
  hand-written range list, which misses sequences), then any other pictographic symbol (♪ ★ ☆);
- invisible characters (zero-width spaces and joiners, BOM, bidi marks, variation selectors);
- NFKC (Ｒ６ → R6, ｸﾏﾓﾝ → クマモン), the wave dash and tildes → "~";
- ー typed for a hyphen or a range (ＪーＶＥＲ → J-VER, 11月16日ー18日 → 11月16日-18日) and a dash typed
  for the long vowel after katakana (ラリ－ → ラリー), by the same rule as the index side.
"""

from __future__ import annotations

import re
import unicodedata

from store.normalize import TILDES, fix_long_vowels, invisible

# :name: as Slack sends emoji (letters, digits, _ + - '), optionally with a skin tone; a name needs a letter,
# so a time such as 10:30:00 is never taken for one
SHORTCODE = re.compile(r"(?<![A-Za-z0-9]):[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*:(?::skin-tone-[2-6]:)?", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# 旧 before an old place name (旧日原町) is its own word; analysers glue it to the name's first character
_FORMER = re.compile(r"旧(?=[^\s]{1,6}?[市町村区])")


def _may_hold_emoji(text: str) -> bool:
    return any(ord(c) >= 0x2000 and unicodedata.category(c) in ("So", "Sk", "Cn", "Cf", "Mn", "Me") for c in text)


def clean(text: str) -> str:
    """The question ready for parsing (see module docstring). Total: any str in, str out; at most 500
    characters of it are read (a question is not a document)."""
    s = (text or "")[:500]
    s = SHORTCODE.sub(" ", s)
    if _may_hold_emoji(s):
        import emoji  # loaded only for text that may hold emoji (~40 ms)

        s = emoji.replace_emoji(s, replace=" ")
        s = "".join(" " if unicodedata.category(c) in ("So", "Sk") and ord(c) >= 0x2000 else c for c in s)
    s = s.translate({cp: None for cp in invisible()} if _has_invisible(s) else {})
    s = unicodedata.normalize("NFKC", s)
    s = s.translate(_TILDES)
    s = fix_long_vowels(s)
    s = _FORMER.sub("旧 ", s)
    # control characters (a pasted tab, a form feed) are spaces
    s = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in s)
    return _SPACES.sub(" ", s).strip()


_TILDES = {ord(k): v for k, v in TILDES.items()}


def _has_invisible(s: str) -> bool:
    inv = invisible()
    return any(ord(c) in inv for c in s)
