#: case: an encoded UTF-16 surrogate (ED A0 80) in an update
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: UTF-8
INSERT DATA { <http://e/s> <http://e/p> "í €" }
