"""A text table's header: the words of its column titles, found above the body by their position, size and
shading; a title broken over two lines joined again; a title spanning the sub-titles under it split over them."""

from __future__ import annotations

import statistics

from ingest.glyphs import Char, Word, words_of
from ingest.roles import is_header_word, is_title, names_a_table
from ingest.settings import TableSettings


def _title_words(line: list[Char], settings: TableSettings) -> list[Word]:
    """A header line's words (`words_of`), a word that is two titles set a little apart (都道府県 市区町村, white
    narrower than word_gap between them) split in two."""
    out: list[Word] = []
    for word in words_of(line, settings):
        glyphs = [c for c in line if not c.text.isspace() and word.x0 <= c.cx <= word.x1]
        text = "".join(c.text for c in glyphs)
        cut = next(
            (
                k
                for k in range(1, len(glyphs))
                if glyphs[k].x0 - glyphs[k - 1].x1 > settings.edge_slack and is_title(text[:k]) and is_title(text[k:])
            ),
            None,
        )
        if cut is None or text != word.text:
            out.append(word)
            continue
        for part in (glyphs[:cut], glyphs[cut:]):
            top, bottom = min(c.top for c in part), max(c.bottom for c in part)
            out.append(Word("".join(c.text for c in part), part[0].x0, part[-1].x1, top, bottom))
    return out


def header_words(lines: list[list[Char]], settings: TableSettings, fills: list[dict]) -> tuple[list[int], list[Word]] | None:
    """The header: the first line whose words name the description and another role — every word on it a
    column's title, a role's or another's (協定締結日, 備考) — with the lines right above it that hold short
    undated words only (事業費 over （千円）) and the lines under it that complete it: short undated words with
    a role's title among them, or characters written one per line (a header of two rows: 交流自治体名 over
    県 | 市区町). Where two titles overlap, the lower one (the sub-heading) is a column; characters written one
    per line are one title (市 / 区 / 町). A shaded header ends where its shading does, and an unshaded one where
    shading starts: a line under it shaded otherwise is the body (課, the rest of a row split at the page
    break), never a title's end. fills: the page's
    filled rectangles (`shading_fills`). Returns (the header's line indexes, the column words left to right)."""

    cache: dict[int, list[Word]] = {}

    def words_at(k: int) -> list[Word]:  # a line's words, split once however often the search looks at it
        if k not in cache:
            cache[k] = _title_words(lines[k], settings)
        return cache[k]

    def shaded(line: list[Char]) -> bool:
        y, x0, x1 = statistics.median(c.cy for c in line), min(c.x0 for c in line), max(c.x1 for c in line)
        return any(f["top"] <= y <= f["bottom"] and f["x0"] < x1 and f["x1"] > x0 for f in fills)

    for i, line in enumerate(lines):
        words = words_at(i)
        if not names_a_table([w.text for w in words]) or not all(is_header_word(w.text) for w in words):
            continue  # (a row's line 課 | …に際し、くまもと文学・3.30 | 事業 names two roles, but holds a sentence)
        size = statistics.median(c.size for c in line)
        centre = statistics.median(c.cy for c in line)
        part = [i]
        for k in range(max(0, i - settings.header_lines_around), i):
            others = words_at(k)
            near = abs(statistics.median(c.cy for c in lines[k]) - centre) <= settings.header_reach * size
            if near and others and all(is_header_word(w.text) for w in others):
                part.append(k)
        below, lower, last, counted = centre, [], i, 0
        for k in range(i + 1, len(lines)):
            others = words_at(k)
            # a glyph of a title written one per line (実 / 施 / 時 / 期) is a line of its own: not counted
            counted += any(len(w.text) > 1 for w in others)
            if counted > 2 * settings.header_lines_around:
                break
            line_centre = statistics.median(c.cy for c in lines[k])
            if (
                not others
                or not all(is_header_word(w.text) for w in others)
                or line_centre - below > settings.header_row_reach * size
                or shaded(line) != shaded(lines[k])
            ):
                break
            lower.append(k)
            below = line_centre
            above = [w for j in [*part, *lower[:-1]] for w in words_at(j)]
            # the rest of a title above: a note in brackets (（千円）), a character (名) or what completes the
            # title over it (府県 under 都道, 円） under （千), never a first row's text (アカデミー of アカデミー推進課, 熊本県玉 of a label)
            under_titles = all(
                any(o.x0 <= w.cx <= o.x1 and (_title_rest(w.text) or completes_title(o.text, w.text)) for o in above)
                for w in others
            )
            if under_titles or any(is_title(w.text) or len(w.text) == 1 for w in others):
                # the header reaches down to the last line with a title, a title written one per line, or the
                # rest of titles above (（千円） under 事業費)
                last = k
        part += [k for k in lower if k <= last]
        columns = _column_titles([words_at(k) for k in sorted(part, key=lambda k: statistics.median(c.cy for c in lines[k]))])
        return sorted(part), sorted(columns, key=lambda w: w.x0)
    return None


