#: case: 100,000 nested [ ] blank-node property lists in INSERT DATA
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: nest
INSERT DATA { <http://e/s> <http://e/p> <<100000*"[ <http://e/p> ">> 1 <<100000*"] ">> }
