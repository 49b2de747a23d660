#: case: 100,000 nested { } in an update (updates are parsed in the server process)
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: nest
DELETE WHERE <<100000*"{ ">> ?s ?p ?o <<100000*"} ">>
