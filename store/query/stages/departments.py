"""Departments (所管課) by their name as stored, or a 〜課 that can only be one of them."""

from __future__ import annotations

import re

from store.query.model import Note
from store.query.stages.state import State


# ----------------------------------------------------------------------------------------- departments
def claim_departments(state: State) -> None:
    """A stored department by its exact name (経済課), or a 〜課 that is unmistakably one of them
    (防災課 → 防災危機管理課: its characters in order, in exactly one department)."""
    lex = state.lexicon
    # characters before each morpheme: a span longer than the longest name (plus the ・ and spaces folding may
    # drop) is skipped unfolded, so a long run without spaces costs n² comparisons, not n³ folds
    at = [0]
    for m in state.morphemes:
        at.append(at[-1] + len(m.surface))
    longest = 2 * max(map(len, lex.folded_departments), default=0)
    for start, end in state.chunks():
        i = start
        while i < end:
            hit = None
            for j in range(end, i, -1):
                if at[j] - at[i] > longest:  # longer than any department: no need to fold it
                    continue
                if state.folded(i, j) in lex.folded_departments:
                    hit = j
                    break
            if hit is None:
                i += 1
                continue
            target = state.excluded_departments if state.negated[i] else state.departments
            name = lex.folded_departments[state.folded(i, hit)]
            if name not in target:
                target.append(name)
            state.claim(i, hit)
            i = hit
    for start, end in state.chunks():
        text = state.folded(start, end)
        if len(text) < 3 or text[-1] not in "課室係部":
            continue
        pattern = re.compile(".*".join(re.escape(c) for c in text[:-1]) + ".*" + re.escape(text[-1]) + "$")
        found = [d for f, d in lex.folded_departments.items() if pattern.search(f)]
        if len(found) == 1:
            target = state.excluded_departments if state.negated[start] else state.departments
            target.append(found[0])
            state.note(Note("corrected", f"「{text}」を「{found[0]}」として検索しました"))
            state.claim(start, end)
