#: case: a property path of 100,000 steps
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: operators
DELETE { ?s ?p ?o } WHERE { ?s <http://e/p><<100000*"/<http://e/p>">> ?o }
