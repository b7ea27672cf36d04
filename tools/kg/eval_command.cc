#include "eval_command.h"

namespace kg::cli {

CLI::App& EvalCommand(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name() == "eval") return *sub;
  }
  CLI::App* eval = app.add_subcommand("eval", "Measure extraction quality on labelled data");
  eval->require_subcommand(1);
  return *eval;
}

nlohmann::json PrfJson(const PrfCounts& c) {
  return {{"precision", c.precision()}, {"recall", c.recall()}, {"f1", c.f1()},
          {"gold", c.gold},           {"predicted", c.predicted}, {"correct", c.correct}};
}

}  // namespace kg::cli
