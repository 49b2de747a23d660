#: case: 100,000 MINUS groups in an update
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: MINUS
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o <<100000*"MINUS { ?s ?p ?o } ">> }
