"""The printed documents read, word for word, as their golden extracts in tests/reference/ say.

A change to a template or to a document's wording shows up here as a unified diff of the text a reader sees.
When the change is meant, rewrite the extracts with SSJ_UPDATE_REFERENCE=1 and review them in git.
The year is the publicity stories' one (fixed draw time, issue and review dates, statistics as of 2024-07-01).
"""
from __future__ import annotations

from datetime import date

import pytest

from models.inspection import RectificationNotice, Reinspection
from reports.publicity import export_results, export_tasks
from reports.year_report import export_report
from tests.helpers import assert_matches_reference, docx_extract, mask_volatile, xlsx_extract
from tests.reports.publicity_world import publicity_world

AS_OF = date(2024, 7, 1)


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """One generated year for every extract: the world is the slow part, the documents are cheap."""
    from models.db import open_database

    folder = tmp_path_factory.mktemp("golden")
    with pytest.MonkeyPatch.context() as mp:  # the autouse data-folder fixture is per test; this one is per module
        mp.setenv("SSJ_DATA_DIR", str(folder / "userdata"))
        db = open_database(folder / "golden.sqlite3")
        try:
            publicity_world(db, folder)
            yield db, folder
        finally:
            db.dispose()


def _notice_files(db) -> tuple[list, list]:
    with db.read_session() as s:
        notices = [n.file_path for n in s.query(RectificationNotice).order_by(RectificationNotice.id)]
        reviews = [r.file_path for r in s.query(Reinspection).order_by(Reinspection.id)]
    return notices, reviews


def test_the_notice_reads_as_its_reference(year):
    db, folder = year
    notices, _ = _notice_files(db)
    assert len(notices) == 2
    for n, path in enumerate(notices, start=1):
        assert_matches_reference(f"notice_{n}", docx_extract(path), paths=(folder,))


def test_the_review_reads_as_its_reference(year):
    db, folder = year
    _, reviews = _notice_files(db)
    assert len(reviews) == 1
    assert_matches_reference("review_1", docx_extract(reviews[0]), paths=(folder,))


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
@pytest.mark.parametrize(("name", "export"), [("results", export_results), ("tasks", export_tasks)])
def test_the_publicity_tables_read_as_their_references(year, name, export, suffix):
    db, folder = year
    path = export(db, 2024, folder / f"{name}.{suffix}", as_of=AS_OF)
    extract = xlsx_extract(path) if suffix == "xlsx" else docx_extract(path)
    assert_matches_reference(f"publicity_{name}_{suffix}", extract, paths=(folder,))


def test_the_year_report_reads_as_its_reference(year):
    db, folder = year
    path = export_report(db, 2024, folder / "年度报告.docx", as_of=AS_OF)
    assert_matches_reference("year_report", docx_extract(path), paths=(folder,))


def test_hashes_the_day_of_making_and_temporary_paths_are_left_out_of_the_comparison(tmp_path):
    record_hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    made = date(2026, 3, 9)
    text = (f"#1：{record_hash}\n#3（5ea80863）\n制作日期：2026年3月9日 2026-03-09\n{tmp_path}/结果.xlsx\n"
            "91370000MA00000005 13800001234 2024年5月7日 deadbeef")
    assert mask_volatile(text, paths=(tmp_path,), today=made).splitlines() == [
        "#1：<哈希>", "#3（<哈希>）", "制作日期：<今天> <今天>", "<临时目录>/结果.xlsx",
        # A credit code, a phone number, a fixed date and a hex-looking word without digits are content.
        "91370000MA00000005 13800001234 2024年5月7日 deadbeef"]


def test_a_changed_document_fails_with_a_diff_until_its_reference_is_rewritten(tmp_path, monkeypatch):
    from tests import helpers

    monkeypatch.setattr(helpers, "REFERENCE_DIR", tmp_path)
    monkeypatch.setenv(helpers.UPDATE_REFERENCE, "1")
    assert_matches_reference("doc", "标题\n整改期限：2024年6月6日\n")
    assert (tmp_path / "doc.txt").read_text(encoding="utf-8") == "标题\n整改期限：2024年6月6日\n"
    monkeypatch.delenv(helpers.UPDATE_REFERENCE)
    assert_matches_reference("doc", "标题\n整改期限：2024年6月6日\n")
    with pytest.raises(AssertionError) as failed:
        assert_matches_reference("doc", "标题\n整改期限：2024年6月9日\n")
    assert "-整改期限：2024年6月6日\n+整改期限：2024年6月9日" in str(failed.value)
