"""A member of the public checks a published draw record in the verifier page, in a real browser (headless Chromium).

The page (resources/verifier/verify.html) must say exactly what `python main.py verify-draw` says:
一致 for every honest record, and for every tampered copy 不一致 with the same first difference.
All cases run in one browser start; the page gets each file the way a dropped file arrives.
"""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from models.draw_record import record_hash, record_to_json
from models.draw_verify import verify_record
from tests.reports import verify_page_browser as browser
from tests.reports.verify_corpus import (
    Case, broken_files, db_records, engine_records, kit_files, link_cases, odd_files, sealed_cases, tampered,
)

pytestmark = pytest.mark.skipif(
    browser.find_chromium() is None,
    reason="no Chromium found (apt-get install chromium, or set SSJ_CHROMIUM): "
           "the verifier page is tested in a real browser")

# Messages that quote a Python exception name it the same way, but the exception's own words differ.
PYTHON_EXCEPTION = "记录无法校验："

EXTRA_JS = r"""
window.SSJ_EXTRA = async function () {
  var v = window.SSJVerifier, out = {sha: [], json: null};
  var lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 1 << 20];
  for (var n of lengths) {
    var bytes = new Uint8Array(n);
    for (var k = 0; k < n; k++) { bytes[k] = (k * 31 + n) & 255; }
    v.usePlainSha256(false);
    var web = await v.sha256Web(bytes);
    out.sha.push([n, web, v.sha256Plain(bytes)]);
  }
  out.json = v.canonicalJson(window.SSJ_JSON_SAMPLE);
  return out;
};
"""


def python_verdict(case: Case) -> tuple[str, str] | None:
    """What verify-draw says about the file: ("一致" | "不一致", message), or None when it cannot read it."""
    text = case.text()
    if text is None:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    expected = "".join(case.hash.split()).lower() or None
    announcement = None if case.announcement is None else json.loads(case.announcement)
    replaced = None if case.replaced is None else json.loads(case.replaced)
    result = verify_record(record, expected_hash=expected, announcement=announcement, replaced=replaced)
    return ("一致" if result.ok else "不一致"), result.message


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    """Sealed draws (SSJ-DRAW-2) on a database, and the announcement each was drawn against."""
    from models.db import open_database

    with pytest.MonkeyPatch.context() as mp:
        folder = tmp_path_factory.mktemp("sealed-draws")
        mp.setenv("SSJ_DATA_DIR", str(folder / "userdata"))
        db = open_database(folder / "draws.sqlite3")
        try:
            return db_records(db)
        finally:
            db.dispose()


@pytest.fixture(scope="module")
def honest(sealed):
    records = engine_records()
    records.update(sealed[0])
    return records


@pytest.fixture(scope="module")
def corpus(honest, sealed) -> list[Case]:
    cases = [Case(label, f"{label}.json", record_to_json(r), record_hash(r)) for label, r in honest.items()]
    cases += [Case(label + "（未给哈希）", f"{label}-无哈希.json", json.dumps(r, ensure_ascii=False)) for label, r in
              sealed[0].items()]
    return (cases + tampered(honest) + sealed_cases(honest, sealed[1]) + odd_files(honest) + broken_files()
            + link_cases(honest))


def also_dropped(case: Case) -> list[tuple[str, str]]:
    """The files dropped on the page together with the record: its announcement, the record it replaces."""
    also = [] if case.announcement is None else [("抽取公告.json", case.announcement)]
    return also + ([] if case.replaced is None else [("被替代记录.json", case.replaced)])


