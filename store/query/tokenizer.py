"""The tokenizer seam: a question → morphemes with part of speech, normalised form, reading and synonym
groups. The parser depends only on `Morpheme` and `Tokenizer`; the analyser behind them is replaceable
(benchmarks/compare_analyzers.py plugs in others and measures them on the gold questions).

koryu uses SudachiPy with sudachidict_small (split mode C). Chosen by measurement — see the README's
analyser table: on the sentence gold set it equals the larger dictionaries' recall and precision, starts in
~50 ms, adds ~55 MiB to the serving process (sudachidict_core adds ~105 MiB and would break the 150 MiB
budget), and it alone gives normalised forms (こども → 子供, 打合せ → 打ち合わせ) and the synonym-group ids
of Sudachi's synonym dictionary, which `store/query/variants.py` uses for spelling variants. Rejected:
fugashi + unidic-lite (smaller, no synonym ids; lemma 熊 for くま in くまモン), Janome (pure Python:
~10× slower to parse and to start).

Part-of-speech names are UniDic's (Sudachi shares them): 名詞-普通名詞-一般, 助詞-格助詞, … The parser uses
the coarse `Morpheme.kind`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Protocol

# coarse kinds, from the first two levels of a UniDic part of speech
NOUN, PROPER, NUMBER, PRONOUN, PREFIX, SUFFIX, ADJECTIVAL = (
    "noun",
    "proper",
    "number",
    "pronoun",
    "prefix",
    "suffix",
    "adjectival",
)
VERB, ADJECTIVE, PARTICLE, AUXILIARY, ADNOMINAL, ADVERB = "verb", "adjective", "particle", "auxiliary", "adnominal", "adverb"
CONJUNCTION, INTERJECTION, SYMBOL, SPACE, OTHER = "conjunction", "interjection", "symbol", "space", "other"
# the kinds a content chunk is made of (a run of them, unbroken by particles or verbs, is one phrase)
CONTENT = frozenset({NOUN, PROPER, NUMBER, PREFIX, SUFFIX, ADJECTIVAL})

_KINDS = {
    "名詞": NOUN,
    "代名詞": PRONOUN,
    "形状詞": ADJECTIVAL,
    "連体詞": ADNOMINAL,
    "副詞": ADVERB,
    "接続詞": CONJUNCTION,
    "感動詞": INTERJECTION,
    "動詞": VERB,
    "形容詞": ADJECTIVE,
    "助動詞": AUXILIARY,
    "助詞": PARTICLE,
    "接頭辞": PREFIX,
    "接尾辞": SUFFIX,
    "記号": SYMBOL,
    "補助記号": SYMBOL,
    "空白": SPACE,
}


def kind_of(pos: tuple[str, ...]) -> str:
    """Coarse kind of a UniDic part of speech: ("名詞", "固有名詞", "地名") → "proper"."""
    if not pos:
        return OTHER
    kind = _KINDS.get(pos[0], OTHER)
    if kind == NOUN and len(pos) > 1:
        if pos[1] == "固有名詞":
            return PROPER
        if pos[1] == "数詞":
            return NUMBER
    if kind == SUFFIX and len(pos) > 1 and pos[1] not in ("名詞的", "形状詞的"):
        return AUXILIARY  # 動詞的/形容詞的 suffixes (〜がる, 〜っぽい) work like endings, not like nouns
    return kind


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One word of the question.

    surface: as written; begin/end: character offsets in the analysed text; pos: UniDic part of speech;
    normalized: the analyser's normalised form (こども → 子供), surface when it has none; reading: hiragana
    reading ("" when unknown); synonym_groups: Sudachi synonym-dictionary group ids, None when the
    analyser does not provide them; known: False for a word the analyser guessed (not in its dictionary).
    """

    surface: str
    begin: int
    end: int
    pos: tuple[str, ...]
    normalized: str = ""
    reading: str = ""
    synonym_groups: tuple[int, ...] | None = None
    known: bool = True

    @property
    def kind(self) -> str:
        return kind_of(self.pos)

    @property
    def is_content(self) -> bool:
        return self.kind in CONTENT

    @property
    def is_place_name(self) -> bool:
        """The analyser tagged it a place name (名詞-固有名詞-地名)."""
        return len(self.pos) > 2 and self.pos[1] == "固有名詞" and self.pos[2] == "地名"


class Tokenizer(Protocol):
    """What the parser needs from a morphological analyser. `tokenize` must be safe to call from several
    threads at once and never raise on any text."""

    name: str

    def tokenize(self, text: str) -> list[Morpheme]: ...


def hiragana(text: str) -> str:
    """Katakana → hiragana (NFKC first, so half-width kana too); other characters unchanged."""
    s = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in s)


