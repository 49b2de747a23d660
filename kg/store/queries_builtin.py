"""SPARQL the library itself runs (user-facing named queries live in queries/*.rq)."""

from __future__ import annotations

from ..rdf.vocab import sparql_prefixes

_P = sparql_prefixes()

STATS = _P + """
SELECT
  (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?actor) AS ?actors)
  (COUNT(DISTINCT ?statement) AS ?statements) (COUNT(DISTINCT ?claim) AS ?claims)
  (COUNT(DISTINCT ?relation) AS ?relations) (COUNT(DISTINCT ?contested) AS ?contested_claims)
WHERE {
  { ?article a schema:NewsArticle } UNION
  { ?actor a/rdfs:subClassOf* cg:Actor } UNION
  { ?statement a cg:Statement } UNION
  { ?claim a cg:Claim } UNION
  { ?relation cg:actor [] } UNION
  { ?contested a cg:Claim .
    FILTER EXISTS { ?s1 cg:about ?contested ; cg:stance ?p . ?p a cg:SupportingStance }
    FILTER EXISTS { ?s2 cg:about ?contested ; cg:stance ?n . ?n a cg:OpposingStance } }
}
"""
