#: case: LOAD after a comment ended by a bare CR
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: LOAD
# nothing to seeLOAD <{CANARY}/x>
