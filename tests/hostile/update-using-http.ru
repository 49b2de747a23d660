#: case: USING (the update's FROM) naming the canary
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: not in this store
DELETE { ?s ?p ?o } USING <{CANARY}/g> WHERE { ?s ?p ?o }
