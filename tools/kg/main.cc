// kg: builds a knowledge graph from article dumps and answers questions about it.
// Subcommands live in tools/kg/cmd_*.cc and register themselves (tools/common/command.h).
#include "command.h"

int main(int argc, char** argv) {
  return kg::cli::RunMain("kg", "kg: a knowledge graph from news article dumps", argc, argv);
}
