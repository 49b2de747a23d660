#: case: 100,000 BINDs in an update (4,000 segfault the parser)
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: BIND
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o <<100000*"BIND(1 AS ?x) ">> }
