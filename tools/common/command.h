#pragma once
// Subcommands of the kg command lines register themselves: each cmd_*.cc file defines one
// static Registrar, so adding a subcommand touches no shared file. main() builds the CLI11 app,
// lets every registered command add its subcommand, parses, and returns the chosen command's exit
// code: 0 success, 1 user error (one line on stderr), 2 internal error.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "kg/core/status.h"

namespace kg::cli {

// State shared by every subcommand of one program.
struct Context {
  std::string program;          // "kg" or "kg-inspect", used as the prefix of error lines
  std::string db_path = "kg.db";
  int exit_code = 0;
};

// Adds one subcommand to `app`; its callback sets ctx.exit_code.
using CommandSetup = std::function<void(CLI::App& app, Context& ctx)>;

struct CommandInfo {
  std::string program;  // which binary the command belongs to
  std::string name;
  CommandSetup setup;
};

std::vector<CommandInfo>& Registry();

struct Registrar {
  Registrar(std::string program, std::string name, CommandSetup setup) {
    Registry().push_back({std::move(program), std::move(name), std::move(setup)});
  }
};

// Prints "<program>: <message>" on stderr and returns the exit code for `status`
// (0 when OK, 1 for user errors, 2 otherwise).
int Report(const Context& ctx, const Status& status);

// The whole main() of a kg command line.
int RunMain(const std::string& program, const std::string& description, int argc, char** argv);

}  // namespace kg::cli
