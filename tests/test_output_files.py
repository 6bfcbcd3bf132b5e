"""Every file kneelog writes for the runner (summary PDF, CSV, JSON) is written under a
temporary name beside the target, checked, flushed to disk and renamed over the target only
when whole. A full disk is simulated with RLIMIT_FSIZE in a child process (SIGXFSZ ignored, so
a write past the limit fails with EFBIG instead of killing the process)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from factories import sha256
from kneelog import app, files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
# Qt's PDF writer does not report the failed write: kneelog finds the PDF cut short and can
# only say the disk may be full; Python's writes report EFBIG.
FULL = re.compile(r"disk (is|may be) full")
LIMIT = 45_000  # bytes: above the journal's 32 KB shared-memory file, below every output


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    app.write_demo(path, years=3)
    return path


def kneelog(*args, state: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "kneelog", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_disk if limit else None,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "KNEELOG_STATE_DIR": str(state)},
    )


COMMANDS = {
    "summary.pdf": ["summary", "--weeks", "150", "--journal"],
    "journal.csv": ["export", "--journal"],
    "journal.json": ["export", "--journal"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_full_disk_is_reported_and_the_earlier_file_is_kept(demo, tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    good = kneelog(*COMMANDS[name], demo, "-o", target, state=tmp_path / "state")
    assert good.returncode == 0, good.stderr
    assert target.stat().st_size > LIMIT  # else the limit simulates nothing
    before = sha256(target)

    full = kneelog(*COMMANDS[name], demo, "-o", target, state=tmp_path / "state", limit=LIMIT)

    assert full.returncode == 1, (full.stdout, full.stderr)
    assert "Wrote" not in full.stdout
    assert FULL.search(full.stderr) and "Traceback" not in full.stderr
    assert sha256(target) == before
    assert sorted(p.name for p in out.iterdir()) == [name]  # no temporary file left


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_full_disk_with_no_earlier_file_leaves_none(demo, tmp_path, name):
    target = tmp_path / name
    full = kneelog(*COMMANDS[name], demo, "-o", target, state=tmp_path / "state", limit=LIMIT)
    assert full.returncode == 1 and FULL.search(full.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]


def test_the_summary_pdf_written_whole_reopens_and_is_private(demo, tmp_path):
    target = tmp_path / "summary.pdf"
    assert (
        kneelog("summary", "--journal", demo, "-o", target, state=tmp_path / "state").returncode
        == 0
    )
    assert len(PdfReader(target).pages) >= 1
    assert target.stat().st_mode & 0o777 == 0o600
    files.check_pdf(target)


def test_the_pdf_check_refuses_a_pdf_cut_anywhere(demo, tmp_path):
    whole = tmp_path / "whole.pdf"
    assert (
        kneelog("summary", "--journal", demo, "-o", whole, state=tmp_path / "state").returncode == 0
    )
    data = whole.read_bytes()
    cut = tmp_path / "cut.pdf"
    for size in (0, 5, 100, len(data) // 2, len(data) - 200, len(data) - 8, len(data) - 3):
        cut.write_bytes(data[:size])
        with pytest.raises(files.IncompleteFile):
            files.check_pdf(cut)
    cut.write_bytes(data.replace(b"startxref", b"startxreg"))
    with pytest.raises(files.IncompleteFile):
        files.check_pdf(cut)


def test_a_text_output_is_checked_against_what_was_meant(tmp_path, monkeypatch):
    target = tmp_path / "x.csv"
    target.write_text("earlier\n")
    real_write = files._write_text

    def short_write(temp, text, encoding):  # a write that lost its end without an error
        real_write(temp, text[: len(text) // 2], encoding)

    monkeypatch.setattr(files, "_write_text", short_write)
    with pytest.raises(files.IncompleteFile):
        files.write_text_atomically(target, "a,b\n" * 1000)
    assert target.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


@pytest.mark.parametrize(
    "errno_name, words",
    [
        ("ENOSPC", "disk is full"),
        ("EFBIG", "disk is full"),
        ("EROFS", "read-only"),
        ("EACCES", "not allowed"),
    ],
)
def test_why_a_write_failed_in_words(errno_name, words):
    import errno

    code = getattr(errno, errno_name)
    assert words in files.why(OSError(code, os.strerror(code)))
