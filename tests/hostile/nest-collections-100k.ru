#: case: 100,000 nested ( ) collections in INSERT DATA
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: nest
INSERT DATA { <http://e/s> <http://e/p> <<100000*"( ">> 1 <<100000*") ">> }
