"""Near words: a word no record holds, read as the records' own words nearest to it in meaning (スイーツ →
デザート・パフェ, 旅行 → バスツアー・観光, セミナー → 講座・講演), by the word vectors of GiNZA's ja-ginza
model (chiVe, trained on the National Institute for Japanese Language and Linguistics' web corpus).

    vectors = default_vectors()                      # store/query/data/near_words.bin, 9.6 MiB, memory-mapped
    NearWords.build(descriptions, tokenizer).near("スイーツ")  # → (("デザート", 0.69), ("パフェ", 0.64))

The vectors come from the model's files (scripts/build_near_words.py), not through spaCy: the model itself would
add ~200 MiB and ~2 s to the process and pins an analyser version the tokenizer cannot use. A word the vectors
lack is the mean of its morphemes' vectors (推理小説家 → 推理 + 小説 + 家). Only the records' words are
candidates, so nothing is suggested that would find no record; the answer labels them (意味の近い語).
"""

from __future__ import annotations

import bisect
import hashlib
import math
import mmap
import operator
import struct
import sys
import threading
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from store.query.tokenizer import CONTENT, Tokenizer, analyse

MIN_SIMILARITY = 0.6  # cosine; below it the nearest record word is a different thing (measured: README)
MAX_NEAR = 4  # record words one word is read as
BAND = 0.1  # … and only those this close to the best one

Vector = array  # of "f": a unit vector


def word_key(word: str) -> int:
    """The key a word is stored under in near_words.bin: the first 8 bytes of its BLAKE2b hash, little-endian."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


class Vectors:
    """The word vectors of near_words.bin (scripts/build_near_words.py), memory-mapped: a lookup is a binary
    search over the sorted keys, then one row of `dims` int8 — only the pages it touches are read. vector(word) → a unit
    vector, or None when the word is not in the table."""

    HEADER = struct.Struct("<4sIII")

    def __init__(self, data: mmap.mmap | bytes):
        self.data = data
        magic, self.words, self.count, self.dims = self.HEADER.unpack_from(data, 0)
        if magic != b"KNW1":
            raise ValueError("not a near_words table")
        keys_at = self.HEADER.size
        rows_at = keys_at + 8 * self.words
        self.vectors_at = rows_at + 2 * self.words
        if sys.byteorder != "little":
            raise ValueError("near_words.bin is little-endian")  # every platform koryu is installed on
        self.keys = memoryview(data)[keys_at:rows_at].cast("Q")
        self.rows = memoryview(data)[rows_at : self.vectors_at].cast("H")

    @classmethod
    def load(cls) -> Vectors:
        path = resources.files("store.query").joinpath("data/near_words.bin")
        with resources.as_file(path) as real, open(real, "rb") as f:
            return cls(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))

    def vector(self, word: str) -> Vector | None:
        k = word_key(word)
        i = bisect.bisect_left(self.keys, k)
        if i >= self.words or self.keys[i] != k:
            return None
        at = self.vectors_at + self.rows[i] * self.dims
        return unit(struct.unpack_from(f"{self.dims}b", self.data, at))


def unit(v: Vector | list[float] | tuple[int, ...]) -> Vector:
    norm = math.sqrt(sum(x * x for x in v)) or 1.0
    return array("f", (x / norm for x in v))


def cosine(a: Vector, b: Vector) -> float:
    """Of two unit vectors."""
    return math.fsum(map(operator.mul, a, b))


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def default_vectors() -> Vectors | None:
    """The shared table (None when the data file is missing or not one: near words are then not read)."""
    with _LOCK:
        try:
            return Vectors.load()
        except (FileNotFoundError, OSError, ValueError, struct.error):
            return None


@dataclass
class NearWords:
    """The records' words with their vectors: words [record word], matrix [its unit vector], in the same order."""

    words: list[str] = field(default_factory=list)
    matrix: list[Vector] = field(default_factory=list)
    tokenizer: Tokenizer | None = None

    @classmethod
    def build(cls, vocabulary: dict[str, str], tokenizer: Tokenizer, vectors: Vectors | None = None) -> NearWords:
        """The vectors of `vocabulary`: {the records' content words as written: their normalised form}; a word
        is offered as written (寄附, which the records hold) with the vector of either form (寄付)."""
        vectors = vectors if vectors is not None else default_vectors()
        if vectors is None:
            return cls(tokenizer=tokenizer)
        words, rows = [], []
        for w in sorted(vocabulary):
            v = vectors.vector(w)
            if v is None and vocabulary[w] != w:
                v = vectors.vector(vocabulary[w])
            if v is not None:
                words.append(w)
                rows.append(v)
        return cls(words, rows, tokenizer)

    def vector_of(self, word: str, vectors: Vectors) -> Vector | None:
        """A word's vector, or the mean of its content morphemes' (normalised forms as well) when it has none."""
        v = vectors.vector(word)
        if v is not None or self.tokenizer is None:
            return v
        parts = []
        for m in analyse(word, self.tokenizer):
            if m.kind in CONTENT:
                pv = vectors.vector(m.surface)
                if pv is None and m.normalized:
                    pv = vectors.vector(m.normalized)
                if pv is not None:
                    parts.append(pv)
        if not parts:
            return None
        return unit([sum(column) / len(parts) for column in zip(*parts)])

    def near(self, word: str, vectors: Vectors | None = None) -> tuple[tuple[str, float], ...]:
        """The record words nearest in meaning to `word`: [(word, cosine similarity)], best first — at most
        MAX_NEAR, each at least MIN_SIMILARITY and within BAND of the best; () when none is that near, or
        the word has no vector. A record word that contains `word` or is contained in it is not near: it is
        the same word (the literal search already found it or not)."""
        vectors = vectors if vectors is not None else default_vectors()
        if vectors is None or not self.matrix:
            return ()
        v = self.vector_of(word, vectors)
        if len(word) > 1 and word[0] in "おご" and (v is None or word[1:] in self.words or vectors.vector(word[1:]) is not None):
            v = self.vector_of(word[1:], vectors)  # お酒 → 酒: the polite prefix is not the meaning
        if v is None:
            return ()
        scores = [cosine(row, v) for row in self.matrix]
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        out: list[tuple[str, float]] = []
        best = None
        for i in order[: MAX_NEAR * 4]:
            s = scores[i]
            if s < MIN_SIMILARITY or (best is not None and s < best - BAND):
                break
            w = self.words[int(i)]
            if w in word or word in w:
                continue
            best = s if best is None else best
            out.append((w, round(s, 3)))
            if len(out) >= MAX_NEAR:
                break
        return tuple(out)
