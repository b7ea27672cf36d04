#include "responses.h"

namespace kg::http::internal {

std::string DumpJson(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SendJson(httplib::Response& res, int http_status, const nlohmann::json& body) {
  res.status = http_status;
  res.set_content(DumpJson(body) + "\n", "application/json");
}

void SendError(httplib::Response& res, int http_status, std::string_view code,
               std::string_view message) {
  SendJson(res, http_status,
           {{"error", {{"code", std::string(code)}, {"message", std::string(message)}}}});
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kInvalidArgument:
    case Status::Code::kParseError:
      return 400;
    case Status::Code::kBusy:
    case Status::Code::kTimeout:
      return 503;
    default:
      return 500;
  }
}

void SendStatus(httplib::Response& res, const Status& status) {
  SendError(res, HttpStatusFor(status), CodeName(status.code()), status.message());
}

}  // namespace kg::http::internal
