"""Randomised trials beyond the tests (not collected by pytest): damage a database and restore it; kill
`notice --all-pending` at random moments. Run: python -m tests.reliability.trials corrupt|kill N [seed]."""
from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from models import backup  # noqa: E402
from models.audit import verify_chain  # noqa: E402
from models.db import DatabaseError, open_database  # noqa: E402
from models.inspection import RectificationNotice  # noqa: E402


def _office(path: Path, hotels: int = 41, pending: int = 3) -> None:
    from models.draw_service import effective_picks, prepare_draw
    from tests.models.draw_fixtures import ENTROPY, WITNESSES, build_world, sealed_draw
    from tests.models.inspection_fixtures import DRAWN_AT, HAZARDS, record

    db = open_database(path)
    build_world(db, hotels=hotels)
    with db.session() as s:
        prep = prepare_draw(s, 2024, "1")
    sealed_draw(db, prep, entropy=ENTROPY, witnesses=WITNESSES, place="会议室", operator="测试员",
                clock=lambda: DRAWN_AT)
    with db.session() as s:
        picks = effective_picks(s, 2024)
    db.dispose()
    db = open_database(path)
    for p in picks[:pending]:
        record(db, p.pick_id, hazards=HAZARDS)
    db.dispose()


def corrupt_trials(n: int, seed: int = 1) -> Counter:
    """Damage copies of a database at random; opening must refuse in Chinese or work, restore must always work."""
    from ui.cli import run

    rnd = random.Random(seed)
    outcome: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pristine = tmp / "pristine.sqlite3"
        _office(pristine)
        good = backup.backup_now(pristine, tmp / "good.sqlite3")
        for i in range(n):
            work = tmp / f"t{i}" / "office.sqlite3"
            work.parent.mkdir()
            shutil.copy(pristine, work)
            data = bytearray(work.read_bytes())
            how = rnd.choice(["bytes", "page", "truncate"])
            if how == "bytes":
                for _ in range(rnd.randint(1, 64)):
                    data[rnd.randrange(100, len(data))] = rnd.randrange(256)
            elif how == "page":
                page = rnd.randrange(1, len(data) // 4096)
                data[page * 4096:(page + 1) * 4096] = bytes(rnd.randrange(256) for _ in range(4096))
            else:
                data = data[: rnd.randrange(4096, len(data))]
            work.write_bytes(bytes(data))
            try:
                db = open_database(work)
                try:
                    with db.session() as s:
                        list(s.scalars(select(RectificationNotice)))
                        ok = verify_chain(s).ok
                    outcome["opened, damage not visible" if ok else "opened, audit chain reports damage"] += 1
                finally:
                    db.dispose()
            except DatabaseError as e:
                outcome["refused: 已损坏" if "已损坏" in str(e) or "不是本软件" in str(e) else "refused: other"] += 1
            except Exception as e:
                outcome[f"opened, later raw error {type(e).__name__}: {str(e)[:60]}"] += 1
            import contextlib
            import io

            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = run(["--db", str(work), "restore", str(good), "--yes"])
            restored_ok = False
            if code == 0:
                db = open_database(work)
                with db.session() as s:
                    restored_ok = verify_chain(s).ok
                db.dispose()
            outcome["restore ok" if restored_ok else "RESTORE FAILED"] += 1
    return outcome


def kill_trials(n: int, seed: int = 1, pending: int = 30) -> Counter:
    """SIGKILL `notice --all-pending` at a random moment; check, run again, check."""
    rnd = random.Random(seed)
    outcome: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pristine = tmp / "pristine.sqlite3"
        _office(pristine, hotels=pending * 20 + 20, pending=pending)
        for i in range(n):
            work = tmp / f"k{i}" / "office.sqlite3"
            out = work.parent / "通知书"
            work.parent.mkdir()
            shutil.copy(pristine, work)
            argv = [sys.executable, str(ROOT / "main.py"), "--db", str(work), "notice", "--all-pending",
                    "--out-dir", str(out), "--issue-date", "2024-05-07"]
            child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rnd.uniform(0.5, 6.0))
            killed = child.poll() is None
            if killed:
                child.send_signal(signal.SIGKILL)
            child.wait()
            outcome["killed" if killed else "finished before the kill"] += 1
            problems = _check(work, out, finished=False)
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            problems += _check(work, out, finished=True)
            for p in problems:
                outcome[p] += 1
            if not problems:
                outcome["consistent after kill and after the next run"] += 1
    return outcome


def _check(db_path: Path, out: Path, *, finished: bool) -> list[str]:
    from tests.helpers import docx_text

    db = open_database(db_path)
    with db.session() as s:
        notices = {n.doc_number: n.file_path for n in s.scalars(select(RectificationNotice))}
        seqs = sorted(s.scalars(select(RectificationNotice.seq)))
        chain = verify_chain(s).ok
    db.dispose()
    problems = []
    docs = sorted(out.glob("*.docx")) if out.exists() else []
    for doc in docs:
        number = next((d for d in notices if doc.name.startswith(d)), None)
        if number is None:
            problems.append("DOCUMENT WITHOUT A COMMITTED NUMBER")
        elif number not in docx_text(doc):
            problems.append("DOCUMENT WITH ANOTHER NUMBER")
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append("NUMBER GAP")
    if not chain:
        problems.append("AUDIT CHAIN BROKEN")
    if finished:
        if len(docs) != len(notices):
            problems.append("COMMITTED NUMBER WITHOUT DOCUMENT AFTER THE NEXT RUN")
        if out.exists() and list(out.glob(".*.part")):
            problems.append("PART FILE LEFT AFTER THE NEXT RUN")
    return problems


if __name__ == "__main__":
    kind, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    result = corrupt_trials(count, seed) if kind == "corrupt" else kill_trials(count, seed)
    for key, value in sorted(result.items()):
        print(f"{value:5d}  {key}")
