"""The bureau exports the year's verify kit (export-verify-kit) and posts it; the public checks records with it."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from models.db import open_database
from models.draw_service import list_draws
from models.draw_verify import verify_record
from reports.verify_kit import (
    HASH_LIST_NAME, INDEX_NAME, PAGE_NAME, README_NAME, announcement_file_name, record_file_name,
)
from tests.models.draw_fixtures import build_world
from tests.reports import verify_page_browser as browser
from tests.tamper import tamper
from ui.cli import run

@pytest.fixture
def drawn(db, db_target):
    """2024: a sealed hotel draw, its redraw, a substitute within the redraw, and a voided announcement."""
    from models.draw_service import prepare_draw
    from models.seal_service import seal, void
    from tests.models.draw_fixtures import SOURCE, sealed_draw, sealed_redraw, sealed_substitute

    build_world(db, recusals=[(0, 1), (2, 3)])
    with db.read_session() as s:
        hotels, cafes = prepare_draw(s, 2024, "1"), prepare_draw(s, 2024, "2")
    first = sealed_draw(db, hotels)
    redrawn = sealed_redraw(db, first.id, reason="见证人迟到", entropy=["4 5 6"])
    sealed_substitute(db, redrawn.id, redrawn.record["picks"][0]["id"], reason="已注销", entropy=["7 8 9"])
    withdrawn = seal(db, cafes, entropy_source=SOURCE, operator="张文书")
    void(db, withdrawn.year, withdrawn.number, reason="见证人未到场", operator="张文书")
    return db_target


def _stored_hashes(db_path) -> dict[int, str]:
    db = open_database(db_path)
    try:
        with db.read_session() as s:
            from models.draw import DrawRecord

            return {r.id: r.record_hash for r in s.query(DrawRecord)}
    finally:
        db.dispose()


def test_the_kit_holds_the_page_every_record_of_the_year_and_their_hashes(drawn, tmp_path, capsys):
    kit = tmp_path / "公示" / "验证材料"
    capsys.readouterr()
    assert run(["--db", str(drawn), "export-verify-kit", "--year", "2024", str(kit)]) == 0
    out = capsys.readouterr().out
    assert "2024 年度的 4 份抽取公告、3 条抽取记录" in out

    # The page is the shipped one, byte for byte.
    assert (kit / PAGE_NAME).read_bytes() == browser.PAGE.read_bytes()
    # Every record is there, re-drawn ones included, and each file hashes to the hash on its 记录表.
    stored = _stored_hashes(drawn)
    for rid, digest in stored.items():
        data = (kit / record_file_name(2024, rid)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        assert verify_record(json.loads(data), expected_hash=digest).ok
        assert digest in out

    # 哈希清单.txt is sha256sum's format and covers every other file of the kit.
    listed = {}
    for line in (kit / HASH_LIST_NAME).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == {p.name for p in kit.iterdir()} - {HASH_LIST_NAME}
    for name, digest in listed.items():
        assert hashlib.sha256((kit / name).read_bytes()).hexdigest() == digest, name

    # Every announcement is there too, the voided one included; its file hashes to its commitment.
    db = open_database(drawn)
    with db.read_session() as s:
        from models.seal_service import list_announcements

        sealed = list_announcements(s, 2024)
    db.dispose()
    assert [a.status for a in sealed] == ["已抽取", "已抽取", "已抽取", "作废"]
    for a in sealed:
        data = (kit / announcement_file_name(a.label)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == a.commitment
        assert json.loads(data)["number"] == a.number

    # The index says what each record is and whether it still counts.
    rows = list(csv.DictReader(io.StringIO((kit / INDEX_NAME).read_text(encoding="utf-8-sig"))))
    voided = next(r for r in rows if r["类型"] == "抽取公告" and r["状态"] == "作废")
    assert voided["原因"] == "见证人未到场" and voided["记录编号"] == ""
    by_id = {r["记录编号"]: r for r in rows if r["类型"] == "抽取记录"}
    assert by_id["1"]["状态"] == "已被重抽替代" and by_id["1"]["抽取类型"] == "抽取"
    assert by_id["2"]["抽取类型"] == "重抽" and by_id["2"]["原因"] == "见证人迟到" and by_id["2"]["状态"] == "部分替代"
    assert by_id["3"]["抽取类型"] == "替补" and by_id["3"]["替代记录"] == "2"
    assert by_id["3"]["公告编号"] == sealed[2].label
    assert all(r["SHA-256"] == listed[r["文件"]] for r in rows)
    assert "sha256sum -c 哈希清单.txt" in (kit / README_NAME).read_text(encoding="utf-8")
    assert not [p for p in kit.iterdir() if p.name.endswith(".part")]


def test_exporting_again_replaces_the_kit_files(drawn, tmp_path):
    kit = tmp_path / "kit"
    kit.mkdir()
    (kit / record_file_name(2024, 1)).write_text("旧文件", encoding="utf-8")
    assert run(["--db", str(drawn), "export-verify-kit", "--year", "2024", str(kit)]) == 0
    assert json.loads((kit / record_file_name(2024, 1)).read_text(encoding="utf-8"))["algorithm"]


def test_a_year_without_draws_or_a_file_in_the_way_is_refused_in_chinese(drawn, tmp_path, capsys):
    assert run(["--db", str(drawn), "export-verify-kit", "--year", "2025", str(tmp_path / "kit")]) == 1
    assert "2025 年度没有抽取公告和抽取记录" in capsys.readouterr().err
    assert not (tmp_path / "kit").exists()
    blocker = tmp_path / "占用.txt"
    blocker.write_text("x", encoding="utf-8")
    assert run(["--db", str(drawn), "export-verify-kit", "--year", "2024", str(blocker)]) == 1
    assert "不是文件夹" in capsys.readouterr().err


def test_a_record_changed_in_the_database_file_stops_the_export(drawn, tmp_path, capsys):
    tamper(drawn, "UPDATE draw_records SET record_json = replace(record_json, '王监督', '别人') WHERE id = 2",
           unlock=("draw_records",))
    assert run(["--db", str(drawn), "export-verify-kit", "--year", "2024", str(tmp_path / "kit")]) == 1
    assert "抽取记录 2 的内容与保存时的哈希值不符" in capsys.readouterr().err
    assert not (tmp_path / "kit" / HASH_LIST_NAME).exists()


@pytest.mark.skipif(browser.find_chromium() is None, reason="no Chromium found (apt-get install chromium)")
def test_a_member_of_the_public_checks_every_kit_record_in_the_kits_own_page(drawn, tmp_path):
    kit = tmp_path / "kit"
    assert run(["--db", str(drawn), "export-verify-kit", "--year", "2024", str(kit)]) == 0
    listing = (kit / HASH_LIST_NAME).read_text(encoding="utf-8")
    db = open_database(drawn)
    with db.read_session() as s:
        ids = [d.id for d in list_draws(s, 2024)]
    db.dispose()
    cases = []
    for rid in ids:
        record = (kit / record_file_name(2024, rid)).read_text(encoding="utf-8")
        label = json.loads(record)["meta"]["announcement_number"]
        announcement = (kit / announcement_file_name(label)).read_text(encoding="utf-8")
        cases.append(browser.case(record_file_name(2024, rid), record,
                                  also=[(HASH_LIST_NAME, listing), (announcement_file_name(label), announcement)]))
    shown = browser.run_cases(cases, page_file=kit / PAGE_NAME)["cases"]
    assert [c["verdict"] for c in shown] == ["一致"] * 3
    for c in shown:
        summary = dict(c["summary"])
        assert "已与哈希清单核对" in summary["本记录哈希"]
        assert summary["抽取公告文件"].endswith("（与记录一致）")


@pytest.mark.skipif(browser.find_chromium() is None, reason="no Chromium found (apt-get install chromium)")
def test_the_whole_kit_dropped_at_once_is_checked_record_by_record(drawn, tmp_path):
    kit = tmp_path / "kit"
    assert run(["--db", str(drawn), "export-verify-kit", "--year", "2024", str(kit)]) == 0
    everything = sorted(kit.iterdir())
    files = [(p.name, p.read_bytes()) for p in everything]
    # The same folder with record 2 edited after it was posted (a witness renamed).
    edited = [(n, d.replace("王监督".encode(), "别人".encode()) if n == record_file_name(2024, 2) else d)
              for n, d in files]
    cases = [browser.case(files[0][0], files[0][1], also=files[1:]),
             browser.case(edited[0][0], edited[0][1], also=edited[1:])]
    honest, tampered = browser.run_cases(cases, page_file=kit / PAGE_NAME)["cases"]
    assert honest["verdict"] == "一致"
    assert honest["message"] == "全部 3 条抽取记录都与按规则重新计算的结果完全一致。"
    assert [row[2] for row in honest["batch"]] == ["一致"] * 3
    assert all("已核对记录哈希" in row[3] and "已与抽取公告-2024-" in row[3] for row in honest["batch"])
    assert dict(honest["summary"])["已与抽取公告核对"] == "3 条"
    assert tampered["verdict"] == "不一致"
    assert tampered["message"].startswith(f"3 条抽取记录中有 2 条未通过验证。第一条「{record_file_name(2024, 2)}」：")
    # Record 3 substitutes within record 2, so its link to the edited record breaks too (protocol 9.5).
    assert [row[2] for row in tampered["batch"]] == ["一致", "不一致", "不一致"]
    assert tampered["batch"][2][3].startswith("被替代的记录未通过验证：抽取公告的承诺值不一致")


def test_announcements_sealed_before_any_draw_can_be_posted_with_the_page(db, db_target, tmp_path, capsys):
    from models.draw_service import prepare_draw
    from models.seal_service import seal
    from tests.models.draw_fixtures import SOURCE

    build_world(db)
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1")
    sealed = seal(db, prep, entropy_source=SOURCE, operator="张文书")
    kit = tmp_path / "kit"
    assert run(["--db", db_target, "export-verify-kit", "--year", "2024", str(kit)]) == 0
    assert "1 份抽取公告、0 条抽取记录" in capsys.readouterr().out
    data = (kit / announcement_file_name(sealed.label)).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sealed.commitment
