#: case: SERVICE SILENT in an update sent as a form (update=)
#: send: POST /update
#: body-as: form update
#: expect: 400
#: message: SERVICE
DELETE { ?s ?p ?o } WHERE { SERVICE SILENT ?x { ?s ?p ?o } VALUES ?x { <{CANARY}/sparql> } }