"""Two seats edit the same roster entry: the one who saves second is told who saved first, and sees their version."""
from __future__ import annotations

from models import roster_service as rs
from models.credit_code import make_code
from ui.roster.inspector_dialog import InspectorDialog
from ui.roster.object_dialog import ObjectDialog


def test_saving_an_object_another_seat_saved_meanwhile_shows_who_and_reloads_the_form(ctx, qtbot):
    with ctx.db.session() as s:
        oid = rs.add_object(s, rs.ObjectData("沂源县鑫源宾馆", make_code(1), "旅馆", phone="0533-1000000"), "录入员")
    dlg = ObjectDialog(ctx, object_id=oid)       # this clerk opens the form …
    qtbot.addWidget(dlg)
    with ctx.db.session() as s:                  # … while 张三 at another PC changes the phone and saves
        rs.update_object(s, oid, rs.ObjectData("沂源县鑫源宾馆", make_code(1), "旅馆", phone="0533-2000000"), "张三")
    dlg.risk.setCurrentText("高风险")
    dlg.save()

    assert not dlg.result()                      # the dialog stays open
    message = dlg.error.text()
    assert message.startswith("该检查对象“沂源县鑫源宾馆”在您打开之后已被 张三 于 20")
    assert "您的修改未保存" in message and "窗口中已重新载入最新内容" in message
    assert dlg.phone.text() == "0533-2000000" and dlg.risk.currentText() == "低风险"  # 张三's version shown
    with ctx.db.session() as s:
        assert rs.get_object(s, oid).phone == "0533-2000000"

    dlg.risk.setCurrentText("高风险")             # made again on the reloaded form, it is saved
    dlg.save()
    assert dlg.result()
    with ctx.db.session() as s:
        data = rs.get_object(s, oid)
        assert (data.phone, data.risk_level) == ("0533-2000000", "高风险")


def test_saving_an_inspector_deactivated_meanwhile_is_refused_and_reloaded(ctx, qtbot):
    with ctx.db.session() as s:
        iid = rs.add_inspector(s, rs.InspectorData("王强", "371323001", "治安大队"), "录入员")
    dlg = InspectorDialog(ctx, inspector_id=iid)
    qtbot.addWidget(dlg)
    with ctx.db.session() as s:
        rs.set_inspector_active(s, iid, False, "李四")
    dlg.unit.setCurrentText("网安大队")
    dlg.save()

    assert not dlg.result()
    assert dlg.error.text().startswith("该执法检查人员“王强”在您打开之后已被 李四 于 20")
    assert dlg.unit.currentText() == "治安大队" and not dlg.active.isChecked()
