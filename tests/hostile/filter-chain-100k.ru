#: case: 100,000 FILTERs in an update
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: FILTER
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o <<100000*"FILTER(true) ">> }
