#pragma once
// POST /ingest: adds articles to the store (docs/HTTP.md). Not registered yet.

#include <httplib.h>

#include "server_state.h"

namespace kg::http::internal {

void RegisterIngestRoutes(httplib::Server& server, ServerState& state);

}  // namespace kg::http::internal
