"""The notebook client: `claimgraph.open` / `claimgraph.connect` give one object (DataFrames,
networkx graphs) over an embedded store or any SPARQL endpoint; `magic` is the %%sparql cell magic.

May import: every layer below (errors, model, rdf, store, views).
"""

from .notebook import Client, connect, open

__all__ = ["Client", "connect", "open"]
