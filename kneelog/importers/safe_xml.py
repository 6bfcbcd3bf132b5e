"""XML from a file nobody vouches for: parsed with defusedxml before any other library sees it.

A watch never writes a DTD, so one is refused outright, and with it every entity trick
(billion laughs, external entities that read local files or reach the network).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree


def parse(data: bytes) -> ET.Element:
    """The root element of `data`, or ImportRejected with the reason in plain words."""
    from .activity import ImportRejected

    try:
        return defusedxml.ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                                 forbid_external=True)
    except defusedxml.DefusedXmlException as error:
        raise ImportRejected(
            "this file contains XML declarations (a DTD or entities) that no watch writes; "
            "kneelog refuses them for safety") from error
    except ET.ParseError as error:
        raise ImportRejected("this file is cut short or damaged: its XML is incomplete or invalid") \
            from error
    except (ValueError, RecursionError, MemoryError) as error:
        raise ImportRejected("this file is damaged: its XML cannot be read") from error


def local_name(element: ET.Element) -> str:
    """A tag without its namespace: '{http://...}gpx' -> 'gpx'."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]
