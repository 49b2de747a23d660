#: case: MOVE from a graph named by the secret's file: URL
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: graph
MOVE <{SECRET_URL}> TO DEFAULT
