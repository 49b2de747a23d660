"""SPARQL the library itself runs (user-facing named queries live in queries/*.rq)."""

from __future__ import annotations

from ..rdf.vocab import CG_NS, sparql_prefixes

_P = sparql_prefixes()
_ONTOLOGY = CG_NS.rstrip("#/")

# every pattern names its graph: the articles' in GRAPH ?g, the class hierarchy in the ontology's
# graph, so the counts are the same on a store whose default graph is not the union of its graphs
STATS = _P + f"""
SELECT
  (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?actor) AS ?actors)
  (COUNT(DISTINCT ?statement) AS ?statements) (COUNT(DISTINCT ?claim) AS ?claims)
  (COUNT(DISTINCT ?relation) AS ?relations) (COUNT(DISTINCT ?contested) AS ?contested_claims)
WHERE {{
  {{ GRAPH ?g {{ ?article a schema:NewsArticle }} }} UNION
  {{ {{ SELECT DISTINCT ?actor ?t WHERE {{ GRAPH ?g {{ ?actor a ?t }} }} }}
     GRAPH <{_ONTOLOGY}> {{ ?t rdfs:subClassOf* cg:Actor }} }} UNION
  {{ GRAPH ?g {{ ?statement a cg:Statement }} }} UNION
  {{ GRAPH ?g {{ ?claim a cg:Claim }} }} UNION
  {{ GRAPH ?g {{ ?relation cg:actor [] }} }} UNION
  {{ GRAPH ?g {{ ?contested a cg:Claim }}
    FILTER EXISTS {{ GRAPH ?g1 {{ ?s1 cg:about ?contested ; cg:stance ?p }}
                    GRAPH <{_ONTOLOGY}> {{ ?p a cg:SupportingStance }} }}
    FILTER EXISTS {{ GRAPH ?g2 {{ ?s2 cg:about ?contested ; cg:stance ?n }}
                    GRAPH <{_ONTOLOGY}> {{ ?n a cg:OpposingStance }} }} }}
}}
"""
