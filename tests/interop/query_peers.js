// Loads a kg export into a peer engine and asks it three questions, printing one answer per
// line, sorted, in the form tests/e2e/export_interop_test.sh compares with kg's own answers:
//   member <TAB> name                          members of the group named $KG_GROUP (MEMBER_OF)
//   label  <TAB> label <TAB> nodes             nodes per label
//   type   <TAB> type  <TAB> edges <TAB> evidence   edges and evidence records per edge type
//
//   node query_peers.js kuzu DIR DBDIR        DIR from `kg export --format kuzu-csv`
//   node query_peers.js oxigraph FILE.nt BASE [FILE.ttl]   `kg export --format ntriples`
//                                             (and turtle: must hold the same triples)
"use strict";
const fs = require("fs");
const path = require("path");

const group = process.env.KG_GROUP || "G-7";

function print(lines) {
  lines.sort();
  for (const l of lines) console.log(l);
}

async function kuzu(dir, dbdir) {
  const kuzu = require("kuzu");
  const db = new kuzu.Database(dbdir);
  const conn = new kuzu.Connection(db);
  const run = async (q) => (await conn.query(q)).getAll();
  const script = fs.readFileSync(path.join(dir, "schema.cypher"), "utf8");
  process.chdir(dir);  // COPY paths in schema.cypher are relative to the export directory
  for (const statement of script.split(";\n")) {
    const q = statement.split("\n").filter((l) => !l.startsWith("//")).join("\n").trim();
    if (q) await run(q);
  }
  const lines = [];
  const esc = group.replace(/'/g, "\\'");
  for (const r of await run(`MATCH (m:Entity)-[:MEMBER_OF]->(g:Entity) WHERE g.name = '${esc}' ` +
                            "RETURN DISTINCT m.name AS n")) {
    lines.push(`member\t${r.n}`);
  }
  for (const r of await run("MATCH (n:Entity) RETURN n.label AS l, count(*) AS c")) {
    lines.push(`label\t${r.l}\t${r.c}`);
  }
  for (const r of await run("MATCH ()-[r]->() RETURN label(r) AS t, count(*) AS c, " +
                            "sum(r.evidence_count) AS e")) {
    lines.push(`type\t${r.t}\t${r.c}\t${r.e}`);
  }
  print(lines);
}

function oxigraph(ntFile, base, ttlFile) {
  const ox = require("oxigraph");
  const store = new ox.Store();
  store.load(fs.readFileSync(ntFile, "utf8"), { format: "application/n-triples" });
  if (ttlFile) {
    const turtle = new ox.Store();
    turtle.load(fs.readFileSync(ttlFile, "utf8"), { format: "text/turtle" });
    if (turtle.size !== store.size) {
      throw new Error(`turtle holds ${turtle.size} triples, n-triples ${store.size}`);
    }
  }
  const prefixes = `PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    PREFIX kg: <${base}schema/> PREFIX kgr: <${base}rel/>`;
  const q = (text) => Array.from(store.query(prefixes + text));
  const lines = [];
  const lit = JSON.stringify(group);
  for (const b of q(`SELECT DISTINCT ?n WHERE { ?m kgr:MEMBER_OF ?g . ?g kg:name ${lit} .
                     ?m kg:name ?n }`)) {
    lines.push(`member\t${b.get("n").value}`);
  }
  for (const b of q(`SELECT ?cls (COUNT(DISTINCT ?n) AS ?c) WHERE { ?n a ?cls .
                     FILTER(STRSTARTS(STR(?cls), "${base}label/")) } GROUP BY ?cls`)) {
    const label = decodeURIComponent(b.get("cls").value.slice(base.length + "label/".length));
    lines.push(`label\t${label}\t${b.get("c").value}`);
  }
  for (const b of q(`SELECT ?p (COUNT(?e) AS ?c) (SUM(?k) AS ?s) WHERE { ?e a rdf:Statement ;
                     rdf:predicate ?p ; kg:evidenceCount ?k } GROUP BY ?p`)) {
    const type = decodeURIComponent(b.get("p").value.slice(base.length + "rel/".length));
    lines.push(`type\t${type}\t${b.get("c").value}\t${b.get("s").value}`);
  }
  print(lines);
}

(async () => {
  const [engine, a, b, c] = process.argv.slice(2);
  if (engine === "kuzu") await kuzu(path.resolve(a), path.resolve(b));
  else if (engine === "oxigraph") oxigraph(a, b, c);
  else throw new Error("usage: node query_peers.js kuzu DIR DBDIR | oxigraph FILE.nt BASE [FILE.ttl]");
})().catch((e) => {
  console.error(`query_peers: ${e.message}`);
  process.exit(1);
});
