// kg-inspect: the dump inspector. Opens a store without writing to it (also while another process
// writes it) and looks into article dumps before they are ingested.
// Subcommands live in tools/inspect/cmd_*.cc and register themselves (tools/common/command.h).
#include "command.h"

int main(int argc, char** argv) {
  return kg::cli::RunMain("kg-inspect", "kg-inspect: look into kg stores and article dumps",
                          argc, argv);
}
