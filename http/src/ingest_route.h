#pragma once
// POST /ingest: adds the articles of the request body (JSON Lines, as `kg ingest` reads them, or
// one plain-text article) to the store, each in one atomic batch (docs/HTTP.md). Needs a server
// started with allow_writes and "Authorization: Bearer <token>"; 403/401 otherwise.

#include <httplib.h>

#include "server_state.h"

namespace kg::http::internal {

void RegisterIngestRoutes(httplib::Server& server, ServerState& state);

}  // namespace kg::http::internal
