"""Build store/query/data/variants.tsv: spelling variants of one word, from Sudachi's synonym dictionary.

Source: SudachiDict `src/main/text/synonyms.txt` (Works Applications, Apache-2.0), the synonym dictionary whose
group ids SudachiPy reports for each morpheme (`Morpheme.synonym_group_ids()`). Format documented in the same
repository's docs/synonyms.md: group, 体言/用言, 展開制御, 語彙素番号 (lexeme within the group), 語形種別,
略語, 表記ゆれ, 分野, 見出し.

Kept — the forms of ONE lexeme, never its neighbours in the group (講演 and 講義 share a group but are
different words; 祭り / 祭 / まつり are one word written three ways):
- rows of one (group, lexeme) whose 語形種別 is 0 (the word itself: no 対訳, 別称, 旧称 or 誤用);
- 表記ゆれ 0 (representative) or 2 (異表記); not 1 (alphabet spellings of loanwords: event for イベント) nor
  3 (misspellings);
- 略語 forms are kept (特注 for 特別注文): the same word, shortened — except Latin-letter ones (MTG for
  ミーティング), which records do not use and which would only clutter the answer's header;
- 展開制御 2 rows are dropped (the dictionary's own "never expand"); 展開制御 1 rows are kept but marked with
  a leading "*": they may be expanded to, but a query word in that form does not expand;
- sets of at least two forms.

Usage:  python scripts/build_variants.py PATH/TO/synonyms.txt SOURCE_NOTE
        (SOURCE_NOTE names the repository and commit the file came from; it is written into the header)
"""

from __future__ import annotations

import csv
import datetime
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "store" / "query" / "data" / "variants.tsv"


def main() -> None:
    source, note = Path(sys.argv[1]), sys.argv[2]
    sets: dict[tuple[str, str], list[str]] = defaultdict(list)
    rows = 0
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if not row or not row[0].strip() or len(row) < 9:
                continue
            rows += 1
            group, _, control, lexeme, form_type, abbreviation, ortho, _, head = (c.strip() for c in row[:9])
            if control == "2" or form_type not in ("", "0") or abbreviation == "1" or ortho in ("1", "3") or not head:
                continue
            entry = ("*" if control == "1" else "") + head
            if entry not in sets[(group, lexeme)]:
                sets[(group, lexeme)].append(entry)
    kept = {k: v for k, v in sets.items() if len(v) >= 2}
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(
            f"# Spelling variants of one word (one lexeme of a synonym group). Built {datetime.date.today()} by "
            f"scripts/build_variants.py from {note}. A form marked * is a target only.\n"
        )
        f.write("group\tlexeme\tforms\n")
        for (group, lexeme), forms in sorted(kept.items()):
            if any("\t" in x or "," in x for x in forms):
                continue
            f.write(f"{int(group)}\t{lexeme}\t{','.join(forms)}\n")
    print(f"{rows} rows -> {len(kept)} variant sets, {sum(len(v) for v in kept.values())} forms -> {OUT}")


if __name__ == "__main__":
    main()
