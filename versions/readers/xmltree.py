"""XML from the wire, parsed without trusting it.

defusedxml refuses entity declarations (the billion-laughs bomb) and external
references (file or network reads); nothing is fetched, ever.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from versions.errors import RejectedInput


class MalformedXML(RejectedInput):
    """Input that does not parse as XML: wire text, unless it looks like a document."""


def parse_xml(data: bytes, source: str) -> Element:
    try:
        root: Element = fromstring(data)
    except EntitiesForbidden as error:
        if error.sysid or error.pubid:
            reason = "XML external entities are not allowed (possible attempt to read files)"
        else:
            reason = "XML entities are not allowed (possible entity-expansion attack)"
        raise RejectedInput(source, reason) from None
    except ExternalReferenceForbidden:
        raise RejectedInput(
            source, "XML external references are not allowed (possible external-entity attack)"
        ) from None
    except ParseError as error:
        raise MalformedXML(source, f"malformed XML: {error}") from None
    return root
