#: case: 400 OPTIONALs in an update: 47 s of optimiser time in the server process before the chain limit
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: OPTIONAL
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o <<400*"OPTIONAL { ?s ?p ?o } ">> }
