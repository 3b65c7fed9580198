"""Report files before they are read: the kinds koryu reads, how a file's first bytes show its kind, the size
past which a file is refused unread, and folders expanded into their report files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

MAX_FILE_BYTES = 30 * 1024 * 1024  # a yearly report is well under 1 MB; 30 MB is already a scanned book
SUPPORTED = (".pdf", ".json", ".csv", ".xlsx", ".xlsm", ".xls")
# how a report file's first bytes show its kind: a PDF header within the first KiB (ISO 32000-1 §7.5.2
# allows bytes before it), the ZIP local-file header of an Office Open XML workbook, text without NUL bytes
SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    ".pdf": lambda data: b"%PDF-" in data[:1024],
    ".xlsx": lambda data: data.startswith(b"PK\x03\x04"),
    ".csv": lambda data: b"\x00" not in data[:65536],
}


def has_signature(kind: str, data: bytes) -> bool:
    """True when `data` (a file's bytes, or at least its first 64 KiB) starts the way a report of `kind`
    (".pdf", ".xlsx" or ".csv", the keys of SIGNATURES) does. Raises KeyError for another kind."""
    return SIGNATURES[kind](data)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files and folders → report files (a folder gives its *.pdf, *.json and *.csv, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return out
