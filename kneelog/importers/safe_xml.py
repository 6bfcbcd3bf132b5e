"""XML from a file nobody vouches for: vetted as it streams, before any tree is kept.

ElementTree's C parser reads the file into a target (_Vetted) that refuses, as the elements
come, what no watch writes:
- a DTD, and with it every entity trick (billion laughs, external entities that read local
  files or reach the network): refused where "<!DOCTYPE" begins, before any declaration in it
  is read;
- nesting deeper than MAX_DEPTH: gpxpy copies its tree recursively, and a file 200,000 levels
  deep overflowed the C stack and killed kneelog (SIGSEGV) with no chance to say why;
- more than MAX_ELEMENTS elements: each costs memory in every tree built from the file.
check() only vets (gpxpy then parses the text itself); parse() builds the tree in the same
pass, for tcxreader. (defusedxml, which refused DTDs a second time in a second parse, added
a fifth to the reading of a TCX file.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import xml.parsers.expat

# GPX and TCX nest about 10 deep (gpx/trk/trkseg/trkpt/extensions/TrackPointExtension/hr);
# 100 leaves room for any extension while staying far below what recursive code survives.
MAX_DEPTH = 100
# A 48-hour run recorded every second with 8 elements a point is 1.4 million; the 50 MB size
# cap allows about that many real points. Beyond, a tree would take gigabytes of memory.
MAX_ELEMENTS = 2_000_000


class _Refused(Exception):
    """Raised by the vetting target (or root_name's handler) to stop the pass; carries the
    refusal's reason."""


class _Vetted:
    """The target of ElementTree's C parser: refuses a DTD and keeps the limits as the
    elements come, and builds the tree (TreeBuilder) when asked, in the same pass."""

    def __init__(self, build: bool):
        self._builder = ET.TreeBuilder() if build else None
        self._depth = 0
        self._elements = 0
        if self._builder is not None:
            self.data = self._builder.data  # the text, straight to the builder (no Python call)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._depth += 1
        self._elements += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(
                f"this file is damaged or hostile: its XML is nested more than "
                f"{MAX_DEPTH} levels deep, which no watch writes"
            )
        if self._elements > MAX_ELEMENTS:
            raise _Refused(
                f"this file has more than {MAX_ELEMENTS:,} XML elements, far more than "
                "any activity from a watch"
            )
        if self._builder is not None:
            self._builder.start(tag, attrib)

    def end(self, tag: str) -> None:
        self._depth -= 1
        if self._builder is not None:
            self._builder.end(tag)

    def doctype(self, *_args: object) -> None:
        # Called where "<!DOCTYPE" begins, before any declaration in it is read.
        raise _Refused(DTD_REFUSED)

    def close(self) -> ET.Element | None:
        return self._builder.close() if self._builder is not None else None


def _vet(data: bytes | str, build: bool) -> ET.Element | None:
    from .activity import ImportRejected

    parser = ET.XMLParser(target=_Vetted(build))
    try:
        parser.feed(data)
        return parser.close()
    except _Refused as refusal:
        raise ImportRejected(str(refusal)) from None
    except ET.ParseError as error:
        raise ImportRejected(INCOMPLETE) from error
    except (ValueError, UnicodeError, RecursionError, MemoryError) as error:
        raise ImportRejected("this file is damaged: its XML cannot be read") from error


def check(data: bytes | str) -> None:
    """Refuse `data` (ImportRejected) unless its XML is well formed and within the limits.

    Give it exactly what the parser will get: for str, expat ignores the encoding declaration,
    as ElementTree does."""
    _vet(data, build=False)


DTD_REFUSED = (
    "this file contains XML declarations (a DTD or entities) that no watch writes; "
    "kneelog refuses them for safety"
)
INCOMPLETE = "this file is cut short or damaged: its XML is incomplete or invalid"


class _Root(Exception):
    """Raised by the first start tag to stop root_name()'s pass there."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def root_name(data: bytes) -> str:
    """The root element's name without its namespace ('gpx', 'TrainingCenterDatabase'),
    read from the start of the document only: the format of a file without building its tree.
    A DTD, which comes before the root, is refused here already; the rest of the file is
    checked by check() or parse() before a parser reads it."""
    from .activity import ImportRejected

    def start(name: str, _attributes: object) -> None:
        raise _Root(name.rsplit("}", 1)[-1].rsplit(":", 1)[-1])

    def doctype(*_args: object) -> None:
        raise _Refused(DTD_REFUSED)

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        for at in range(0, len(data), 4096):  # the root is in the first few hundred bytes
            parser.Parse(data[at : at + 4096], False)
        parser.Parse(b"", True)
    except _Root as root:
        return root.name
    except _Refused as refusal:
        raise ImportRejected(str(refusal)) from None
    except xml.parsers.expat.ExpatError as error:
        raise ImportRejected(INCOMPLETE) from error
    except (ValueError, UnicodeError, MemoryError) as error:
        raise ImportRejected("this file is damaged: its XML cannot be read") from error
    raise ImportRejected(INCOMPLETE)


def parse(data: bytes) -> ET.Element:
    """The root element of `data`, or ImportRejected with the reason in plain words: vetted
    and built in one pass (a pass to vet it and another to build it took a quarter more)."""
    root = _vet(data, build=True)
    assert root is not None  # a tree was asked for
    return root


def local_name(element: ET.Element) -> str:
    """A tag without its namespace: '{http://...}gpx' -> 'gpx'."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]
