"""What words mean, from a maintained dictionary: JMdict (the Electronic Dictionary Research and Development
Group's Japanese–English dictionary, CC BY-SA 4.0), as the SQLite file of the `jamdict-data` package.

Two uses, both limited to the words the records actually use (the store's own vocabulary):

- an English question is read by matching its words against the English glosses of the records' words
  ("school lunch" → 給食, whose glosses are "provision of lunch (e.g. at office, school, etc.)" and "lunch
  service"; "disaster prevention" → 防災: "prevention of damage resulting from a natural disaster");
- a Japanese word no record holds is read as the records' words nearest in meaning (スイーツ → デザート),
  by word vectors (`store.query.near`), ranked after literal matches and labelled (意味の近い語).

    meanings = Meanings.build(descriptions, tokenizer)     # the records' vocabulary, with gloss words
    meanings.english_words("school lunch events")          # → [("school lunch", ("給食",)), …]
    meanings.near("スイーツ")                               # → (("デザート", 0.69), …)

Chosen by measurement (README, "Near words and English"): JMdict through jamdict-data answers English and
near-word questions with no model to load — lookups are indexed SQLite reads of a 311 MB file opened
read-only, so the serving process grows by the pages it touches (a few MiB), not by the file. Rejected:
GiNZA's ja-ginza model (chiVe vectors): spaCy and the model add ~200 MiB to the process and ~2 s to start,
over the 150 MiB budget; a packaged Japanese WordNet: none on the package index carries its data (wn
downloads it from the web, which this tool may not reach). jamdict itself (the library over this file) is not
used: its lookup builds whole entry objects (a dozen queries per entry) and cannot look up by gloss word.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from store.normalize import fold
from store.query.tokenizer import CONTENT, Tokenizer, analyse

if TYPE_CHECKING:
    from store.query.near import NearWords

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_SMALL_KANA = re.compile(r"[\u3040-\u309f]{1,3}")  # ため, こと, もの: hiragana function words mean too much
MIN_WORD = 2  # characters: a one-character word (本, 会) means too many things to expand into

# English words that say nothing about what was done (they are in every record's glosses or none)
STOPWORDS = frozenset(
    """a an the of to in on at by for with from into onto about as and or but not no nor is are was were be been
    being do does did done doing have has had having i we you he she it they them their our us my your me this that
    these those there here what which who whom whose when where why how any some all each every other another such
    etc eg e g ie i e esp usu also only very more most less least much many lot lots can could will would shall
    should may might must please tell show list give find get got let know want need like s t just ok okay
    thing things stuff something anything everything nothing all one ones kind kinds sort type types way
    related relevant connected linked concerning
    took take taking taken part participate participated participating join joined joining held hold holding
    organize organized organise organised run ran happen happened conduct conducted carry carried out go went
    plan planned related relating regarding involving involve involved took place happened occur occurred
    city cities town towns municipality municipalities partner partners sister prefecture prefectures ward
    up down off over into onto via per
    exchange exchanges program programs programme programmes activity activities event events record records
    project projects initiative initiatives thing done year years""".split()
)

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def english_tokens(text: str) -> list[str]:
    """The content words of an English text, lower-cased and reduced to a base form (events → event,
    meetings → meeting, held → held): [word]. Stopwords are dropped."""
    return [lemma(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]


@lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    """A crude English base form (plural -s/-es/-ies, -'s): enough to match a question's words to glosses,
    which are mostly singular nouns."""
    word = word.split("'")[0]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class Dictionary:
    """JMdict, read-only. glosses(word) → [(sense number, gloss)] of the entries written `word` (kanji or kana
    form), sense number 0 for each entry's first sense. Unavailable (no jamdict-data installed, or its file missing) →
    every lookup is empty and `available` is False."""

    def __init__(self, path: str | None = None):
        self.path = path if path is not None else _default_path()
        self._local = threading.local()

    @property
    def available(self) -> bool:
        return bool(self.path) and self._conn() is not None

    def _conn(self) -> sqlite3.Connection | None:
        conn = getattr(self._local, "conn", None)
        if conn is None and self.path:
            try:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
                conn.execute("PRAGMA cache_size = -512")  # KiB, per thread: the lookups are index seeks
                conn.execute("SELECT 1 FROM Kanji LIMIT 1")
            except sqlite3.Error:
                conn = None
                self.path = ""
            self._local.conn = conn
        return conn

    def glosses(self, word: str) -> list[tuple[int, str]]:
        conn = self._conn()
        if conn is None:
            return []
        rows = conn.execute(
            "SELECT s.idseq, s.ID, g.text FROM SenseGloss g JOIN Sense s ON s.ID = g.sid WHERE s.idseq IN "
            "(SELECT idseq FROM Kanji WHERE text = ?1 UNION SELECT idseq FROM Kana WHERE text = ?1) ORDER BY s.idseq, s.ID",
            (word,),
        ).fetchall()
        out: list[tuple[int, str]] = []
        first: dict[int, int] = {}
        for idseq, sense, text in rows:
            first.setdefault(idseq, sense)
            out.append((0 if sense == first[idseq] else 1, text))
        return out

    def spellings(self, reading: str) -> list[str]:
        """The written forms JMdict and JMnedict (its names) give for a hiragana `reading`: なつめそうせき →
        [夏目漱石], かぐら → [神楽, …]."""
        conn = self._conn()
        if conn is None:
            return []
        rows = conn.execute(
            "SELECT k.text FROM Kana n JOIN Kanji k ON k.idseq = n.idseq WHERE n.text = ?1 "
            "UNION SELECT k.text FROM NEKana n JOIN NEKanji k ON k.idseq = n.idseq WHERE n.text = ?1",
            (reading,),
        ).fetchall()
        return [r[0] for r in rows]


def _default_path() -> str:
    try:
        import jamdict_data

        return str(jamdict_data.JAMDICT_DB_PATH)
    except ImportError:
        return ""


@lru_cache(maxsize=1)
def default_dictionary() -> Dictionary:
    """The shared JMdict reader (jamdict-data's file)."""
    return Dictionary()


@dataclass
class Meanings:
    """The records' vocabulary with what each word means in English.

    words: record word → the content words of its glosses (`english_tokens`); by_token: gloss word → the
    record words whose glosses hold it; first_sense: record word → the gloss words of its first sense; corpus:
    the descriptions folded, for `holds`; near_words: the records' words with their vectors (near words); common: gloss words held by so many record words (over 3% of them,
    and over 12) that they pick out nothing (exchange, city, event)."""

    words: dict[str, frozenset[str]] = field(default_factory=dict)
    by_token: dict[str, set[str]] = field(default_factory=dict)
    common: frozenset[str] = frozenset()
    first_sense: dict[str, frozenset[str]] = field(default_factory=dict)
    corpus: str = ""
    near_words: NearWords | None = None

    def holds(self, word: str) -> bool:
        """True when some record's description holds `word` (folded: くまもん finds くまモン)."""
        folded = fold(word)
        return bool(folded) and folded in self.corpus

    @classmethod
    def build(
        cls,
        descriptions: Iterable[str],
        tokenizer: Tokenizer,
        dictionary: Dictionary | None = None,
        departments: Iterable[str] = (),
    ) -> Meanings:
        """The vocabulary of `descriptions` (their content words of MIN_WORD characters or more, as written and
        normalised, and each run of two content words) with JMdict's glosses. Words JMdict lacks are left out.
        The words of `departments` are read in English too ("environment" → 環境 of 環境政策課), but never
        offered as near words (研修 is not 教育 of 教育委員会)."""
        dictionary = dictionary or default_dictionary()
        descriptions = list(descriptions)
        vocabulary: set[str] = set()
        surfaces: dict[str, str] = {}  # as written in a record → the analyser's normalised form (寄附 → 寄付)
        compounds: dict[str, tuple[str, str]] = {}
        for text in [*descriptions, *departments]:
            own = text in descriptions
            morphemes = analyse(text, tokenizer)
            for k, m in enumerate(morphemes):
                if m.kind not in CONTENT:
                    continue
                vocabulary.update(w for w in (m.surface, m.normalized) if len(w) >= MIN_WORD)
                if own and len(m.surface) >= MIN_WORD and _JAPANESE.search(m.surface):
                    surfaces[m.surface] = m.normalized or m.surface
                if k + 1 < len(morphemes) and morphemes[k + 1].kind in CONTENT:
                    compounds[m.surface + morphemes[k + 1].surface] = (m.surface, morphemes[k + 1].surface)
        from store.query.near import NearWords  # the vectors only when a question needs them

        near_words = NearWords.build(surfaces, tokenizer)
        words: dict[str, frozenset[str]] = {}
        first: dict[str, frozenset[str]] = {}
        by_token: dict[str, set[str]] = defaultdict(set)
        for word in sorted(vocabulary | set(compounds)) if dictionary.available else ():
            if not _JAPANESE.search(word) or _SMALL_KANA.fullmatch(word):
                continue
            glosses = dictionary.glosses(word)
            if not glosses and word in compounds:  # 梅まつり: plum + festival, from its parts
                glosses = [(1, g) for part in compounds[word] for _, g in dictionary.glosses(part)]  # never a first sense
            tokens = frozenset(t for _, g in glosses for t in english_tokens(g))
            if not tokens:
                continue
            words[word] = tokens
            first[word] = frozenset(t for n, g in glosses if n == 0 for t in english_tokens(g))
            for t in tokens:
                by_token[t].add(word)
        limit = max(12, len(words) * 3 // 100)
        common = frozenset(t for t, ws in by_token.items() if len(ws) > limit)
        return cls(words, dict(by_token), common, first, fold("\n".join(descriptions)), near_words)

    def english_words(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """An English text → [(its words read together, the record words that mean them)], in the text's order.
        Words read together are those one record word's glosses hold together ("school lunch" → 給食); a word
        no record word means is returned with () (left out, and said so)."""
        tokens = [t for t in english_tokens(text)]
        out: list[tuple[str, tuple[str, ...]]] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, tuple[str, ...]] = (0, ())
            for n in range(min(3, len(tokens) - i), 0, -1):
                span = tokens[i : i + n]
                if n == 1 and span[0] in self.common:
                    continue
                candidates = set.intersection(*(self.by_token.get(t, set()) for t in span))
                if candidates:
                    best = (n, self._ranked(candidates, span))
                    break
            if best[0] == 0:
                out.append((tokens[i], ()))
                i += 1
                continue
            out.append((" ".join(tokens[i : i + best[0]]), best[1]))
            i += best[0]
        return out

    def _ranked(self, candidates: set[str], span: list[str]) -> tuple[str, ...]:
        """Record words that mean `span`: those whose first sense does, when any does; the most specific first
        (fewest gloss words), without a word that holds another candidate (給食 and 学校給食: 給食 finds both)."""
        first = {w for w in candidates if all(t in self.first_sense.get(w, ()) for t in span)}
        ordered = sorted(first or candidates, key=lambda w: (len(self.words[w]), len(w), w))
        kept = [w for w in ordered if not any(o != w and o in w for o in ordered)]
        return tuple(kept[:6])

    def near(self, word: str) -> tuple[tuple[str, float], ...]:
        """The record words nearest in meaning to `word` (store.query.near): [(word, similarity)], best first."""
        return self.near_words.near(word) if self.near_words is not None else ()
