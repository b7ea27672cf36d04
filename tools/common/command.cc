#include "command.h"

#include <algorithm>
#include <exception>
#include <iostream>

namespace kg::cli {

std::vector<CommandInfo>& Registry() {
  static std::vector<CommandInfo> registry;
  return registry;
}

int Report(const Context& ctx, const Status& status) {
  if (status.ok()) return 0;
  std::cerr << ctx.program << ": " << status.message() << "\n";
  return status.IsUserError() ? 1 : 2;
}

int RunMain(const std::string& program, const std::string& description, int argc, char** argv) {
  Context ctx;
  ctx.program = program;
  CLI::App app{description, program};
  app.set_help_all_flag("--help-all", "Print help for every subcommand");
  app.add_option("--db", ctx.db_path, "Path of the kg store")->capture_default_str();
  app.require_subcommand(1);
  app.fallthrough();  // `kg ingest --db x` works as well as `kg --db x ingest`

  auto commands = Registry();
  std::sort(commands.begin(), commands.end(),
            [](const CommandInfo& a, const CommandInfo& b) { return a.name < b.name; });
  for (auto& command : commands) {
    if (command.program == program) command.setup(app, ctx);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << e.what() << "\n";
    return 2;
  }
  return ctx.exit_code;
}

}  // namespace kg::cli
