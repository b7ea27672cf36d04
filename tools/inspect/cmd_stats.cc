// kg-inspect stats [--format json]: counts and bytes of a store, opened as a RocksDB secondary
// (never writes; works beside a live writer). JSON is exactly one object:
// {"nodes","edges","documents","evidence","labels":{…},"types":{…},"bytes":{…}}.
#include <memory>

#include "command.h"
#include "store_stats.h"

namespace kg::cli {
namespace {

struct StatsOptions {
  std::string format = "text";
};

Registrar register_stats("kg-inspect", "stats", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<StatsOptions>();
  auto* sub = app.add_subcommand("stats", "Counts by label and type, bytes per column family");
  sub->add_option("--format", opt->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([&ctx, opt] {
    auto format = opt->format == "json" ? StatsFormat::kJson : StatsFormat::kText;
    ctx.exit_code = Report(ctx, PrintStoreStats(ctx, format));
  });
});

}  // namespace
}  // namespace kg::cli
