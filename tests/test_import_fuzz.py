"""Mutated and truncated sample files: the importer refuses them in words, or reads them; it
never lets a library's exception out, and a refused file leaves the journal as it was.

Work per file is bounded by the size cap (kneelog.importers.MAX_FILE_BYTES), so nothing here
can hang; the examples are few and the samples small, to keep this to a few seconds.
"""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factories import DATA
from kneelog.importers import Activity, ImportRejected, read_bytes
from kneelog.importing import Outcome, import_data
from kneelog.store import Store

SAMPLES = {
    p.name: p.read_bytes() for p in sorted(DATA.iterdir()) if p.suffix in (".fit", ".gpx", ".tcx")
}
SMALL = ["run.fit", "dst.fit", "treadmill.fit", "ride.fit", "workout.fit", "treadmill.tcx"]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated(draw, names=SMALL):
    name = draw(st.sampled_from(names))
    data = bytearray(SAMPLES[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "set", "delete", "insert"]))
        if how == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "set":
            data[at] = draw(st.integers(0, 255))
        elif how == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
    assume(bytes(data) != SAMPLES[name])  # setting a byte to the value it had changes nothing
    return name, bytes(data)


@st.composite
def truncated(draw, names=tuple(SAMPLES)):
    name = draw(st.sampled_from(names))
    whole = SAMPLES[name].rstrip()  # cutting only the final newline leaves the file whole
    return name, whole[: draw(st.integers(0, len(whole) - 1))]


def reads_or_refuses(data: bytes) -> list[Activity] | str:
    try:
        return read_bytes(data)
    except ImportRejected as refusal:
        assert refusal.reason and "Traceback" not in refusal.reason
        return refusal.reason


@FUZZ
@given(mutated())
def test_mutated_files_are_read_or_refused_never_crash(sample):
    _, data = sample
    outcome = reads_or_refuses(data)
    if isinstance(outcome, list):
        assert all(isinstance(a, Activity) for a in outcome)


@FUZZ
@given(mutated(names=["run.fit", "dst.fit", "treadmill.fit", "ride.fit"]))
def test_a_fit_file_changed_anywhere_fails_its_checksum_and_is_refused(sample):
    _, data = sample
    assert isinstance(reads_or_refuses(data), str)


@FUZZ
@given(truncated())
def test_a_file_cut_short_is_always_refused_never_partly_imported(journal, sample):
    name, data = sample
    before = journal.count()
    result = import_data(journal, DATA / name, data)
    assert result.outcome is Outcome.REJECTED, (name, len(data), result.message)
    assert journal.count() == before


@FUZZ
@given(mutated(names=["run.gpx", "run.tcx", "treadmill.tcx", "run.fit"]))
def test_a_refused_file_leaves_the_journal_unchanged(journal, sample):
    name, data = sample
    before = journal.count()
    result = import_data(journal, DATA / name, data)
    if result.outcome is Outcome.REJECTED:
        assert journal.count() == before
    else:
        assert journal.count() == before + len(result.entries)
    assert journal.integrity_ok()


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    with Store.open(tmp_path_factory.mktemp("fuzz") / "journal.db") as store:
        yield store
