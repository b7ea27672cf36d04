// kg stats [--format text|json]: what the store holds (counts by label and type, bytes per
// column family). Opens the store read-only, so it also works beside a running ingest.
#include <memory>

#include "command.h"
#include "store_stats.h"

namespace kg::cli {
namespace {

struct StatsOptions {
  std::string format = "text";
};

Registrar register_stats("kg", "stats", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<StatsOptions>();
  auto* sub = app.add_subcommand("stats", "Show what the store holds");
  sub->add_option("--format", opt->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([&ctx, opt] {
    auto format = opt->format == "json" ? StatsFormat::kPrettyJson : StatsFormat::kText;
    ctx.exit_code = Report(ctx, PrintStoreStats(ctx, format));
  });
});

}  // namespace
}  // namespace kg::cli