@pytest.fixture(scope="module")
def page(corpus, honest, sealed):
    """Every case dropped on the page in one browser run, plus the page's SHA-256 and canonical JSON checks."""
    cli = honest["封存后抽取"]
    hash_list = f"{record_hash(cli)}  封存后抽取.json\n{'0' * 64}  别的记录.json\n"
    story_cases = [
        # The kit's hash list dropped together with the record: the record hash is checked against it.
        browser.case("封存后抽取.json", record_to_json(cli), also=[("哈希清单.txt", hash_list)]),
        browser.case("封存后抽取.json", json.dumps(dict(cli, meta=dict(cli["meta"], place="别处")), ensure_ascii=False),
                     also=[("哈希清单.txt", hash_list)]),
        # Without WebCrypto (a page served over plain http) the built-in SHA-256 gives the same answers.
        browser.case("plain.json", record_to_json(honest["分层抽取、回避、联合检查"]), plain=True),
        # A file dropped on the page, and one chosen with the file chooser.
        browser.case("拖入.json", record_to_json(honest["封存后重抽"]), via="drop"),
        browser.case("选择.json", json.dumps(dict(cli, seed="0" * 64), ensure_ascii=False), via="pick"),
        # The announcement alone, as posted before the draw: the page shows its commitment.
        browser.case("抽取公告-2024-001.json", sealed[1]["封存后抽取"]),
    ]
    # A whole kit dropped at once (records, 清单.csv, 哈希清单.txt); the same kit with the first record's place
    # changed on the server; a redraw dropped after the record it replaces.
    for kit in (kit_files(honest), kit_files(honest, lambda r: r["meta"].update(place="别处"))):
        story_cases.append(browser.case(*kit[0], also=kit[1:]))
    story_cases.append(browser.case("原记录.json", record_to_json(honest["封存后抽取"]),
                                    also=[("重抽记录.json", record_to_json(honest["封存后重抽"]))]))
    cases = [browser.case(c.name, c.data, hash=c.hash, api=True, also=also_dropped(c)) for c in corpus] + story_cases
    sample = json.dumps({"ｚ": 1, "𝒳": [1.5, 1e16, 1e-05, -0.0, 100.0, 2 ** 70], "a": "\"\\\n\u0001\u007f\u2028/é",
                         "b": {"y": None, "x": True}}, ensure_ascii=False)
    result = browser.run_cases(cases, extra_js=EXTRA_JS + f"window.SSJ_JSON_SAMPLE = {browser._js_literal(sample)};")
    return {"cases": result["cases"][:len(corpus)], "stories": result["cases"][len(corpus):],
            "extra": result["extra"], "sample": sample}


def test_every_honest_record_reads_一致_in_the_page_as_in_verify_draw(corpus, page, honest):
    seen = 0
    for case, shown in zip(corpus, page["cases"]):
        if case.label in honest:
            assert python_verdict(case) == ("一致", "一致")
            assert shown["verdict"] == "一致", (case.label, shown["message"])
            assert "已与您填写的哈希核对" in shown["summary"][-1][1], case.label
            seen += 1
    assert seen == len(honest) == 14


def test_the_page_and_verify_draw_agree_on_every_file_naming_the_same_first_difference(corpus, page):
    disagreements, compared = [], set()
    for case, shown in zip(corpus, page["cases"]):
        expected = python_verdict(case)
        if expected is None:
            continue
        verdict, message = expected
        same_message = (shown["message"].startswith(PYTHON_EXCEPTION) if message.startswith(PYTHON_EXCEPTION)
                        else verdict == "一致" or shown["message"] == message)
        if message.startswith("给出的记录哈希"):  # a typo in the hash: the page does not call the record 不一致
            verdict = "未核对"
        api_agrees = shown["api"] is None or shown["api"]["ok"] == (verdict == "一致")
        if shown["verdict"] != verdict or not same_message or not api_agrees:
            disagreements.append((case.label, verdict, message, shown["verdict"], shown["message"]))
        compared.add(verdict)
    assert not disagreements, "\n".join(map(str, disagreements))
    assert compared == {"一致", "不一致", "未核对"}


