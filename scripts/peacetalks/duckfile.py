"""Make a DuckDB file byte-reproducible by fixing the random identifier in its header.

Two builds of the same data give DuckDB 2.0 files that differ in 24 bytes only: a random
16-byte database identifier in the main header (bytes 124-139) and the header's checksum
(bytes 0-7). A release replaces the identifier with one derived from the release name and
recomputes the checksum with DuckDB's own algorithm (a 64-bit multiply-xor over the header's
words, seeded with 5381), so that a rebuilt release has the same SHA-256. The file is then
opened to prove DuckDB still accepts it; any mismatch with this layout is an error, never a
silently corrupted file.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

HEADER_SIZE = 4096
MAGIC = b"DUCK"
IDENTIFIER = slice(124, 140)
MASK = (1 << 64) - 1


class DuckFileError(Exception):
    """The file does not have the header layout this module knows; nothing was changed."""


def header_checksum(block: bytes) -> int:
    """DuckDB's checksum of the header after its first 8 bytes."""
    result = 5381
    for (word,) in struct.iter_unpack("<Q", block):
        result ^= (word * 0xBF58476D1CE4E5B9) & MASK
    return result


def pin_identifier(path: Path, seed: str) -> None:
    """Replace the database identifier with the first 16 bytes of sha256(seed)."""
    import duckdb

    data = bytearray(path.read_bytes())
    head = data[:HEADER_SIZE]
    if len(head) < HEADER_SIZE or head[8:12] != MAGIC:
        raise DuckFileError(f"{path.name}: not a DuckDB file with the known header")
    if header_checksum(bytes(head[8:])) != struct.unpack_from("<Q", head)[0]:
        raise DuckFileError(f"{path.name}: header checksum not as expected (DuckDB version?)")
    data[IDENTIFIER] = hashlib.sha256(seed.encode()).digest()[:16]
    struct.pack_into("<Q", data, 0, header_checksum(bytes(data[8:HEADER_SIZE])))
    original = path.read_bytes()
    path.write_bytes(bytes(data))
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as err:
        path.write_bytes(original)
        raise DuckFileError(f"{path.name}: DuckDB rejects the pinned header: {err}") from err
