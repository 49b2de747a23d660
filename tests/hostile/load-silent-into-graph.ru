#: case: LOAD SILENT ... INTO GRAPH
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: LOAD
LOAD SILENT <{CANARY}/data.ttl> INTO GRAPH <http://example.org/g>
