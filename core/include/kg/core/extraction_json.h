#pragma once
// The public JSON form of one Extraction (docs/EXTRACT.md): what `kg extract --format json`
// prints, one object per line, and what `kg load` reads back. The pair is lossless for
// everything GraphStore::WriteExtraction uses, so extracting on many machines and loading the
// outputs into one store gives the graph one `kg ingest` would build (the map/merge split of
// docs/SCALING.md).

#include <string>
#include <string_view>

#include "kg/core/extraction.h"
#include "kg/core/status.h"

namespace kg {

// One line of JSON (no trailing newline), keys in the documented order. The article text is
// included as doc.text unless `with_text` is false. Invalid UTF-8 (which readers never produce)
// is replaced by U+FFFD rather than thrown.
std::string ExtractionToJson(const Extraction& extraction, bool with_text = true);

// Parses one line written by ExtractionToJson. InvalidArgument with a one-line reason (no
// location: the caller knows the file and line) when the JSON is malformed, a required field is
// missing or has the wrong type, doc.text is absent, an entity's id is not its index, or a
// relation names an entity that does not exist.
Result<Extraction> ExtractionFromJson(std::string_view line);

}  // namespace kg
