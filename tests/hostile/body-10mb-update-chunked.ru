#: case: a 10 MB update without Content-Length (chunked): the cap counts the stream
#: send: POST /update
#: content-type: application/sparql-update
#: body-as: chunked
#: expect: 413
#: message: larger than
INSERT DATA { <http://e/s> <http://e/p> "<<10485760*"x">>" }
