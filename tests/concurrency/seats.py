"""What one seat (one workstation's program) does in the concurrency stories, run in its own process.

Each function opens its own connection to the shared PostgreSQL database by URL, waits at the
barrier so every seat starts at the same moment, does a clerk's work through the services, and
returns plain values (numbers, ids, refusals' messages) for the story to check. Refusals are
returned, not raised: the story asserts on the Chinese text a clerk would read.
"""
from __future__ import annotations

from datetime import date

from models.errors import UserError

ISSUED = date(2024, 5, 7)
DEADLINE = date(2024, 6, 6)


def _open(url: str):
    from models.db import open_database

    return open_database(url)


def _quick_documents() -> None:
    """Write each notice as a one-line file instead of rendering the .docx template.

    The number is taken, the row written, the file staged and published after the commit exactly as
    in the program (usecases.notice_issue); only the templating (~60 ms a notice, done while the
    numbering lock is held) is left out, so 400 notices fit in the story's time. Rendering itself
    is checked by tests/models/test_notice_service.py.
    """
    import usecases.notice_issue as notice_issue

    def render(session, notice, insp, bureau, out):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"{notice.doc_number}\n{insp.inspected_object.name}\n", encoding="utf-8")
        return out

    notice_issue._render = render


def issue_notices(url: str, inspection_ids: list[int], out_dir: str, clerk: str, barrier) -> list[str]:
    """A clerk issues the notice of each inspection, one after another, as fast as the program goes; the 文号."""
    from usecases.notice_issue import issue_notice

    _quick_documents()
    db = _open(url)
    try:
        barrier.wait()
        return [issue_notice(db, iid, deadline=DEADLINE, issue_date=ISSUED, actor=clerk, out_dir=out_dir).doc_number
                for iid in inspection_ids]
    finally:
        db.dispose()


def seal_and_draw(url: str, clerk: str, barrier) -> tuple[str, object]:
    """A clerk seals item 1, round 1 and draws against the seal: ("drawn", record id) or ("refused", message)."""
    from models.draw_prepare import prepare_draw
    from tests.models.draw_fixtures import sealed_draw

    db = _open(url)
    try:
        with db.read_session() as s:
            prep = prepare_draw(s, 2024, "1")
        barrier.wait()
        try:
            return "drawn", sealed_draw(db, prep, operator=clerk).id
        except UserError as refused:
            return "refused", str(refused)
    finally:
        db.dispose()


def draw_against(url: str, number: int, clerk: str, barrier) -> tuple[str, object]:
    """A clerk draws against the sealed announcement 2024-*number*."""
    from models.draw_service import draw_sealed
    from tests.models.draw_fixtures import ENTROPY, WITNESSES

    db = _open(url)
    try:
        barrier.wait()
        try:
            saved = draw_sealed(db, 2024, number, entropy=ENTROPY, witnesses=WITNESSES, place="局三楼会议室",
                                operator=clerk)
            return "drawn", saved.id
        except UserError as refused:
            return "refused", str(refused)
    finally:
        db.dispose()


def append_audit(url: str, clerk: str, count: int, barrier) -> int:
    """*count* audit entries, each in its own transaction, in a tight loop."""
    from models import audit

    db = _open(url)
    try:
        barrier.wait()
        for n in range(count):
            with db.session() as s:
                audit.append(s, user=clerk, action="并发测试", entity="test", entity_id=n, detail={"n": n})
        return count
    finally:
        db.dispose()


def edit_object(url: str, object_id: int, clerk: str, phone: str, barrier) -> tuple[str, str]:
    """A clerk opens the object's edit form, changes the phone and saves: ("saved", "") or ("refused", message)."""
    from models.roster_service import get_object, object_version, update_object

    db = _open(url)
    try:
        with db.session() as s:  # the form is filled
            data, version = get_object(s, object_id), object_version(s, object_id)
        data.phone = phone
        barrier.wait()  # both clerks press 确定 together
        try:
            with db.session() as s:
                update_object(s, object_id, data, clerk, expected_version=version)
            return "saved", ""
        except UserError as refused:
            return "refused", str(refused)
    finally:
        db.dispose()
