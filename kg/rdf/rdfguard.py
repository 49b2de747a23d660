"""Checks on RDF documents from untrusted clients, before pyoxigraph parses them.

pyoxigraph's RDF/XML parser expands entities declared in a DOCTYPE without any bound (the
"billion laughs" document, 1 KB, became a 3 GB literal after 57 s) and its cost grows with the
square of element nesting (16,000 levels: 11 s). Both are measured here with expat, which is C,
streams, expands nothing it cannot count, and never opens an external entity (no handler is set).
The JSON-LD parser refuses remote contexts by itself, but crashes the process (segfault) on
5,000 nested node objects and is quadratic below that (2,000 levels: 1.2 s): JSON nesting is
measured first too. The Turtle family parses deep nesting in linear time and needs nothing.
"""

from __future__ import annotations

import json
from xml.parsers import expat

from ..errors import ClaimgraphError

MAX_XML_DEPTH = 256
"""Element nesting accepted in RDF/XML (512 levels parse in 10 ms; the cost is quadratic)."""
MAX_JSON_DEPTH = 256
"""Nesting of objects and arrays accepted in JSON-LD (the parser segfaults near 5,000)."""


class RdfRefused(ClaimgraphError):
    """An RDF document that would take the parser down or expand without bound; nothing was parsed."""


def check_rdf_xml(body: bytes, max_chars: int) -> None:
    """Refuse RDF/XML nested deeper than MAX_XML_DEPTH, or whose text with entities expanded is
    longer than `max_chars`; a document that is not well-formed XML is refused with expat's reason."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state = {"depth": 0, "chars": 0}

    def start(_name: str, attrs: dict[str, str]) -> None:
        state["depth"] += 1
        if state["depth"] > MAX_XML_DEPTH:
            raise RdfRefused(f"the RDF/XML nests elements deeper than {MAX_XML_DEPTH} levels")
        count(sum(len(v) for v in attrs.values()))

    def end(_name: str) -> None:
        state["depth"] -= 1

    def count(n: int) -> None:
        state["chars"] += n
        if state["chars"] > max_chars:
            raise RdfRefused(f"the RDF/XML expands to more than {max_chars} characters "
                             "(entities declared in its DOCTYPE); send it without entity declarations")

    def entity(_name: str, _is_param: int, value: str | None, *_rest: object) -> None:
        if value is None:  # SYSTEM/PUBLIC: an external entity would be a file or URL to open
            raise RdfRefused("the RDF/XML declares an external entity; entities must be inline text")

    def doctype(_name: str, system_id: str | None, public_id: str | None, _internal: int) -> None:
        if system_id or public_id:
            raise RdfRefused("the RDF/XML names an external DTD; declare entities inline or not at all")

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = lambda data: count(len(data))
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(body, True)
    except expat.ExpatError as e:
        # expat's own amplification limit (billion laughs) lands here too
        raise RdfRefused(f"the RDF/XML is not well-formed XML: {e}") from None


def check_json_ld(body: bytes) -> None:
    """Refuse JSON-LD nested deeper than MAX_JSON_DEPTH (or not JSON at all) before it is parsed."""
    try:
        data = json.loads(body)
    except RecursionError:  # the C scanner stops at Python's recursion limit (about 1,000 levels)
        raise RdfRefused(f"the JSON-LD nests objects and arrays deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as e:  # JSONDecodeError, and bytes that are not UTF-8/16/32
        raise RdfRefused(f"the JSON-LD is not JSON: {e}") from None
    level = [data]
    for _ in range(MAX_JSON_DEPTH):  # breadth first, one level at a time: no recursion
        level = [v for x in level if isinstance(x, (dict, list)) for v in (x.values() if isinstance(x, dict) else x)]
        if not level:
            return
    raise RdfRefused(f"the JSON-LD nests objects and arrays deeper than {MAX_JSON_DEPTH} levels")
