#: case: a 6 MB literal in INSERT DATA (cap: 5 MB)
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 413
#: message: larger than
INSERT DATA { <http://e/s> <http://e/p> "<<6291456*"x">>" }