class SudachiTokenizer:
    """SudachiPy, split mode C (longest units), with one Sudachi tokenizer per thread (a Sudachi Tokenizer
    refuses concurrent use). The dictionary loads on first use (~50 ms), not at import."""

    def __init__(self, dictionary: str = "small") -> None:
        self.dictionary = dictionary
        self.name = f"sudachi-{dictionary}"
        self._dict: Any = None  # sudachipy.Dictionary, made on first use
        self._lock = threading.Lock()
        self._local = threading.local()

    def _tokenizer(self):
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            from sudachipy import Dictionary, SplitMode

            with self._lock:
                if self._dict is None:
                    self._dict = Dictionary(dict=self.dictionary)
            tok = self._local.tokenizer = self._dict.tokenizer(SplitMode.C)
        return tok

    def tokenize(self, text: str) -> list[Morpheme]:
        if not text.strip():
            return []
        out = []
        for m in self._tokenizer().tokenize(text):
            out.append(
                Morpheme(
                    surface=m.surface(),
                    begin=m.begin(),
                    end=m.end(),
                    pos=tuple(p for p in m.part_of_speech() if p != "*"),
                    normalized=m.normalized_form(),
                    reading=hiragana(m.reading_form()),
                    synonym_groups=tuple(m.synonym_group_ids()),
                    known=not m.is_oov(),
                )
            )
        return out


class ScriptTokenizer:
    """No analyser: runs of one script (kanji, hiragana, katakana, Latin/digits) are words, punctuation and
    spaces separate them. The baseline the analysers are measured against; never used to answer."""

    name = "script-runs"
    _RUN = re.compile(r"[\u4e00-\u9fff々〆]+|[\u3041-\u309f]+|[\u30a0-\u30ff]+|[A-Za-z0-9]+|\s+|.", re.S)

    def tokenize(self, text: str) -> list[Morpheme]:
        out = []
        for m in self._RUN.finditer(text):
            s = m.group(0)
            if s.isspace():
                pos: tuple[str, ...] = ("空白",)
            elif re.fullmatch(r"[\u3041-\u309f]+", s) and len(s) <= 2:
                pos = ("助詞",)
            elif unicodedata.category(s[0])[0] in "LN":
                pos = ("名詞", "普通名詞", "一般")
            else:
                pos = ("補助記号",)
            out.append(Morpheme(s, m.start(), m.end(), pos, s, ""))
        return out


def reading_of(text: str, tokenizer: Tokenizer | None = None) -> str:
    """The kana reading of a text as the index keeps it beside the text itself: each word written with
    kanji replaced by its hiragana reading, the rest as written (現代版組踊の実施 → げんだいばんくみおどりのじっし),
    so a question typed in kana (くみおどり, うめまつり, ぶっさんてん) finds the kanji. Never raises: "" when
    the analyser fails."""
    try:
        words = (tokenizer or default_tokenizer()).tokenize(text)
    except Exception:
        return ""
    return "".join(m.reading if m.reading and any("\u4e00" <= c <= "\u9fff" for c in m.surface) else m.surface for m in words)


_DEFAULT: Tokenizer | None = None
_DEFAULT_LOCK = threading.Lock()


