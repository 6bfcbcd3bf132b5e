"""tests/data/make_samples.py makes the sample files that are committed, and each is small."""

import xml.etree.ElementTree as ET

import pytest

from factories import DATA, sample_maker

MADE = sample_maker().samples()


def canonical(xml: bytes) -> str:
    return ET.canonicalize(xml.decode("utf-8"), strip_text=True)


@pytest.mark.parametrize("name", sorted(MADE))
def test_the_committed_sample_is_what_the_script_makes(name):
    committed = (DATA / name).read_bytes()
    made = MADE[name]
    if name.endswith(".fit"):
        assert committed == made, f"run `python tests/data/make_samples.py` and commit {name}"
    else:  # the XML writers may change their layout, not their content
        assert canonical(committed) == canonical(made), f"run make_samples.py and commit {name}"
    assert len(committed) < 200_000


def test_every_sample_in_the_folder_comes_from_the_script():
    on_disk = {p.name for p in DATA.iterdir() if p.suffix in (".fit", ".gpx", ".tcx")}
    assert on_disk == set(MADE)
