#: case: 100,000 nested ( ) in a FILTER of an update
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: nest
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(<<100000*"(">>true<<100000*")">>) }
