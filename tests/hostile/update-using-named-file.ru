#: case: USING NAMED the secret file
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: not in this store
DELETE { GRAPH ?g { ?s ?p ?o } } USING NAMED <{SECRET_URL}> WHERE { GRAPH ?g { ?s ?p ?o } }
