#: case: 1+1+1... 100,000 times
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: operators
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(<<100000*"1+">>1) }
