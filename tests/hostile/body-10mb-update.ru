#: case: a 10 MB update body
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 413
#: message: larger than
INSERT DATA { <http://e/s> <http://e/p> "<<10485760*"x">>" }