def test_tampered_copies_read_不一致_with_the_first_difference_in_chinese(corpus, page):
    shown = {c.label: s for c, s in zip(corpus, page["cases"])}
    assert shown["换了一个抽中对象"]["verdict"] == "不一致"
    assert shown["换了一个抽中对象"]["message"] == (
        "第 2 个抽取结果不一致：应为「咸安区悦来宾馆」(91421202MA49X8K7P2)，"
        "记录为「咸宁市香城民宿」(52421200MA4C9D0E4P)")
    assert shown["改了一个检查对象的名称"]["message"].startswith("检查对象名单已被改动")
    assert shown["去掉一条回避关系"]["message"].startswith(
        "抽取设置（抽取数量、检查人员名单、回避关系或人员要求）已被改动")
    assert shown["改了一项熵值"]["message"] == (
        "熵值不一致：第 2 项规范化后应为「骰子 3 5 5」，记录为「骰子 3 5 6」")
    assert shown["换了一名检查人员"]["message"].startswith(
        "第 3 个检查对象「咸宁温泉大酒店」(91421200MA4A1B2C3B)的检查人员不一致")
    assert shown["改了见证人（给了记录表上的哈希）"]["message"].startswith("记录哈希不一致")
    assert shown["改了地点（未给哈希）"]["verdict"] == "一致"  # without the printed hash, meta is not checked
    assert shown["封存记录换了一名检查人员"]["verdict"] == "不一致"
    # A record that fails still shows what it claims, marked as untrustworthy.
    assert shown["换了一个抽中对象"]["note"] == "（记录未通过验证，下表内容不可信）"
    assert shown["换了一个抽中对象"]["table"][1][2] == "咸宁市香城民宿"


def test_files_verify_draw_cannot_read_are_不一致_and_say_why(corpus, page):
    shown = {c.label: s for c, s in zip(corpus, page["cases"])}
    for label in ("不是 JSON", "多余内容"):
        assert shown[label]["verdict"] == "不一致"
        assert "不是有效的 JSON" in shown[label]["message"], shown[label]["message"]
    assert shown["不是 UTF-8"]["verdict"] == "不一致"
    assert "不是 UTF-8 编码" in shown["不是 UTF-8"]["message"]


def test_the_picks_and_inspectors_table_and_the_summary_show_what_was_drawn(corpus, page, honest):
    shown = {c.label: s for c, s in zip(corpus, page["cases"])}
    kat = shown["协议文档中的已知答案记录"]
    team = "{}（治安大队）、{}（治安大队）、{}（市场监督管理局）".format
    assert kat["table"] == [
        ["1", "全部", "咸宁市金桂宾馆", "91421200772345678L", team("刘洋", "陈静", "赵敏")],
        ["2", "全部", "咸安区悦来宾馆", "91421202MA49X8K7P2", team("李娜", "张伟", "孙磊")],
        ["3", "全部", "咸宁温泉大酒店", "91421200MA4A1B2C3B", team("王强", "张伟", "孙磊")],
    ]
    assert kat["note"] == ""
    summary = dict(kat["summary"])
    assert summary["抽查事项"] == "3．旅馆业治安管理情况检查"
    assert summary["监督人/见证人"] == "纪检监察室 吴芳、商户代表 郑凯"
    assert summary["随机种子"] == honest["协议文档中的已知答案记录"]["seed"]
    sub = dict(shown["封存后替补"]["summary"])
    assert sub["类型"] == "替补（替代记录 2）" and sub["原因"] == "已注销" and sub["地点"] == "治安大队会议室"
    assert shown["分层抽取、回避、联合检查"]["table"][0][1] == "高风险"


def test_a_hash_list_dropped_with_the_record_checks_the_record_hash(page):
    with_list, moved, plain_sha = page["stories"][:3]
    assert with_list["verdict"] == "一致"
    assert "已与哈希清单核对" in dict(with_list["summary"])["本记录哈希"]
    assert moved["verdict"] == "不一致" and moved["message"].startswith("记录哈希不一致")
    assert plain_sha["verdict"] == "一致"


def test_the_pages_own_sha256_and_canonical_json_match_python(page):
    for n, web, plain in page["extra"]["sha"]:
        data = bytes((k * 31 + n) & 255 for k in range(n))
        assert web == plain == hashlib.sha256(data).hexdigest(), n
    assert page["extra"]["json"] == record_to_json(json.loads(page["sample"]))


def test_the_page_is_one_file_that_never_reaches_the_network():
    text = browser.PAGE.read_text(encoding="utf-8")
    assert "default-src 'none'" in text  # the browser itself refuses every request
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", text)
    for call in ("fetch(", "XMLHttpRequest", "WebSocket", "import(", "sendBeacon"):
        assert call not in text
    assert "<link" not in text


def test_the_page_reads_well_on_a_1366_by_768_screen(tmp_path, honest):
    shot = browser.screenshot([browser.case("记录.json", record_to_json(honest["封存后抽取"]))], tmp_path / "page.png")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1366, 768)


