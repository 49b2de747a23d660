#: case: 100,000 UNIONs behind an escaped local name (would segfault the server)
#: send: POST /update
#: content-type: application/sparql-update
#: expect: 400
#: message: UNION
PREFIX ex: <http://example.org/>
DELETE { ?s ?p ?o } WHERE { ?s ex:a\#b ?o . { ?s ?p ?o } <<100000*"UNION { ?s ?p ?o } ">> }
