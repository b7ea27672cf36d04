#pragma once
// `kg eval <what>`: evaluation subcommands share one CLI11 parent, which can be created only
// once; every cmd_eval_*.cc file gets it through EvalCommand(), and prints its scores in the
// same JSON shape through PrfJson().

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "kg/core/conll.h"

namespace kg::cli {

// Returns the `eval` subcommand of `app`, creating it on first use.
CLI::App& EvalCommand(CLI::App& app);

// {"precision", "recall", "f1", "gold", "predicted", "correct"} of one score.
nlohmann::json PrfJson(const PrfCounts& counts);

}  // namespace kg::cli