def completes_title(above: str, text: str) -> bool:
    """True when text, under a header word, completes it: the two a title (都道 / 府県), or text closing the
    bracket the word above leaves open (（千 / 円）)."""
    opened = sum(above.count(c) for c in "（(［[") - sum(above.count(c) for c in "）)］]")
    return is_title(above + text) or opened > 0 and text.rstrip()[-1:] in ("）", ")", "］", "]")


def _title_rest(text: str) -> bool:
    """True for what may end a title on the line under it: a note in brackets (（千円）, (件)) or one character
    (名) — never two (岩手, a label's first line)."""
    plain = text.strip()
    return len(plain) == 1 or plain[:1] in "（(［[" and plain[-1:] in "）)］]"


def _column_titles(rows: list[list[Word]]) -> list[Word]:
    """A header's columns from its lines of words, top to bottom: the lowest line's words are columns; a word
    of a line above joins the one column it stands over (交流自治体 over 名, 事業費 over （千円）, 市 over 区 over 町),
    is a column of its own where it stands over none (No. beside a group), and is a heading — no column — where
    it stands over several, or over the white between two (交流の実績 over 内容 | 担当課 | 期間). Each column's
    text is its title: the joined parts, or the lowest parts when only they name a role (内容 under 交流の実績)."""
    columns: list[Word] = [Word(w.text, w.x0, w.x1, w.top, w.bottom) for w in rows[-1]]
    parts: dict[int, list[str]] = {id(w): [w.text] for w in columns}
    for line in reversed(rows[:-1]):
        centres = sorted(o.cx for o in columns)  # the columns below this line (not those it adds: No. beside 相手自治体)
        for w in line:
            under = [o for o in columns if min(w.x1, o.x1) - max(w.x0, o.x0) > 0]
            between = any(a < w.cx < b for a, b in zip(centres, centres[1:]))
            split = _split_over(w, sorted(under, key=lambda o: o.x0), parts) if len(under) > 1 else None
            if split is not None:  # two titles run together over their columns: 都道府市区町 over 県 | 村
                for o, piece in split:
                    parts[id(o)].insert(0, piece)
                    o.top = min(o.top, w.top)
            elif len(under) == 1:
                o = under[0]
                parts[id(o)].insert(0, w.text)
                o.x0, o.x1, o.top = min(o.x0, w.x0), max(o.x1, w.x1), min(o.top, w.top)
            elif not under and not (line is rows[0] and between):  # a heading on the top line over a gap: no column
                columns.append(Word(w.text, w.x0, w.x1, w.top, w.bottom))
                parts[id(columns[-1])] = [w.text]
    for o in columns:
        tried = ["".join(parts[id(o)][k:]) for k in range(len(parts[id(o)]))]
        o.text = next((t for t in tried if is_title(t)), tried[0])
    return sorted(columns, key=lambda w: w.x0)


def _split_over(word: Word, under: list[Word], parts: dict[int, list[str]]) -> list[tuple[Word, str]] | None:
    """A header word over several columns (left to right) cut where those columns part, when every piece
    completes its column's title (都道府 + 県, 市区町 + 村: titles written over two lines, run together on the
    upper one) — else None: a heading over a group (交流の実績 over 内容 | 担当課 | 期間). A word's glyphs are
    taken as equally wide (header titles are CJK, set solid)."""
    width = (word.x1 - word.x0) / len(word.text)
    cuts = [(a.x1 + b.x0) / 2 for a, b in zip(under, under[1:])]
    pieces = [""] * len(under)
    for i, ch in enumerate(word.text):
        centre = word.x0 + (i + 0.5) * width
        pieces[sum(centre > x for x in cuts)] += ch
    if all(piece and is_title(piece + "".join(parts[id(o)])) for o, piece in zip(under, pieces)):
        return list(zip(under, pieces))
    return None