def test_a_file_dropped_on_the_page_or_chosen_in_the_file_chooser_is_verified(page):
    dropped, chosen = page["stories"][3:5]
    assert dropped["verdict"] == "一致" and dict(dropped["summary"])["类型"] == "重抽（替代记录 1）"
    assert chosen["verdict"] == "不一致" and chosen["message"].startswith("随机种子不一致")


def test_on_random_draws_and_random_damage_the_page_and_verify_draw_always_agree():
    import random

    from tests.reports.verify_corpus import damaged, random_record

    rng = random.Random(20241204)
    records = [random_record(rng) for _ in range(40)]
    assert 10 < sum(r["algorithm"] == "SSJ-DRAW-2" for r in records) < 30
    files = [json.dumps(r, ensure_ascii=False) for r in records]
    files += [json.dumps(damaged(r, rng), ensure_ascii=False) for r in records for _ in range(4)]
    shown = browser.run_cases([browser.case(f"{n}.json", text) for n, text in enumerate(files)])["cases"]
    disagreements, verdicts = [], []
    for text, page_said in zip(files, shown):
        result = verify_record(json.loads(text))
        verdicts.append(result.ok)
        same = page_said["verdict"] == ("一致" if result.ok else "不一致") and (
            result.ok or page_said["message"] == result.message
            or result.message.startswith(PYTHON_EXCEPTION) and page_said["message"].startswith(PYTHON_EXCEPTION))
        if not same:
            disagreements.append((result.message, page_said["message"], text[:300]))
    assert not disagreements, "\n".join(map(str, disagreements[:5]))
    assert all(verdicts[:40]) and verdicts.count(False) > 100


def test_a_witness_signed_announcement_and_the_record_drawn_against_it_check_out_together(corpus, page, honest, sealed):
    from models import draw_announcement

    shown = {c.label: s for c, s in zip(corpus, page["cases"])}
    together = shown["记录和它的公告"]
    assert together["verdict"] == "一致"
    summary = dict(together["summary"])
    record = honest["封存后抽取"]
    assert summary["公告承诺值"] == record["commitment"]
    assert summary["抽取公告"].startswith(record["meta"]["announcement_number"])
    assert summary["抽取公告文件"] == "抽取公告.json（与记录一致）"
    # Before the draw, the posted announcement alone shows the commitment the witnesses signed.
    alone = page["stories"][5]
    assert alone["verdict"] == "已读取抽取公告"
    assert dict(alone["summary"])["公告承诺值"].startswith(
        draw_announcement.commitment(json.loads(sealed[1]["封存后抽取"])))
    # Changing the announcement after it was posted, or pairing the record with another one, is named.
    assert shown["公告的随机数来源在张贴后被改"]["message"].endswith("第一处不同在「entropy_source」")
    assert shown["记录配了别的公告"]["message"].startswith("记录与公告不符")
    assert shown["公告的随机数来源被改"]["message"].startswith("抽取公告的承诺值不一致")
    assert shown["封存时间改到抽取之后（承诺值也重算）"]["message"].startswith("抽取时间")
    assert shown["v2 名单顺序被调换"]["message"].endswith("未按规范顺序排列（验证程序不会重新排序）")
    assert shown["哈希格式错误"]["verdict"] == "未核对"


def test_the_verify_draw_command_says_what_the_page_says(corpus, page, tmp_path, capsys):
    from ui.cli import run

    checked = 0
    for n, (case, shown) in enumerate(zip(corpus, page["cases"])):
        if python_verdict(case) is None or shown["verdict"] == "未核对":
            continue
        path = tmp_path / f"{n}.json"
        path.write_bytes(case.data if isinstance(case.data, bytes) else case.data.encode("utf-8"))
        extra = ["--hash", case.hash] if case.hash else []
        if case.announcement is not None:
            (tmp_path / f"{n}-公告.json").write_text(case.announcement, encoding="utf-8")
            extra += ["--announcement", str(tmp_path / f"{n}-公告.json")]
        if case.replaced is not None:
            (tmp_path / f"{n}-被替代.json").write_text(case.replaced, encoding="utf-8")
            extra += ["--replaces", str(tmp_path / f"{n}-被替代.json")]
        code = run(["--db", str(tmp_path / "unused.sqlite3"), "verify-draw", str(path), *extra])
        out = capsys.readouterr()
        if shown["verdict"] == "一致":
            assert (code, out.out.strip()) == (0, "一致"), case.label
        else:
            assert code == 1 and out.err.strip().startswith("不一致："), case.label
            said = out.err.strip().removeprefix("不一致：")
            assert said == shown["message"] or said.startswith(PYTHON_EXCEPTION), case.label
        checked += 1
    assert checked > 80
    assert not (tmp_path / "unused.sqlite3").exists()


