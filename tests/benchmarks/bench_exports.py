"""Benchmark: export-objects (100k and 300k) and export-results (10,000 rows, .xlsx and .docx), beside a bare write.

Each figure is one child process per run (so peak memory is that export's own), alternating with its anchor:
- objects: a bare sqlite3 SELECT of the same columns, written as a minimal sheet XML into a zip;
- results: a bare sqlite3 SELECT of the 10,000 inspected objects, written the same way (as sheet XML for .xlsx,
  as table-row XML for .docx).
The child times the export call itself (start-up and imports excluded) and reports its peak RSS.

Run: /work/venv/bin/python tests/benchmarks/bench_exports.py [--pairs N] [--sizes 100000,300000]
     [--versus ROOT]   also time the same exports from another source tree (e.g. `git archive HEAD` unpacked),
                       alternating with this one: before/after in one run
     [--writers]       compare the .xlsx writers on 100,000 roster rows (openpyxl write-only, xlsxwriter
                       constant_memory when importable, e.g. with PYTHONPATH pointing at a --target install,
                       and the streamed writer reports/xlsx_stream.py)
Targets (issue 17): export-objects 100k ≤ 5 s; 300k ≤ 3.3× that, memory ≤ 500 MB; export-results 10k ≤ 2 s
(.xlsx), ≤ 3 s (.docx), memory ≤ 300 MB.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
THIS_TREE = HERE.parents[1]
# The tree that builds the cached databases (an older one with --versus: a newer schema cannot be opened by it).
ROOT = Path(os.environ.get("SSJ_BENCH_ROOT") or THIS_TREE)
sys.path.insert(0, str(HERE))

from alternate import compare, emit, print_header, run_json, whole_process  # noqa: E402

TMP = Path(tempfile.gettempdir())
RESULTS_YEAR, AS_OF = 2024, date(2024, 10, 1)

OBJECT_SQL = ("SELECT o.name, o.credit_code, t.name, o.address, o.jurisdiction, o.legal_rep, o.phone, o.licence_no, "
              "o.risk_level, o.status, o.active FROM inspected_objects o "
              "JOIN object_types t ON t.id = o.object_type_id ORDER BY o.name, o.id")
RESULT_SQL = ("SELECT o.name, o.credit_code, i.date_from, i.executing_unit, i.method, i.result_category "
              "FROM inspections i JOIN inspected_objects o ON o.id = i.object_id ORDER BY i.id")


# --- the databases (built once, cached in the temporary folder) ---------------------------------------------

def _cache_name(stem: str, builder: Path) -> Path:
    tag = "" if builder == THIS_TREE else "_" + hashlib.sha256(str(builder).encode()).hexdigest()[:8]
    return TMP / f"{stem}{tag}.sqlite3"


def built_by(kind: str, rows: int, builder: Path) -> Path:
    """The cached database, built by *builder*'s code in a child process when missing."""
    path = _cache_name(f"ssj_bench_export_{kind}_{rows}", builder)
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--build", kind, str(rows)], check=True,
                       env={**os.environ, "SSJ_BENCH_ROOT": str(builder), "SSJ_DATA_DIR": str(TMP)})
    return path


def objects_db(rows: int) -> Path:
    path = _cache_name(f"ssj_bench_export_objects_{rows}", ROOT)
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import insert

    from models.credit_code import make_code
    from models.db import open_database
    from models.demo_roster import generate_roster
    from models.roster import InspectedObject, ObjectType

    part = path.with_suffix(".part.sqlite3")
    part.unlink(missing_ok=True)
    db = open_database(part)
    demo, _, _ = generate_roster()
    with db.session() as s:
        s.execute(insert(ObjectType), [{"name": t} for t in sorted({d.type_name for d in demo})])
        type_id = {t.name: t.id for t in s.query(ObjectType)}
        s.execute(insert(InspectedObject), [
            {"name": f"{d.name}{n}", "credit_code": make_code(n + 1), "object_type_id": type_id[d.type_name],
             "address": d.address, "jurisdiction": d.jurisdiction, "legal_rep": d.legal_rep, "phone": d.phone,
             "licence_no": d.licence_no, "risk_level": d.risk_level, "status": d.status, "active": n % 50 != 0}
            for n, d in ((n, demo[n % len(demo)]) for n in range(rows))])
    db.dispose()
    part.replace(path)
    return path


