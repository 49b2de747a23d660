#: case: an INSERT DATA then a LOAD in one request: nothing of it may land
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: LOAD
INSERT DATA { <http://e/s> <http://e/p> "must not land" } ;
load <{CANARY}/x>
