#include "query_route.h"

namespace kg::http::internal {

void RegisterQueryRoutes(httplib::Server& server, ServerState& state) {
  (void)server;
  (void)state;
}

}  // namespace kg::http::internal