def results_db(rows: int = 10_000) -> Path:
    path = _cache_name(f"ssj_bench_export_results_{rows}", ROOT)
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT))
    from bench_publicity import build, draw, inspect_all

    from models.db import open_database

    part = path.with_suffix(".part.sqlite3")
    part.unlink(missing_ok=True)
    db = open_database(part)
    build(db)
    draw(db)
    inspect_all(db)
    db.dispose()
    part.replace(path)
    return path


# --- the child: one export or one anchor, timed in-process ------------------------------------------------------

def bare_sheet(rows, out: Path) -> None:
    """The floor: rows as inline-string sheet XML in a deflated zip, nothing else."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, z.open("xl/worksheets/sheet1.xml",
                                                                                         "w") as f:
        f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        buf = []
        for row in rows:
            buf.append("<row>" + "".join(f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
                                         for v in row if v is not None) + "</row>")
            if len(buf) >= 1000:
                f.write("".join(buf).encode())
                buf.clear()
        f.write(("".join(buf) + "</sheetData></worksheet>").encode())


def bare_docx_rows(rows, out: Path) -> None:
    """The floor for .docx: the rows as table-row XML (one paragraph per cell) in a deflated zip."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, z.open("word/document.xml",
                                                                                         "w") as f:
        buf = []
        for row in rows:
            buf.append("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(str(v))}</w:t></w:r></w:p></w:tc>"
                                          for v in row) + "</w:tr>")
            if len(buf) >= 500:
                f.write("".join(buf).encode())
                buf.clear()
        f.write("".join(buf).encode())


def child(kind: str, root: str, db_path: str, out: str) -> None:
    sys.path.insert(0, root)
    os.environ["SSJ_DATA_DIR"] = str(Path(out).parent)
    out_path = Path(out)
    if kind.startswith("anchor"):
        t0 = time.perf_counter()
        con = sqlite3.connect(db_path)
        rows = con.execute(OBJECT_SQL if kind == "anchor-objects" else RESULT_SQL).fetchall()
        con.close()
        (bare_docx_rows if kind == "anchor-docx" else bare_sheet)(rows, out_path)
        emit(time.perf_counter() - t0)
        return
    from models.db import open_database

    db = open_database(Path(db_path))
    if kind == "upgrade":   # open once (schema upgrade, backup) and stop: the clerk's database is up to date
        db.dispose()
        return
    if kind == "objects":
        from reports.roster_export import export_objects

        t0 = time.perf_counter()
        export_objects(db, out_path)
    else:
        from reports.publicity import export_results

        t0 = time.perf_counter()
        export_results(db, RESULTS_YEAR, out_path, as_of=AS_OF)
    seconds = time.perf_counter() - t0
    db.dispose()
    emit(seconds, size_mb=out_path.stat().st_size / 1e6)


def run_child(kind: str, db: Path, suffix: str, root: Path = THIS_TREE):
    def go() -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            # A copy, so a schema upgrade by either tree never touches the cached database.
            work = Path(tmp) / "bench.sqlite3"
            work.write_bytes(db.read_bytes())
            return run_json([sys.executable, __file__, "--child", kind, str(root), str(work),
                             str(Path(tmp) / f"out{suffix}")])
    return go


def cli_export(db: Path, anchor: bool):
    """`main.py --db DB export-objects OUT` as a clerk runs it (start-up included), or the anchor as a whole process.

    The copy is upgraded to this tree's schema before the clock starts, as a clerk's database already is.
    """
    def go() -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            work, out = Path(tmp) / "bench.sqlite3", Path(tmp) / "out.xlsx"
            work.write_bytes(db.read_bytes())
            env = {**os.environ, "SSJ_DATA_DIR": tmp}
            if anchor:
                return whole_process(__file__, "--child", "anchor-objects", str(THIS_TREE), str(work), str(out),
                                     env=env)
            subprocess.run([sys.executable, __file__, "--child", "upgrade", str(THIS_TREE), str(work), str(out)],
                           check=True, env=env, capture_output=True)
            return whole_process(str(THIS_TREE / "main.py"), "--db", str(work), "export-objects", str(out), env=env)
    return go


# --- the writers side by side ------------------------------------------------------------------------------------

