#pragma once
// Where kg finds the files it ships (models/, data/): $KG_DATA_DIR when set, else the source tree
// the binary was built from, else ../share/kg beside the binary.

#include <filesystem>
#include <string_view>

namespace kg {

// Returns the path of `relative` (e.g. "models/ner.model") under the first data directory that
// has it, or under $KG_DATA_DIR / the build's source tree when none does.
std::filesystem::path DataPath(std::string_view relative);

}  // namespace kg
