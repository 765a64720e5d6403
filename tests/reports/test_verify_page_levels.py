"""A member of the public checks a 市抽县查 draw (each pick's officers from its object's county) on the verifier page:
the page recomputes the county pools as verify-draw does and names the same first difference for tampered copies."""
from __future__ import annotations

import copy
import json

import pytest

from models.draw_record import record_hash, record_to_json
from models.draw_verify import verify_record
from tests.models.test_draw_levels_protocol import county_record_v1, county_record_v2
from tests.reports import verify_page_browser as browser

pytestmark = pytest.mark.skipif(browser.find_chromium() is None,
                                reason="no Chromium found: the verifier page is tested in a real browser")


def _changed(record: dict, change) -> dict:
    copy_ = copy.deepcopy(record)
    change(copy_)
    return copy_


def cases() -> dict[str, dict]:
    v1, v2 = county_record_v1(), county_record_v2()
    counties = ("inspection", "counties")

    def at(r, *path):
        for key in path:
            r = r[key]
        return r

    return {
        "已知答案（市抽县查）": v1,
        "封存后抽取（市抽县查）": v2,
        "检查对象改属别县": _changed(v2, lambda r: at(r, *counties, "objects")[0].__setitem__(1, "盘龙分局")),
        "检查人员改属别县": _changed(v1, lambda r: at(r, *counties, "inspectors")[0].__setitem__(1, "盘龙分局")),
        "漏列一个检查对象": _changed(v2, lambda r: at(r, *counties, "objects").pop(2)),
        "县名为空": _changed(v2, lambda r: at(r, *counties, "inspectors")[0].__setitem__(1, "")),
        "名单外的检查人员": _changed(v2, lambda r: at(r, *counties, "inspectors").append([99, "五华分局"])),
        "顺序颠倒": _changed(v2, lambda r: at(r, *counties, "inspectors").reverse()),
        "不是一对": _changed(v2, lambda r: at(r, *counties, "objects").__setitem__(1, [2])),
        "县名含换行": _changed(v1, lambda r: at(r, *counties, "objects")[1].__setitem__(1, "五华\n分局")),
        "删去县名单": _changed(v2, lambda r: at(r, "inspection").pop("counties")),
        "检查人员被调换": _changed(v1, lambda r: r["assignments"][0]["inspectors"].reverse()),
        "县名单不是对象": _changed(v1, lambda r: at(r, "inspection").__setitem__("counties", [])),
    }


@pytest.fixture(scope="module")
def shown():
    records = cases()
    run = browser.run_cases([browser.case(f"{label}.json", json.dumps(r, ensure_ascii=False), api=True)
                             for label, r in records.items()])
    return dict(zip(records, run["cases"]))


def test_the_page_and_verify_draw_agree_on_every_市抽县查_file(shown):
    records = cases()
    disagreements = []
    for label, record in records.items():
        expected = verify_record(json.loads(json.dumps(record, ensure_ascii=False)))
        page = shown[label]
        verdict = "一致" if expected.ok else "不一致"
        if page["verdict"] != verdict or page["api"]["ok"] != expected.ok or (
                not expected.ok and page["api"]["message"] != expected.message):
            disagreements.append((label, expected.message, page["verdict"], page["api"]["message"]))
    assert not disagreements, "\n".join(map(str, disagreements))
    assert shown["已知答案（市抽县查）"]["verdict"] == shown["封存后抽取（市抽县查）"]["verdict"] == "一致"
    assert sum(s["verdict"] == "不一致" for s in shown.values()) == len(records) - 2


def test_the_page_shows_each_picks_county_officers(shown):
    table = shown["封存后抽取（市抽县查）"]["table"]
    text = " ".join(" ".join(row) for row in table)
    assert "盘龙区金辰化工原料" in text and "周敏" in text and "郑丽" in text
    assert record_hash(county_record_v2()) == record_hash(json.loads(record_to_json(county_record_v2())))
