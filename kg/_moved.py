"""Import paths from before the library moved into rooms (model/, rdf/, store/, views/, client/).

`import claimgraph.trace` or `from claimgraph.embedded import OxigraphStore` keep working: the old
name is the new module itself (one module object, so patching either name patches both).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

MOVED: dict[str, str] = {
    "annotation": "model.annotation", "text": "model.text",
    "vocab": "rdf.vocab", "terms": "rdf.terms", "nodeid": "rdf.nodeid", "mapper": "rdf.mapper",
    "validate": "rdf.validate", "rdfguard": "rdf.rdfguard", "ontology_doc": "rdf.ontology_doc",
    "embedded": "store.embedded", "remote": "store.remote", "sparql_text": "store.sparql_text",
    "sparql_service": "store.sparql_service", "queries_builtin": "store.queries_builtin",
    "catalog": "views.catalog", "trace": "views.trace", "neighbourhood": "views.neighbourhood",
    "search": "views.search", "analytics": "views.analytics", "named": "views.named",
    "magic": "client.magic",
}
_PREFIX = "claimgraph."


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: object = None, target: object = None):  # noqa: ANN201
        if fullname.startswith(_PREFIX) and fullname[len(_PREFIX):] in MOVED:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(_PREFIX + MOVED[spec.name[len(_PREFIX):]])

    def exec_module(self, module: ModuleType) -> None:
        # the module is already executed under its new name; keep its spec and name as they are
        return None


def install() -> None:
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
