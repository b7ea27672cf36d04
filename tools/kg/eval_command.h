#pragma once
// `kg eval <what>`: evaluation subcommands share one CLI11 parent, which can be created only
// once; every cmd_eval_*.cc file gets it through EvalCommand().

#include <CLI/CLI.hpp>

namespace kg::cli {

// Returns the `eval` subcommand of `app`, creating it on first use.
CLI::App& EvalCommand(CLI::App& app);

}  // namespace kg::cli
