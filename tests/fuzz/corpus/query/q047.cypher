MATCH (m)-[:MEMBER_OF]->(:Group {name: 'G-7'})
OPTIONAL MATCH (m)-[s:STANCE]->(:Country {name: 'Russia'})
RETURN m.name AS member, s.polarity AS stance, size(evidence(s)) AS sentences
ORDER BY member