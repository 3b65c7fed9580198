"""The state the question-reading stages share: the analysed words, which are claimed, and what each stage
found (`State`); the roles of a run of words; the strongest question word."""

from __future__ import annotations

from dataclasses import dataclass, field

from store.normalize import fold
from store.query.lexicon import Lexicon, word_roles
from store.query.model import DateRange, Intent, Note, Place, Term
from store.query.tokenizer import SPACE, Morpheme

MAX_RUN = 6  # words a name or a vocabulary word may span
INTENT_ORDER = (Intent.COUNT, Intent.DEPARTMENT, Intent.WHEN, Intent.WHERE, Intent.WHAT)


@dataclass
class State:
    """The analysed question and what the stages found so far (morphemes claimed by a stage are done)."""

    morphemes: list[Morpheme]
    lexicon: Lexicon
    fiscal_year: int | None = None
    year: int | None = None
    claimed: list[bool] = field(default_factory=list)
    negated: list[bool] = field(default_factory=list)
    lacking: list[bool] = field(default_factory=list)  # a word partners must not have (物産展をやっていない自治体)
    or_before: set[int] = field(default_factory=set)  # morpheme i starts a phrase ORed with the one before
    intents: list[Intent] = field(default_factory=list)
    count_by: str | None = None
    count_of: str = "records"
    counts_records: bool = False
    dates: list[DateRange] = field(default_factory=list)
    excluded_dates: list[DateRange] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    excluded_places: list[Place] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    excluded_departments: list[str] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    excluded_terms: list[Term] = field(default_factory=list)
    lacking_terms: list[Term] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    asked: bool = False  # a word that names the records themselves or asks about them (交流, 一覧, どこ)
    scoped: set[str] = field(default_factory=set)  # labels of places read with 内 / 全体 / 各地 after them

    def __post_init__(self) -> None:
        self.claimed = [m.kind in (SPACE,) for m in self.morphemes]
        self.negated = [False] * len(self.morphemes)
        self.lacking = [False] * len(self.morphemes)

    def folded(self, i: int, j: int) -> str:
        """Folded text of morphemes i..j-1, without the separators people put inside names (・)."""
        return fold("".join(m.surface for m in self.morphemes[i:j])).replace("・", "")

    def chunks(self) -> list[tuple[int, int]]:
        """(start, end) of each run of unclaimed content morphemes."""
        return self.runs(0, len(self.morphemes), content=True)

    def runs(self, start: int, end: int, content: bool = False) -> list[tuple[int, int]]:
        """(start, end) of each run of unclaimed morphemes between start and end (content ones only, with
        `content`)."""
        out, a = [], None
        for k in range(start, end + 1):
            free = k < end and not self.claimed[k] and (not content or self.morphemes[k].is_content)
            if free and a is None:
                a = k
            elif not free and a is not None:
                out.append((a, k))
                a = None
        return out

    def claim(self, i: int, j: int) -> None:
        for k in range(i, j):
            self.claimed[k] = True

    def note(self, note: Note) -> None:
        if note not in self.notes:
            self.notes.append(note)


def roles(state: State, i: int, j: int) -> frozenset[str]:
    return word_roles().get(state.folded(i, j), frozenset())


def intent_of(state: State) -> Intent:
    """The strongest question word: counting beats a department, which beats when, where, what. 担当 with
    a department named (学務課が担当した事業は？) asks for that department's records, not which one it is."""
    for intent in INTENT_ORDER:
        if intent == Intent.DEPARTMENT and state.departments:
            continue
        if intent in state.intents:
            return intent
    return Intent.LIST
