"""The installer's own tools: the ICU trim keeps what the pinyin sort needs, and the app icon is there in every size."""
from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _trim_icu():
    spec = importlib.util.spec_from_file_location("trim_icu", ROOT / "installer" / "trim_icu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _package(items: dict[str, bytes]) -> bytes:
    """A small ICU common-data package in the layout of ucmndata.h (header, sorted TOC, 16-byte aligned items)."""
    header = bytearray(struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0) + b"CmnD")
    header += b"\0" * (32 - len(header))
    names = sorted(items)
    toc = bytearray(struct.pack("<I", len(names)) + b"\0" * (8 * len(names)))
    name_offsets = []
    for n in names:
        name_offsets.append(len(toc))
        toc += n.encode() + b"\0"
    for i, n in enumerate(names):
        toc += b"\0" * ((-(32 + len(toc))) % 16)
        struct.pack_into("<II", toc, 4 + 8 * i, name_offsets[i], len(toc))
        toc += items[n]
    return bytes(header + toc)


def _read(package: bytes) -> dict[str, bytes]:
    header_size = struct.unpack_from("<H", package, 0)[0]
    toc = package[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = [e[1] for e in entries[1:]] + [len(toc)]
    out = {}
    for (name_off, data_off), end in zip(entries, ends):
        assert (header_size + data_off) % 16 == 0, "every item starts 16-byte aligned"
        out[toc[name_off:toc.index(b"\0", name_off)].decode()] = toc[data_off:end].rstrip(b"\0")
    assert list(out) == sorted(out), "ICU looks items up by binary search: the TOC stays sorted"
    return out


def test_the_icu_trim_keeps_chinese_collation_and_the_core_tables_and_drops_other_languages():
    trim = _trim_icu()
    kept = ["coll/zh.res", "coll/zh_Hans_CN.res", "coll/root.res", "coll/ucadata.icu", "coll/res_index.res",
            "nfc.nrm", "uprops.icu", "ucase.icu", "root.res", "pool.res", "zh.res", "en.res", "likelySubtags.res",
            "supplementalData.res", "cnvalias.icu", "gb18030.cnv", "brkitr/char.brk", "zone/zh.res"]
    dropped = ["coll/de.res", "coll/de_.res", "fr.res", "ja_JP.res", "lang/ru.res", "ibm-1047_P100-1995.cnv",
               "brkitr/cjdict.dict", "translit/root.res", "rbnf/zh.res"]
    assert [n for n in kept if not trim.keep(f"icudt73l/{n}")] == []
    assert [n for n in dropped if trim.keep(f"icudt73l/{n}")] == []


def test_a_trimmed_package_keeps_each_kept_item_byte_for_byte():
    trim = _trim_icu()
    items = {f"icudt73l/{n}": (n.encode() * 7)[: 5 + len(n)] for n in
             ["coll/de.res", "coll/root.res", "coll/zh.res", "fr.res", "nfc.nrm", "root.res", "zh.res"]}
    package = _package(items)
    assert _read(package) == items
    trimmed, kept, total = trim.trim_package(package)
    assert (kept, total) == (5, 7)
    assert _read(trimmed) == {k: v for k, v in items.items() if not k.endswith(("de.res", "fr.res"))}
    assert trimmed[:32] == package[:32], "the package header is kept as it was"


def test_the_app_icon_exists_as_png_and_as_a_windows_ico_with_every_size():
    from PIL import Image

    icons = ROOT / "resources" / "icons"
    with Image.open(icons / "app.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
    with Image.open(icons / "app.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
