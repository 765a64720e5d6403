"""The SSJ-DRAW-2 known answer in docs/draw-protocol.md §9 is what the engine computes, and it verifies."""
from __future__ import annotations

import json

from models import draw_announcement
from models.draw_record import prepare_draw, run_draw, shared_part
from models.draw_verify import verify_record
from tests.models.test_draw_engine import KAT_CANDIDATES, KAT_ENTROPY, KAT_INSPECTORS, KAT_RECUSALS
from tests.models.test_draw_verify import doc_block


def kat_v2() -> tuple[dict, dict]:
    block = json.loads(doc_block("known-answer-v2"))
    head = block["announcement"]
    setup = dict(candidates=KAT_CANDIDATES, sizes={"全部": 3}, stratify=False, inspectors=KAT_INSPECTORS,
                 recusals=KAT_RECUSALS, responsible_units=["治安大队"], partner_units=["市场监督管理局"], per_object=2)
    shared = shared_part(prepare_draw(**setup), item=head["item"], round=head["round"], rule_text=head["rule_text"])
    ann = draw_announcement.build_announcement(
        shared=shared, year=head["year"], number=head["number"], bureau=head["bureau"], sealed_at=head["sealed_at"],
        jurisdiction=head["jurisdiction"], entropy_source=head["entropy_source"]["text"],
        lottery_date=head["entropy_source"]["lottery_date"], kind=head["kind"], replaces=head["replaces"],
        reason=head["reason"])
    meta = dict.fromkeys(("year", "bureau", "item_number", "item_name", "rule_text", "rule_desc", "round",
                          "jurisdiction", "size_override", "excluded", "kind", "replaces_id",
                          "replaces_record_hash", "replaced_object", "reason", "announcement_number"))
    meta.update(time="2024-05-06T10:00:00", place="会议室", operator="张文书", witnesses=["王监督"])
    record = run_draw(**setup, entropy=KAT_ENTROPY, item=head["item"], round=head["round"],
                      rule_text=head["rule_text"], meta=meta, announcement=ann)
    return record, block["expected"]


def test_the_documents_v2_known_answer_matches_the_engine_and_verifies():
    record, expected = kat_v2()
    assert record["commitment"] == expected["commitment"]
    assert record["seed"] == expected["seed"]
    assert [p["name"] for p in record["picks"]] == expected["picks"]
    assert [[i["name"] for i in a["inspectors"]] for a in record["assignments"]] == expected["teams"]
    assert verify_record(record).ok
