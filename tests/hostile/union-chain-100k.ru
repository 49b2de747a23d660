#: case: 100,000 UNIONs in an update: segfaulted the server before the chain limit
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: UNION
DELETE { ?s ?p ?o } WHERE { { ?s ?p ?o } <<100000*"UNION { ?s ?p ?o } ">> }
