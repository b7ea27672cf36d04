// kg-inspect verify: checks that adjacency twins, evidence owners and documents, the names and
// labels indexes and every counter agree with the records (kg::store::VerifyStore). Exit 0 when
// consistent; exit 1 listing each problem otherwise.
#include <iostream>
#include <memory>

#include "command.h"
#include "kg/store/graph_store.h"
#include "kg/store/verify.h"

namespace kg::cli {
namespace {

struct VerifyOptions {
  size_t max_problems = 1000;
};

int Run(const Context& ctx, const VerifyOptions& opt) {
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return Report(ctx, opened.error());
  auto report = store::VerifyStore(**opened, opt.max_problems);
  if (!report) return Report(ctx, report.error());
  std::cout << "checked " << report->nodes << " nodes, " << report->edges << " edges, "
            << report->documents << " documents, " << report->evidence << " evidence records, "
            << report->index_entries << " index entries\n";
  for (const auto& p : report->problems) std::cout << "problem: " << p << "\n";
  if (report->problems_total > report->problems.size()) {
    std::cout << "... and " << report->problems_total - report->problems.size() << " more\n";
  }
  if (!report->ok()) {
    std::cerr << ctx.program << ": " << report->problems_total << " problem(s) in "
              << ctx.db_path << "\n";
    return 1;
  }
  std::cout << "ok\n";
  return 0;
}

Registrar register_verify("kg-inspect", "verify", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<VerifyOptions>();
  auto* sub = app.add_subcommand("verify", "Check the store's internal consistency");
  sub->add_option("--max-problems", opt->max_problems, "problems listed at most")
      ->capture_default_str();
  sub->callback([&ctx, opt] { ctx.exit_code = Run(ctx, *opt); });
});

}  // namespace
}  // namespace kg::cli
