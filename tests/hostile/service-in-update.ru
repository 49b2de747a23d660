#: case: SERVICE in the WHERE of an update (updates run in the server process)
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: SERVICE
INSERT { <http://e/s> <http://e/p> ?o } WHERE { SERVICE <{CANARY}/sparql> { ?s ?p ?o } }
