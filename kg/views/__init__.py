"""Views: what users read from the store, each a function of a `KnowledgeStore` returning plain data.

Owns: `catalog` (actors, claims, sources, statements lists and details), `trace` (a claim back to
its quotes), `neighbourhood` (an entity's graph, Cytoscape/graphology JSON), `search` (the
full-text index), `analytics` (the signed actor network), `named` (the named queries in queries/).
May import: `claimgraph.errors`, `claimgraph.model`, `claimgraph.rdf`, `claimgraph.store`.
Never the client, the API or the CLI.
"""
