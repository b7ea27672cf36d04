#pragma once
// POST /query: openCypher over one snapshot (docs/HTTP.md). Registered only when kg is built
// with the query layer's store adapter; otherwise the route does not exist (404).

#include <httplib.h>

#include "server_state.h"

namespace kg::http::internal {

void RegisterQueryRoutes(httplib::Server& server, ServerState& state);

}  // namespace kg::http::internal
