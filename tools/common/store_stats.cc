#include "store_stats.h"

#include <iostream>

#include "kg/store/graph_store.h"
#include "kg/store/report.h"

namespace kg::cli {

Status PrintStoreStats(const Context& ctx, StatsFormat format) {
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto view = (*opened)->NewReadView();
  auto stats = view->Stats();
  KG_RETURN_IF_ERROR(view->status());
  switch (format) {
    case StatsFormat::kText:
      std::cout << "store " << ctx.db_path << "\n\n" << store::StatsToText(stats);
      break;
    case StatsFormat::kJson:
      std::cout << store::StatsToJson(stats).dump() << "\n";
      break;
    case StatsFormat::kPrettyJson:
      std::cout << store::StatsToJson(stats).dump(2) << "\n";
      break;
  }
  return Status::Ok();
}

}  // namespace kg::cli
