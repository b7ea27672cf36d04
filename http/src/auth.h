#pragma once
// Who may write: writes (CREATE in POST /query, POST /ingest) need a server started with
// allow_writes on a read-write store, and the request header "Authorization: Bearer <token>"
// with the server's token (compared in constant time).

#include <string>

#include <httplib.h>

#include "server_state.h"

namespace kg::http::internal {

struct WriteAccess {
  bool allowed = false;
  int http_status = 403;  // when refused: 403 writes are off, 401 missing or wrong token
  std::string refusal;    // when refused: why, for the error body
};

WriteAccess CheckWriteAccess(const httplib::Request& req, const ServerState& state);

// Sends the refusal of `access` (REQUIRES: !access.allowed) as a JSON error.
void SendRefusal(httplib::Response& res, const WriteAccess& access);

}  // namespace kg::http::internal
