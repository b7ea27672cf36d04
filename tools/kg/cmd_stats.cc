// kg stats [--format text|json]: what the store holds (counts by label and type, bytes per
// column family). Opens the store read-only, so it also works beside a running ingest.
#include <iostream>
#include <memory>

#include "command.h"
#include "kg/store/graph_store.h"
#include "kg/store/report.h"

namespace kg::cli {
namespace {

struct StatsOptions {
  std::string format = "text";
};

Status Run(const Context& ctx, const StatsOptions& opt) {
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto view = (*opened)->NewReadView();
  auto stats = view->Stats();
  KG_RETURN_IF_ERROR(view->status());
  if (opt.format == "json") {
    std::cout << store::StatsToJson(stats).dump(2) << "\n";
  } else {
    std::cout << "store " << ctx.db_path << "\n\n" << store::StatsToText(stats);
  }
  return Status::Ok();
}

Registrar reg("kg", "stats", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<StatsOptions>();
  auto* sub = app.add_subcommand("stats", "Show what the store holds");
  sub->add_option("--format", opt->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(ctx, *opt)); });
});

}  // namespace
}  // namespace kg::cli
