#pragma once
// Registers the read-only graph endpoints on `server`. `state` must outlive `server`.

#include <httplib.h>

#include "server_state.h"

namespace kg::http::internal {

void RegisterGraphRoutes(httplib::Server& server, ServerState& state);

}  // namespace kg::http::internal
