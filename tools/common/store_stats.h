#pragma once
// What `kg stats` and `kg-inspect stats` print: the store at ctx.db_path, opened read-only (a
// RocksDB secondary, so it works beside a running ingest), as text or as one JSON object
// {"nodes","edges","documents","evidence","labels":{…},"types":{…},"bytes":{…}}.

#include <string>

#include "command.h"

namespace kg::cli {

enum class StatsFormat { kText, kJson, kPrettyJson };

Status PrintStoreStats(const Context& ctx, StatsFormat format);

}  // namespace kg::cli
