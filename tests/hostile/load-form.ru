#: case: LOAD sent as a form (update=)
#: send: POST /update
#: body-as: form update
#: expect: 400
#: message: LOAD
LOAD <{SECRET_URL}> INTO GRAPH <http://e/g>