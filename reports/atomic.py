"""Atomic saving for every export: write a temporary file beside the target, then replace the target in one step."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

# Turns an OSError raised while saving into the Chinese message to raise instead; None lets it through unchanged.
Explain = Callable[[Path, OSError], "str | None"]


def open_in(app: str) -> Explain:
    """Explain a PermissionError as the file being open in *app* (Word, Excel); other errors pass unchanged."""
    def explain(path: Path, exc: OSError) -> str | None:
        if isinstance(exc, PermissionError):
            return f"无法保存 {path}：文件被占用或没有写入权限（是否已在 {app} 中打开？）。"
        return None
    return explain


# The default explanation of every .docx save (built once, like any default argument).
OPEN_IN_WORD = open_in("Word")


def atomic_write(path: str | os.PathLike, save: Callable[[str], None], suffix: str, *,
                 error: Callable[[str], Exception] = OSError, explain: Explain | None = OPEN_IN_WORD) -> Path:
    """Call ``save(temporary_name)`` on a file in the target's folder, then move it over *path*.

    A crash, a full disk or a target held open by Word never leaves a half-written file under
    the clerk's chosen name, and the temporary file (``.<stem>-….<suffix>.part``) is removed on
    any failure. A missing folder raises *error* with a Chinese message naming it; an OSError
    while saving raises *error* with the text *explain* gives, or passes unchanged when it gives
    none (or *explain* is None).
    """
    path = Path(path)
    folder = path.resolve().parent
    problem = where_problem(path, folder)
    if problem:
        raise error(problem)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=f"{suffix}.part", dir=folder)
    except OSError as exc:
        raise error(f"无法保存 {path}：不能在文件夹 {folder} 中写入（{exc.strerror or exc}）。") from exc
    os.close(fd)
    try:
        # mkstemp makes the file private (0600) and the rename keeps that: an export for a
        # shared folder must get the permissions any new file would get (or the old file's).
        os.chmod(tmp, _mode_for(path))
        save(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        _discard(tmp)
        text = explain(path, exc) if explain is not None and isinstance(exc, OSError) else None
        if text is None:
            raise
        raise error(text) from exc
    return path


def where_problem(path: Path, folder: Path) -> str | None:
    """Why *path* cannot be a file to write, in Chinese, or None: a folder, a missing folder, a file as folder."""
    if path.is_dir():
        return f"无法保存 {path}：这是一个文件夹，请给出文件名。"
    if folder.is_dir():
        return None
    for parent in [folder, *folder.parents]:
        if parent.exists():
            if not parent.is_dir():
                return f"无法保存 {path}：{parent} 是一个文件，不是文件夹。"
            break
    return f"无法保存 {path}：文件夹 {folder} 不存在。"


def _mode_for(path: Path) -> int:
    """The replaced file's permission bits, else those of a new file under the process umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        pass
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


def save_docx_atomic(doc, path: str | os.PathLike, *, error: Callable[[str], Exception] = OSError,
                     explain: Explain = OPEN_IN_WORD) -> Path:
    """Save a python-docx (or docxtpl) document atomically; see :func:`atomic_write`."""
    return atomic_write(path, doc.save, ".docx", error=error, explain=explain)


def write_text_atomic(path: str | os.PathLike, text: str, suffix: str, *,
                      error: Callable[[str], Exception] = OSError, explain: Explain | None = None) -> Path:
    """Write *text* as UTF-8 atomically (e.g. a draw record's .json); see :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), suffix,
                        error=error, explain=explain)


def _discard(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


# --- documents that may appear only after the database has committed --------------------------

def staged_path(final: str | os.PathLike) -> Path:
    """Where a document waits, hidden, until the row that numbers it has committed: ".<name>.part"."""
    final = Path(final)
    return final.with_name(f".{final.name}.part")


def publish(staged: str | os.PathLike, final: str | os.PathLike) -> Path:
    """Move a staged document to its final name in one step (after the commit)."""
    os.replace(staged, final)
    return Path(final)


def remove_leftover_parts(folder: str | os.PathLike, suffix: str = ".docx") -> list[Path]:
    """Delete the hidden ".…<suffix>.part" files a killed run left in *folder*; returns them.

    Call it only while holding the database lock, so no other run is writing into the folder.
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for f in folder.glob(f".*{suffix}.part"):
        try:
            f.unlink()
            removed.append(f)
        except OSError:
            pass
    return removed
