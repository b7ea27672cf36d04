#pragma once
// `kg export`: the store (or a part of it) in formats other tools load (docs/EXPORT.md).
//
// Streaming: nodes, edges, evidence and documents are read with ReadView iteration and written
// as they come, so memory does not grow with the store, except for
//   - what a filter needs: the ids of the selected nodes (and, for jsonl, of the kept edges and
//     documents);
//   - graphml and dot, which go through Boost.Graph's write_graphml / write_graphviz_dp and so
//     build a boost::adjacency_list of the selection first (measured: about 120 bytes per node
//     or edge; filter with --label/--edge-type/--around for large stores);
//   - ntriples and turtle, which cache document id -> content hash (one entry per document).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/status.h"
#include "kg/store/graph_store.h"

namespace kg::exporting {

enum class Format { kGraphMl, kDot, kKuzuCsv, kNeo4jCsv, kNTriples, kTurtle, kJsonl };

// "graphml", "dot", "kuzu-csv", "neo4j-csv", "ntriples", "turtle", "jsonl".
const std::vector<std::string>& FormatNames();
Result<Format> ParseFormat(std::string_view name);
// kuzu-csv and neo4j-csv write several files into a directory; the others write one stream.
bool WritesDirectory(Format format);

struct ExportOptions {
  Format format = Format::kJsonl;
  // One-stream formats: a file, or "" / "-" for standard output. Directory formats: a directory
  // (created when missing; files in it are overwritten).
  std::string out;
  // Only nodes with one of these labels (empty = all labels).
  std::vector<std::string> labels;
  // Only edges of these types (empty = all); then only nodes at an end of a kept edge are written.
  std::vector<std::string> edge_types;
  // Only the nodes within `hops` edges (either direction, through kept types and labels) of the
  // nodes named `around` (name or alias, as FindByName matches it).
  std::string around;
  int hops = 1;
  // RDF: the prefix of every IRI kg makes (nodes, edges, vocabulary).
  std::string base_iri = "https://kg.example.org/";
  // RDF: write each edge's evidence sentences (one resource per evidence record).
  bool rdf_evidence = true;
};

struct ExportSummary {
  uint64_t nodes = 0;
  uint64_t edges = 0;
  uint64_t evidence = 0;
  uint64_t documents = 0;
  std::vector<std::string> files;  // what was written ("-" for standard output)
};

// Writes the selection of `view` in options.format. Borrows `view` for the call. Errors:
// NotFound "no node named '<around>'", InvalidArgument for bad options, IOError naming the file
// that could not be written, or the view's read error.
Result<ExportSummary> Export(store::ReadView& view, const ExportOptions& options);

// Helpers exposed for tests.
// RFC 4180 field: quoted (with "" for ") only when it holds , " \r or \n.
std::string CsvField(std::string_view value);
// Percent-encodes every byte except A-Z a-z 0-9 - . _ ~ (so any UTF-8 name makes a valid IRI).
std::string IriEscape(std::string_view value);
// An N-Triples / Turtle string literal body (without the quotes).
std::string RdfEscape(std::string_view value);

}  // namespace kg::exporting
