// kg-inspect stats [--format json]: counts and bytes of a store, opened as a RocksDB secondary
// (never writes; works beside a live writer). JSON is exactly one object:
// {"nodes","edges","documents","evidence","labels":{…},"types":{…},"bytes":{…}}.
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
    std::cout << store::StatsToJson(stats).dump() << "\n";
  } else {
    std::cout << store::StatsToText(stats);
  }
  return Status::Ok();
}

Registrar reg("kg-inspect", "stats", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<StatsOptions>();
  auto* sub = app.add_subcommand("stats", "Counts by label and type, bytes per column family");
  sub->add_option("--format", opt->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(ctx, *opt)); });
});

}  // namespace
}  // namespace kg::cli
