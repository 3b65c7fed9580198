"""Build store/data/itaiji.tsv: variant kanji (異体字, 旧字体) folded to one form for search.

Sources (PyPI, needed only to rebuild this file, never at run time):
- kyujipy: 旧字体 ↔ 新字体 pairs from the 常用漢字表 and 人名用漢字 lists (via kyujitai.js), e.g. 澤→沢, 鷗→鴎.
- jageocoder: the itaiji table its address matcher uses for place names (髙→高, 﨑→崎, 邉→辺, 嶋→島);
  only ideograph-to-ideograph rows are taken (its kana folds such as ケ→が are for addresses, not prose).

Each line is `variant<TAB>canonical`; chains are resolved so every variant maps straight to its final form.

Usage:  pip install --no-deps kyujipy cson jageocoder && python scripts/build_itaiji.py
"""

from __future__ import annotations

import datetime
import json
import unicodedata
from importlib import metadata, resources
from pathlib import Path

import cson

OUT = Path(__file__).resolve().parent.parent / "store" / "data" / "itaiji.tsv"


def is_ideograph(c: str) -> bool:
    return len(c) == 1 and unicodedata.name(c, "").startswith("CJK")


def main() -> None:
    pairs: dict[str, str] = {}
    data = resources.files("kyujipy") / "data"
    for name in ("kyujitai_simplified.cson", "kyujitai_variants.cson"):
        for new, old in cson.loads(data.joinpath(name).read_text(encoding="utf-8")):
            if is_ideograph(new) and is_ideograph(old) and new != old:
                pairs.setdefault(old, new)
    # read the data file without importing jageocoder (its import pulls in its geocoder's dependencies)
    jage_file = next(f for f in metadata.files("jageocoder") if f.name == "itaiji_dic.json")
    jage = json.loads(jage_file.read_text(encoding="utf-8"))
    for old, new in jage.items():
        if is_ideograph(old) and is_ideograph(new) and old != new:
            pairs.setdefault(old, new)
    # NFKC already maps compatibility ideographs (U+F900..) to unified ones; keep the table about the rest
    pairs = {unicodedata.normalize("NFKC", k): unicodedata.normalize("NFKC", v) for k, v in pairs.items()}
    pairs = {k: v for k, v in pairs.items() if k != v}

    def final(c: str, seen: tuple = ()) -> str:
        nxt = pairs.get(c)
        return c if nxt is None or nxt in seen else final(nxt, seen + (c,))

    resolved = {k: final(k) for k in pairs}
    resolved = {k: v for k, v in resolved.items() if k != v}
    with OUT.open("w", encoding="utf-8") as f:
        f.write(
            f"# variant\tcanonical — built {datetime.date.today()} by scripts/build_itaiji.py from kyujipy "
            f"{metadata.version('kyujipy')} and jageocoder {metadata.version('jageocoder')} (MIT)\n"
        )
        for k in sorted(resolved):
            f.write(f"{k}\t{resolved[k]}\n")
    print(f"{len(resolved)} variants -> {OUT}")


if __name__ == "__main__":
    main()
