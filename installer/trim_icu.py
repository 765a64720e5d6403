"""Shrink the ICU data library Qt brings on Linux (32 MB) to what a Chinese office app uses (about 5 MB).

Usage (build.sh runs it after PyInstaller):
    python installer/trim_icu.py dist/shuangsuiji/_internal/PySide6/Qt/lib/libicudata.so.73

Qt uses ICU here for QCollator (the pinyin sort of the roster screens) and little else: it has
its own locale, calendar, case-mapping and text-boundary tables. So the rebuilt library keeps
every item except the data for other languages (display names, collations), the
transliterators and spell-out rules, the legacy code pages apart from GB18030, and the
break-iterator dictionaries. The Windows bundle has no ICU data at all (Qt uses the system's).

The library holds one "common data" package (ucmndata.h: a header, a sorted table of
contents, 16-byte aligned items) under the symbol icudt<NN>_dat; the trimmed package is
written in the same format and assembled into a library with the same soname. The bundle's
--self-test then checks that the pinyin order still comes out right.
"""
from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# Locale-specific items are kept only for these languages (and root, the fallback).
KEEP_LANGUAGES = ("zh", "en")
KEEP_CONVERTERS = ("gb18030.cnv",)
_LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9_]*)?\.res$")


def keep(item: str) -> bool:
    """Whether one package item (e.g. "icudt73l/coll/zh.res") stays in the trimmed data."""
    name = item.split("/", 1)[1]
    leaf = name.rsplit("/", 1)[-1]
    if leaf.endswith(".cnv"):
        return leaf in KEEP_CONVERTERS
    if leaf.endswith(".dict"):
        return False  # word-break dictionaries (CJK, Thai, …): Qt finds word boundaries itself
    if name.startswith(("translit/", "rbnf/")):
        return False  # transliterators and number spell-outs: ICU APIs Qt does not call
    if _LOCALE_ITEM.match(leaf) and leaf not in ("root.res", "res_index.res", "pool.res"):
        return leaf.split("_")[0].split(".")[0] in KEEP_LANGUAGES
    return True


def _elf_symbol(data: bytes, wanted: re.Pattern) -> tuple[str, int, int]:
    """(name, file offset, size) of the first dynamic symbol whose name matches *wanted*."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("trim_icu: not a 64-bit little-endian ELF library")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, off, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab_off = sections[link][4]
        for i in range(size // entsize):
            st_name, _st_info, _other, shndx, value, st_size = struct.unpack_from("<IBBHQQ", data, off + i * entsize)
            name = data[strtab_off + st_name:data.index(b"\0", strtab_off + st_name)].decode()
            if wanted.fullmatch(name) and shndx != 0:
                sec = sections[shndx]
                return name, sec[4] + (value - sec[3]), st_size
    raise SystemExit("trim_icu: no icudt*_dat symbol in the library")


def trim_package(package: bytes) -> tuple[bytes, int, int]:
    """The package with only the kept items; returns (data, items kept, items before)."""
    header_size, = struct.unpack_from("<H", package, 0)
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD":
        raise SystemExit("trim_icu: the symbol does not hold an ICU common data package")
    toc = package[header_size:]
    count, = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = [e[1] for e in entries[1:]] + [len(toc)]
    items = []
    for (name_off, data_off), end in zip(entries, ends):
        name = toc[name_off:toc.index(b"\0", name_off)]
        if keep(name.decode("ascii")):
            items.append((name, toc[data_off:end]))

    names_start = 4 + 8 * len(items)
    names = b"".join(n + b"\0" for n, _ in items)
    name_offsets, pos = [], names_start
    for n, _ in items:
        name_offsets.append(pos)
        pos += len(n) + 1
    out_toc = bytearray()
    data_pos = names_start + len(names)
    data_offsets, blobs = [], []
    for _, blob in items:
        pad = (-(header_size + data_pos)) % 16  # items stay 16-byte aligned in the file
        blobs.append(b"\0" * pad + blob)
        data_pos += pad
        data_offsets.append(data_pos)
        data_pos += len(blob)
    out_toc += struct.pack("<I", len(items))
    for name_off, data_off in zip(name_offsets, data_offsets):
        out_toc += struct.pack("<II", name_off, data_off)
    out_toc += names
    for blob in blobs:
        out_toc += blob
    return package[:header_size] + bytes(out_toc), len(items), count


def trim_library(lib: Path, cc: str = "cc") -> tuple[int, int]:
    """Replace *lib* by a library holding the trimmed package; returns (size before, size after)."""
    data = lib.read_bytes()
    symbol, offset, size = _elf_symbol(data, re.compile(r"icudt\d+_dat"))
    trimmed, kept, total = trim_package(data[offset:offset + size])
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / "icudata.dat"
        dat.write_bytes(trimmed)
        asm = Path(tmp) / "icudata.S"
        asm.write_text(
            f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n{symbol}:\n'
            f'.incbin "{dat}"\n.size {symbol}, . - {symbol}\n.section .note.GNU-stack,"",@progbits\n'
        )
        out = Path(tmp) / lib.name
        subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{lib.name}", "-o", str(out), str(asm)], check=True)
        before = len(data)
        lib.write_bytes(out.read_bytes())
    print(f"ICU data: kept {kept} of {total} items, {before / 1e6:.1f} MB -> {lib.stat().st_size / 1e6:.1f} MB")
    return before, lib.stat().st_size


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    trim_library(Path(sys.argv[1]))
