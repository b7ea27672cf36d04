#pragma once
// JSON responses and the one mapping from kg::Status to HTTP status codes. Every error body has
// the shape {"error": {"code": "...", "message": "..."}} (plus "line"/"column" for query errors
// with a position). Messages never quote request headers back.

#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "kg/core/status.h"

namespace kg::http::internal {

// Serialises `body` (invalid UTF-8 in stored text is replaced, never thrown on) and sets the
// JSON content type.
void SendJson(httplib::Response& res, int http_status, const nlohmann::json& body);
// The dump SendJson uses, for streamed bodies.
std::string DumpJson(const nlohmann::json& body);

void SendError(httplib::Response& res, int http_status, std::string_view code,
               std::string_view message);

// NotFound -> 404, InvalidArgument/ParseError -> 400, Busy -> 503, Timeout -> 503, other -> 500.
int HttpStatusFor(const Status& status);
// Sends `status` (not OK) with HttpStatusFor and its code name. Internal errors are logged by the
// caller; their message is still sent (it names no secret, only what failed).
void SendStatus(httplib::Response& res, const Status& status);

}  // namespace kg::http::internal
