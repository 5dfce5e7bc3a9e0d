"""Hand-made zip archives for the import tests: a hostile archive is built byte by byte, so
headers can say what a real tool would never write (a lie about the size, a link, 100,000
entries) and a bomb costs milliseconds to build instead of a gigabyte of zeros."""

from __future__ import annotations

import stat
import struct
import zlib
from dataclasses import dataclass


@dataclass
class Entry:
    name: str
    data: bytes = b""  # what is stored (deflated unless `raw`)
    size: int | None = None  # the unpacked size the headers declare (default: the truth)
    mode: int = stat.S_IFREG | 0o644
    deflated: bytes | None = None  # precompressed bytes to store as they are
    crc: int | None = None


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def build(entries: list[Entry]) -> bytes:
    """A zip (deflate, Unix attributes) of `entries`, exactly as described."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        packed = e.deflated if e.deflated is not None else deflate(e.data)
        crc = e.crc if e.crc is not None else zlib.crc32(e.data)
        size = e.size if e.size is not None else len(e.data)
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(packed), size, len(name), 0
        )
        out += name + packed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            0x0314,
            20,
            0x800,
            8,
            0,
            0x21,
            crc,
            len(packed),
            size,
            len(name),
            0,
            0,
            0,
            0,
            e.mode << 16,
            offset,
        )
        central += name
    start = len(out)
    out += central
    n = len(entries)
    if n > 0xFFFF:  # more entries than the classic end record counts: the zip64 one
        end64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, len(central), start)
        out += struct.pack("<IIQI", 0x07064B50, 0, end64, 1)
        n = 0xFFFF
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), start, 0)
    return bytes(out)


def zeros_deflated(megabytes: int) -> tuple[bytes, int]:
    """`megabytes` MB of zeros, deflated, and their CRC: the body of a bomb (~1 KB per MB)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    packed = bytearray()
    crc = 0
    for _ in range(megabytes):
        packed += c.compress(chunk)
        crc = zlib.crc32(chunk, crc)
    packed += c.flush()
    return bytes(packed), crc
