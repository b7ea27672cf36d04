#include "ingest_route.h"

namespace kg::http::internal {

void RegisterIngestRoutes(httplib::Server& server, ServerState& state) {
  (void)server;
  (void)state;
}

}  // namespace kg::http::internal
