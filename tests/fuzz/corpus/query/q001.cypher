CREATE (a:Person {name: 'Alice', age: 30}), (b:Person {name: 'Bob', age: 25}),
       (c:Person {name: 'Carol'}), (o:Organization {name: 'Acme'}),
       (a)-[:KNOWS {since: 2010}]->(b), (b)-[:KNOWS]->(c), (a)-[:WORKS_AT]->(o),
       (c)-[:WORKS_AT]->(o)