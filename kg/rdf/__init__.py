"""RDF: the vocabulary, term conversions, node ids, the one mapper from the model to triples,
SHACL validation, the guard on RDF input and the generated ontology reference.

Owns: `vocab` (namespaces and ontology terms, read from ontology/), `terms` (Python <-> rdflib <->
pyoxigraph), `nodeid` (explorer ids `kind/slug`), `mapper` (Document -> triples in the article's
named graph), `validate` (SHACL), `rdfguard` (RDF/XML and JSON-LD measured before parsing),
`ontology_doc` (docs/ontology.md).
May import: `claimgraph.errors`, `claimgraph.model`. Never a store, a view or HTTP.
"""
