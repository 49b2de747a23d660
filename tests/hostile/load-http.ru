#: case: LOAD from the canary
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: LOAD
LOAD <{CANARY}/data.ttl>