def compare_writers(rows_n: int, pairs: int) -> None:
    sys.path.insert(0, str(THIS_TREE))
    from reports.xlsx_stream import HEADER, StreamWorkbook

    con = sqlite3.connect(built_by("objects", rows_n, THIS_TREE))
    rows = [(*r[:10], "是" if r[10] else "否") for r in con.execute(OBJECT_SQL)]
    con.close()
    headers = [f"列{i}" for i in range(11)]
    out = TMP / "ssj_bench_writer.xlsx"

    def streamed():
        book = StreamWorkbook(out)
        ws = book.add_sheet("检查对象", widths=[20] * 11, freeze_rows=1)
        ws.append(headers, HEADER)
        for r in rows:
            ws.append(r)
        book.close()

    def openpyxl_write_only():
        from openpyxl import Workbook

        from reports.xlsx_write import safe_row, write_header
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("检查对象")
        write_header(ws, headers, [20] * 11, auto_filter_rows=len(rows))
        for r in rows:
            ws.append(safe_row(ws, r))
        wb.save(out)

    def xlsxwriter_constant_memory():
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False})
        ws = wb.add_worksheet("检查对象")
        bold = wb.add_format({"bold": True})
        ws.freeze_panes(1, 0)
        ws.write_row(0, 0, headers, bold)
        for n, r in enumerate(rows, start=1):
            ws.write_row(n, 0, r)
        wb.close()

    print(f"\n.xlsx writers, {rows_n:,} rows × 11 columns already in memory (anchor: the streamed writer)")
    print_header()
    compare(f"openpyxl write-only, {rows_n:,} rows", anchor=streamed, product=openpyxl_write_only, pairs=pairs,
            anchor_label="reports.xlsx_stream")
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        print("xlsxwriter not importable: skipped (pip install --target DIR xlsxwriter; PYTHONPATH=DIR)")
        return
    compare(f"xlsxwriter constant_memory, {rows_n:,} rows", anchor=streamed, product=xlsxwriter_constant_memory,
            pairs=pairs, anchor_label="reports.xlsx_stream")


# --- main ----------------------------------------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--build":   # in a child, with SSJ_BENCH_ROOT's code
        (objects_db if sys.argv[2] == "objects" else results_db)(int(sys.argv[3]))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--sizes", default="100000,300000")
    ap.add_argument("--versus", help="another source tree to time beside this one (before/after)")
    ap.add_argument("--writers", action="store_true")
    args = ap.parse_args()
    if args.writers:
        compare_writers(100_000, max(1, min(args.pairs, 3)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    t0 = time.perf_counter()
    # With --versus both trees read databases built by the other (older) tree; this tree upgrades its copy
    # before the clock starts.
    builder = Path(args.versus).resolve() if args.versus else THIS_TREE
    dbs = {n: built_by("objects", n, builder) for n in sizes}
    res = built_by("results", 10_000, builder)
    print(f"databases ready in {time.perf_counter() - t0:.1f} s (cached in {TMP})")
    print_header()
    for n in sizes:
        target = "≤ 5 s" if n == 100_000 else "≤ 3.3× the 100k figure, ≤ 500 MB"
        compare(f"export-objects {n:,}", anchor=run_child("anchor-objects", dbs[n], ".xlsx"),
                product=run_child("objects", dbs[n], ".xlsx"), pairs=args.pairs, target=target,
                anchor_label="bare sqlite3 + bare sheet XML")
    compare(f"export-objects {sizes[0]:,}, whole process (CLI)", anchor=cli_export(dbs[sizes[0]], True),
            product=cli_export(dbs[sizes[0]], False), pairs=args.pairs, target="≤ 5 s",
            anchor_label="bare sqlite3 + bare sheet XML, whole process")
    compare("export-results 10,000 .xlsx", anchor=run_child("anchor-results", res, ".xlsx"),
            product=run_child("results", res, ".xlsx"), pairs=args.pairs, target="≤ 2 s, ≤ 300 MB",
            anchor_label="bare sqlite3 + bare sheet XML")
    compare("export-results 10,000 .docx", anchor=run_child("anchor-docx", res, ".docx"),
            product=run_child("results", res, ".docx"), pairs=args.pairs, target="≤ 3 s, ≤ 300 MB",
            anchor_label="bare sqlite3 + bare table-row XML")
    if args.versus:
        other = Path(args.versus).resolve()
        print(f"\nbefore/after: anchor = the same export from {other}, product = this tree")
        print_header()
        for n in sizes:
            compare(f"export-objects {n:,} (vs before)", anchor=run_child("objects", dbs[n], ".xlsx", other),
                    product=run_child("objects", dbs[n], ".xlsx"), pairs=max(1, args.pairs // 2),
                    anchor_label=f"{other.name}")
        for suffix in (".xlsx", ".docx"):
            compare(f"export-results 10,000 {suffix} (vs before)", anchor=run_child("results", res, suffix, other),
                    product=run_child("results", res, suffix), pairs=max(1, args.pairs // 2),
                    anchor_label=f"{other.name}")


if __name__ == "__main__":
    main()
