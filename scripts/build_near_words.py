"""Build store/query/data/near_words.bin — the word vectors koryu reads near words with — from GiNZA's ja-ginza
model (its vectors are chiVe's, Works Applications, Apache-2.0; the model is MIT), without spaCy at run time.

    pip download ja-ginza==5.2.0 --no-deps -d /tmp/ginza
    python scripts/build_near_words.py /tmp/ginza/ja_ginza-5.2.0-py3-none-any.whl

The model keeps 20,000 vectors of 300 dimensions and maps 480k words to them (a word whose vector was pruned
points to the nearest kept one). This keeps the words written in Japanese (kana and kanji, 1–8 characters), keyed
by an 8-byte BLAKE2b hash of the word (sorted, for a binary search), and the vectors scaled to int8 per row —
what `store.query.near.Vectors` reads through mmap. Layout, little-endian: "KNW1", word count n, vector count
m, dimensions d (uint32 each); n keys (uint64); n rows (uint16); m × d int8. The words of the model's string table are hashed with spaCy's
MurmurHash64A (seed 1) to find their rows; that hash is written out below because the `murmurhash` package
does not expose its 64-bit function to Python.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import sys
import zipfile
from pathlib import Path

import msgpack
import numpy as np

OUT = Path(__file__).resolve().parents[1] / "store" / "query" / "data" / "near_words.bin"
JAPANESE = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff々〆ヶ]{1,8}$")


def murmur64a(data: bytes, seed: int = 1) -> int:
    m, r, mask = 0xC6A4A7935BD1E995, 47, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    n = len(data) // 8
    for i in range(n):
        k = int.from_bytes(data[i * 8 : i * 8 + 8], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h ^= k
        h = (h * m) & mask
    tail = data[n * 8 :]
    if tail:
        for i in range(len(tail) - 1, -1, -1):
            h ^= tail[i] << (8 * i)
        h = (h * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    h ^= h >> r
    return h


def key(word: str) -> int:
    """The key koryu looks a word up by (store.query.near.word_key)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        base = next(n for n in z.namelist() if n.endswith("vocab/vectors")).rsplit("/", 1)[0]
        vectors = np.load(io.BytesIO(z.read(f"{base}/vectors")))
        key2row = msgpack.unpackb(z.read(f"{base}/key2row"), strict_map_key=False)
        strings = json.loads(z.read(f"{base}/strings.json"))
    keys, rows = [], []
    for word in strings:
        if not JAPANESE.match(word):
            continue
        row = key2row.get(murmur64a(word.encode("utf-8")))
        if row is None:
            continue
        keys.append(key(word))
        rows.append(row)
    order = np.argsort(np.array(keys, dtype=np.uint64))
    keys_a = np.array(keys, dtype=np.uint64)[order]
    rows_a = np.array(rows, dtype=np.uint16)[order]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1, norms)
    scale = np.abs(unit).max(axis=1, keepdims=True)
    quantized = np.round(unit / np.where(scale == 0, 1, scale) * 127).astype(np.int8)
    header = struct.pack("<4sIII", b"KNW1", len(keys_a), quantized.shape[0], quantized.shape[1])
    OUT.write_bytes(header + keys_a.astype("<u8").tobytes() + rows_a.astype("<u2").tobytes() + quantized.tobytes())
    print(f"{len(keys_a):,} words → {vectors.shape[0]:,} vectors of {vectors.shape[1]}; {OUT.stat().st_size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1])
