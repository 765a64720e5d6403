"""A member of the public drops a record that drew individuals on the verifier page: the masked codes
(身份证:1101**********002X, 护照:美国:E1*****78, 无:) are hashed as any code, so the page says 一致 as verify-draw
does, shows the masked names only, and names the same first difference when a masked code is changed."""
from __future__ import annotations

import copy
import json

import pytest

from models.draw_record import record_to_json
from models.draw_verify import verify_record
from tests.models.test_draw_persons import DRAW, SOURCE, build_scrap_world
from tests.reports import verify_page_browser as browser
from ui.cli import run

pytestmark = pytest.mark.skipif(browser.find_chromium() is None,
                                reason="no Chromium found: the verifier page is tested in a real browser")


def test_the_page_verifies_a_draw_of_persons_as_verify_draw_does(db, db_target, tmp_path):
    people = build_scrap_world(db)
    announcement, record = tmp_path / "公告.json", tmp_path / "记录.json"
    assert run(["--db", db_target, "seal", "--year", "2024", "--item", "1", *SOURCE, "--json", str(announcement)]) == 0
    assert run(["--db", db_target, "draw", "--year", "2024", "--seal", "1", *DRAW, "--record", str(record)]) == 0
    honest = json.loads(record.read_text(encoding="utf-8"))
    changed = copy.deepcopy(honest)
    person = next(c for c in changed["candidates"] if c["code"].startswith("身份证:"))
    person["code"] = person["code"].replace("*", "0")   # someone "unmasks" a number after the draw
    files = {"honest": record.read_text(encoding="utf-8"), "changed": record_to_json(changed)}
    shown = browser.run_cases([
        browser.case("记录.json", files["honest"], api=True,
                     also=[("公告.json", announcement.read_text(encoding="utf-8"))]),
        browser.case("改动.json", files["changed"], api=True)])["cases"]
    assert verify_record(honest).ok and shown[0]["verdict"] == "一致" and shown[0]["api"]["ok"]
    expected = verify_record(json.loads(files["changed"]))
    assert not expected.ok and shown[1]["verdict"] == "不一致"
    assert shown[1]["api"]["message"] == expected.message
    table = " ".join(" ".join(row) for row in shown[0]["table"])
    for name, _kind, number, _country, _reason in people[:-1]:
        assert name not in table and (not number or number not in table)
    assert any(mark in table for mark in ("王*", "李*", "张*", "J*", "赵*"))
