// kg export: the store, or a filtered part of it, as GraphML, DOT, Kùzu CSV, Neo4j CSV,
// N-Triples, Turtle or kg's own JSON Lines (docs/EXPORT.md). Reads a snapshot of a read-only
// open, so it works beside a running ingest.
#include <chrono>
#include <cstdio>
#include <memory>

#include "command.h"
#include "graph_export.h"
#include "kg/store/graph_store.h"

namespace kg::cli {
namespace {

struct ExportArgs {
  std::string format;
  exporting::ExportOptions options;
  bool quiet = false;
};

Status Run(const Context& ctx, ExportArgs& args) {
  auto format = exporting::ParseFormat(args.format);
  if (!format) return format.error();
  args.options.format = *format;
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto view = (*opened)->NewReadView();
  auto start = std::chrono::steady_clock::now();
  auto summary = exporting::Export(*view, args.options);
  if (!summary) return summary.error();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!args.quiet) {
    std::string files;
    for (const auto& f : summary->files) files += (files.empty() ? "" : ", ") + f;
    std::fprintf(stderr,
                 "%s: exported %llu nodes, %llu edges, %llu evidence records, %llu documents as "
                 "%s to %s in %.2f s\n",
                 ctx.program.c_str(), static_cast<unsigned long long>(summary->nodes),
                 static_cast<unsigned long long>(summary->edges),
                 static_cast<unsigned long long>(summary->evidence),
                 static_cast<unsigned long long>(summary->documents), args.format.c_str(),
                 files == "-" ? "standard output" : files.c_str(), seconds);
  }
  return Status::Ok();
}

Registrar register_export("kg", "export", [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExportArgs>();
  auto* sub = app.add_subcommand(
      "export", "Write the graph (or part of it) for other tools: GraphML, DOT, Kùzu or Neo4j "
                "CSV, N-Triples, Turtle, or JSON Lines that `kg load` reads back");
  sub->add_option("--format,-f", args->format, "Output format")
      ->required()
      ->check(CLI::IsMember(exporting::FormatNames()));
  sub->add_option("--out,-o", args->options.out,
                  "Output file (default: standard output); a directory for kuzu-csv and "
                  "neo4j-csv (created if missing)");
  sub->add_option("--label", args->options.labels, "Only nodes with this label (repeatable)");
  sub->add_option("--edge-type", args->options.edge_types,
                  "Only edges of this type, and the nodes they join (repeatable)");
  sub->add_option("--around", args->options.around,
                  "Only the neighbourhood of the node(s) with this name or alias");
  sub->add_option("--hops", args->options.hops, "Radius of --around in edges")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  sub->add_option("--base-iri", args->options.base_iri,
                  "ntriples/turtle: prefix of every IRI kg makes")
      ->capture_default_str();
  sub->add_flag("!--no-evidence", args->options.rdf_evidence,
                "ntriples/turtle: leave out the evidence sentences of edges");
  sub->add_flag("--quiet,-q", args->quiet, "No summary line on stderr");
  sub->callback([&ctx, args] { ctx.exit_code = Report(ctx, Run(ctx, *args)); });
});

}  // namespace
}  // namespace kg::cli
