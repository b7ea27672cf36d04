// kg import --nodes N.csv --edges E.csv: bulk-loads a graph in the peers' CSV format
// (docs/STORAGE.md) into the store, in large atomic batches.
#include <dlfcn.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "kg/store/csv_import.h"
#include "kg/store/graph_store.h"

namespace kg::cli {
namespace {

struct ImportOptions {
  std::string nodes;
  std::string edges;
  size_t batch_rows = 250000;
  bool batches = false;
};

// When kg runs on jemalloc (tools/CMakeLists.txt), freed pages go back to the system at once
// instead of after jemalloc's default 10 s: the bulk import frees its parsing tables and then
// allocates its sort buffers on other threads, whose arenas cannot reuse those pages, so
// without this the peak RSS counts both (at 1M rows ~10 MB more). Looked up by name so that kg
// also links without jemalloc (then the system malloc decides and this does nothing).
void ReturnFreedPagesPromptly() {
  using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);
  auto mallctl = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
  if (mallctl == nullptr) return;
  ssize_t zero = 0;
  for (const char* which : {"dirty_decay_ms", "muzzy_decay_ms"}) {
    std::string future = std::string("arenas.") + which;  // arenas made from now on
    (void)mallctl(future.c_str(), nullptr, nullptr, &zero, sizeof(zero));
    unsigned arenas = 0;
    size_t size = sizeof(arenas);
    if (mallctl("arenas.narenas", &arenas, &size, nullptr, 0) != 0) continue;
    for (unsigned i = 0; i < arenas; ++i) {  // those in use: an unused one answers an error
      std::string name = "arena." + std::to_string(i) + "." + which;
      (void)mallctl(name.c_str(), nullptr, nullptr, &zero, sizeof(zero));
    }
  }
}

Status Run(const Context& ctx, const ImportOptions& opt) {
  auto start = std::chrono::steady_clock::now();
  ReturnFreedPagesPromptly();
  store::OpenOptions open;
  open.write_buffer_bytes = 128u << 20;  // fewer, larger flushes for a bulk load
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto& graph = **opened;
  store::CsvImportOptions options;
  options.batch_rows = opt.batch_rows;
  options.bulk = !opt.batches;
  bool tty = ::isatty(2);
  options.progress = [tty](std::string_view phase, uint64_t rows) {
    if (tty) std::fprintf(stderr, "\r%.*s: %llu rows   ", static_cast<int>(phase.size()),
                          phase.data(), static_cast<unsigned long long>(rows));
  };
  auto summary = store::ImportCsv(graph, opt.nodes, opt.edges, options);
  if (tty) std::fprintf(stderr, "\n");
  if (!summary) return summary.error();
  KG_RETURN_IF_ERROR(graph.Flush());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "imported %llu node rows (%llu new nodes, %llu merged) and %llu edge rows (%llu new "
      "edges, %llu evidence records) into %s in %.2f s (%s)\n",
      static_cast<unsigned long long>(summary->node_rows),
      static_cast<unsigned long long>(summary->nodes_created),
      static_cast<unsigned long long>(summary->nodes_merged),
      static_cast<unsigned long long>(summary->edge_rows),
      static_cast<unsigned long long>(summary->edges_created),
      static_cast<unsigned long long>(summary->evidence), ctx.db_path.c_str(), seconds,
      summary->bulk ? "bulk: sorted SST files ingested at once" : "atomic batches");
  return Status::Ok();
}

Registrar register_import("kg", "import", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<ImportOptions>();
  auto* sub = app.add_subcommand(
      "import", "Bulk-load nodes.csv (id,name,type) and edges.csv "
                "(src,dst,type,polarity,weight,doc_id) into the store");
  sub->add_option("--nodes", opt->nodes, "nodes CSV file")->required();
  sub->add_option("--edges", opt->edges, "edges CSV file (each row one mention)")->required();
  sub->add_flag("--batches", opt->batches,
                "write in atomic batches even into a fresh store (default there: one bulk "
                "ingestion of sorted SST files)");
  sub->add_option("--batch-rows", opt->batch_rows, "rows per atomic batch")
      ->check(CLI::Range(1, 100000000))
      ->capture_default_str();
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(ctx, *opt)); });
});

}  // namespace
}  // namespace kg::cli