def test_the_documents_version_2_known_answer_reads_一致_with_its_announcement(corpus, page):
    from tests.models.test_draw_verify import doc_block

    expected = json.loads(doc_block("known-answer-v2"))["expected"]
    shown = {c.label: s for c, s in zip(corpus, page["cases"])}
    kat = shown["第 2 版已知答案记录和它的公告"]
    assert kat["verdict"] == "一致"
    assert dict(kat["summary"])["公告承诺值"] == expected["commitment"]
    assert dict(kat["summary"])["随机种子"] == expected["seed"]
    assert [row[2] for row in kat["table"]] == expected["picks"]
    assert shown["第 2 版已知答案记录换了见证人"]["message"].startswith("记录哈希不一致")
    assert shown["第 2 版已知答案记录改了封存时间"]["message"].startswith("抽取公告的承诺值不一致")


def test_a_redraw_or_substitute_dropped_with_the_record_it_replaces_checks_the_link(corpus, page, honest):
    from tests.models.test_draw_verify import link_cases as pairs
    from tests.reports.verify_corpus import replaces_something

    shown = {c.label: s for c, s in zip(corpus, page["cases"])}
    chain = honest["封存后抽取"], honest["封存后重抽"], honest["封存后替补"]
    for label, new, _, expected in pairs(*chain):
        if not replaces_something(new):
            continue
        said = shown[f"关联：{label}"]
        assert said["verdict"] == ("一致" if expected == "一致" else "不一致"), (label, said["message"])
        if expected != "一致":
            assert said["message"].startswith(expected), (label, said["message"])
            assert said["api"]["message"] == said["message"], label
    kat = shown["关联：协议文档中的替补已知答案"]
    assert kat["verdict"] == "一致" and kat["table"][0][2] == "通城县隽水旅馆"
    honest_pair = dict(shown["关联：替补和被它替代的记录"]["summary"])
    assert honest_pair["被替代的记录"] == "被替代记录.json（关联一致）"
    # The order the two files are dropped in does not matter: the redraw is checked against the original.
    reversed_order = page["stories"][8]
    assert reversed_order["verdict"] == "一致"
    assert dict(reversed_order["summary"])["被替代的记录"] == "原记录.json（关联一致）"


def test_in_a_whole_kit_each_redraw_and_substitute_is_checked_against_the_record_it_names(page, honest):
    kit, swapped = page["stories"][6:8]
    assert kit["verdict"] == "一致", kit["message"]
    lines = {line[1]: line for line in kit["batch"]}
    assert "已与被替代的抽取记录-2024-0001.json核对关联" in lines["抽取记录-2024-0002.json"][3]
    assert "已与被替代的抽取记录-2024-0002.json核对关联" in lines["抽取记录-2024-0003.json"][3]
    assert dict(kit["summary"])["已核对与被替代记录的关联"] == "2 条"
    # The original record's file changed after posting: 清单.csv still finds it by its record number, so the
    # redraw's line names the broken link (and the file's own line its changed hash), as verify-draw does.
    lines = {line[1]: line for line in swapped["batch"]}
    assert swapped["verdict"] == "不一致"
    assert lines["抽取记录-2024-0001.json"][3].startswith("记录哈希不一致")
    changed = _change_place(honest["封存后抽取"])
    expected = verify_record(honest["封存后重抽"], expected_hash=record_hash(honest["封存后重抽"]), replaced=changed)
    assert expected.message.startswith("被替代记录的哈希不符")
    assert lines["抽取记录-2024-0002.json"][2:] == ["不一致", expected.message]
    assert lines["抽取记录-2024-0003.json"][2] == "一致"


def _change_place(record: dict) -> dict:
    return json.loads(json.dumps(dict(record, meta=dict(record["meta"], place="别处")), ensure_ascii=False))