def default_tokenizer() -> Tokenizer:
    """The analyser koryu answers with (SudachiPy + sudachidict_small), shared by every caller."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = SudachiTokenizer("small")
        return _DEFAULT


# Latin letters, digits and the marks inside such words (J-VER, CATV, 2024/11/15, e-mail) are one word:
# analysers cut "J-VER" into three and would make "J" a one-letter search term.
ASCII_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9'&._/+-]*[A-Za-z0-9])?")


def analyse(text: str, tokenizer: Tokenizer) -> list[Morpheme]:
    """Morphemes of `text`, with every run of Latin letters and digits (ASCII_WORD) kept as one noun.

    Offsets are into `text`. Never raises: an analyser failure falls back to script runs.
    """
    out: list[Morpheme] = []
    pos = 0
    for m in ASCII_WORD.finditer(text):
        if not re.search(r"[A-Za-z]", m.group(0)):
            continue  # digits alone stay with the analyser (25階, 3館)
        out += _shifted(text[pos : m.start()], pos, tokenizer)
        word = m.group(0)
        out.append(Morpheme(word, m.start(), m.end(), ("名詞", "普通名詞", "一般"), word, ""))
        pos = m.end()
    out += _shifted(text[pos:], pos, tokenizer)
    return kana_nouns(kana_compounds(out), tokenizer)


def kana_nouns(morphemes: list[Morpheme], tokenizer: Tokenizer) -> list[Morpheme]:
    """Nouns typed in hiragana that the analyser read as something else, put back as one noun when the
    katakana form is one common noun in its dictionary (ばら: an adverb, バラ: a noun; えいさー → エイサー):

    - a hiragana adverb or interjection (ばら); adverbs that stay adverbs in katakana (どう, まだ) are left;
    - a hiragana keyword between spaces that the analyser cut into pieces that are not all content words
      (とま|と → とまと トマト, ぱ|ねる → ぱねる パネル); words it reads as verbs, endings or question
      words (ありますか, おしえて, どんな, いつ) stay as they are.
    """
    out: list[Morpheme] = []
    i = 0
    while i < len(morphemes):
        if morphemes[i].kind == SPACE:
            out.append(morphemes[i])
            i += 1
            continue
        j = i + 1
        while j < len(morphemes) and morphemes[j].kind != SPACE and morphemes[j].begin == morphemes[j - 1].end:
            j += 1
        run = morphemes[i:j]
        surface = "".join(m.surface for m in run)
        if _misread_keyword(run) and _HIRAGANA.fullmatch(surface) and _katakana_noun(surface, tokenizer):
            out.append(Morpheme(surface, run[0].begin, run[-1].end, NOUN_POS, surface, surface))
        else:
            for m in run:
                single = m.kind in (ADVERB, INTERJECTION) and len(m.surface) >= 2 and _HIRAGANA.fullmatch(m.surface)
                if single and _katakana_noun(m.surface, tokenizer):
                    m = Morpheme(m.surface, m.begin, m.end, NOUN_POS, m.surface, m.surface)
                out.append(m)
        i = j
    return out


MISREAD = frozenset({ADVERB, INTERJECTION, SYMBOL, PREFIX})  # pieces that show a word was cut wrongly
NOT_A_NOUN = frozenset({PRONOUN, ADNOMINAL, ADJECTIVE, ADJECTIVAL, CONJUNCTION})


def _misread_keyword(run: list[Morpheme]) -> bool:
    kinds = {m.kind for m in run}
    if len(run) < 2 or kinds & NOT_A_NOUN or kinds <= {PARTICLE} or all(m.is_content for m in run):
        return False
    return not (kinds & {VERB, AUXILIARY}) or bool(kinds & MISREAD)


def _katakana_noun(hiragana: str, tokenizer: Tokenizer) -> bool:
    katakana = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in hiragana)
    try:
        ms = tokenizer.tokenize(katakana)
    except Exception:
        return False
    return len(ms) == 1 and ms[0].known and ms[0].pos[:2] == ("名詞", "普通名詞")


_HIRAGANA = re.compile(r"[\u3041-\u309fー]+")
_KANA_RUN = re.compile(r"[\u3041-\u30ffー]+")
NOUN_POS = ("名詞", "普通名詞", "一般")


def kana_compounds(morphemes: list[Morpheme]) -> list[Morpheme]:
    """Words typed in kana that an analyser cuts apart, put back together as one noun:

    - a verb written in hiragana right before a hiragana noun is the first half of a compound (くみ|おどり →
      くみおどり 組踊, うめ|まつり → うめまつり 梅まつり, ゆわく|おんせん → ゆわくおんせん);
    - a kana run with a long-vowel mark that came out as endings and particles only is a loanword typed in
      hiragana (す|てー|じ → すてーじ ステージ).
    """
    out: list[Morpheme] = []
    i = 0
    while i < len(morphemes):
        m = morphemes[i]
        nxt = morphemes[i + 1] if i + 1 < len(morphemes) else None
        if (
            nxt is not None
            and m.kind == VERB
            and len(m.pos) > 1
            and m.pos[1] == "一般"
            and _HIRAGANA.fullmatch(m.surface)
            and nxt.kind == NOUN
            and _HIRAGANA.fullmatch(nxt.surface)
            and nxt.begin == m.end
        ):
            out.append(
                Morpheme(m.surface + nxt.surface, m.begin, nxt.end, NOUN_POS, m.surface + nxt.surface, m.surface + nxt.surface)
            )
            i += 2
            continue
        j = i
        while (
            m.kind != PARTICLE
            and j < len(morphemes)
            and _KANA_RUN.fullmatch(morphemes[j].surface)
            and (j == i or morphemes[j].begin == morphemes[j - 1].end)
        ):
            j += 1
        run = morphemes[i:j]
        surface = "".join(x.surface for x in run)
        if len(run) > 1 and "ー" in surface and len(surface) >= 3 and not any(x.is_content and len(x.surface) >= 2 for x in run):
            out.append(Morpheme(surface, run[0].begin, run[-1].end, NOUN_POS, surface, surface))
            i = j
            continue
        out.append(m)
        i += 1
    return out


def _shifted(part: str, offset: int, tokenizer: Tokenizer) -> list[Morpheme]:
    if not part:
        return []
    if part.isspace():  # between two Latin words: a space still separates phrases
        return [Morpheme(part, offset, offset + len(part), ("空白",))]
    try:
        ms = tokenizer.tokenize(part)
    except Exception:  # an analyser must never make a question fail
        ms = ScriptTokenizer().tokenize(part)
    return [replace(m, begin=m.begin + offset, end=m.end + offset) for m in ms]
