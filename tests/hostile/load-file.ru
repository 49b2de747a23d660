#: case: LOAD of a file: IRI (the secret)
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: LOAD
LOAD <{SECRET_URL}>
