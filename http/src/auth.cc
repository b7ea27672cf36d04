#include "auth.h"

#include "responses.h"

namespace kg::http::internal {
namespace {

// Equal strings, in time that depends only on their lengths.
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

WriteAccess CheckWriteAccess(const httplib::Request& req, const ServerState& state) {
  WriteAccess access;
  const ServerOptions& options = state.options();
  if (!options.allow_writes || options.write_token.empty() ||
      state.read_only()) {
    access.http_status = 403;
    access.refusal = "this server does not accept writes (start kg serve with --allow-writes "
                     "and a token)";
    return access;
  }
  const std::string prefix = "Bearer ";
  std::string header = req.get_header_value("Authorization");
  if (header.rfind(prefix, 0) != 0 ||
      !ConstantTimeEquals(header.substr(prefix.size()), options.write_token)) {
    access.http_status = 401;
    access.refusal = "writes need the header Authorization: Bearer <token>";
    return access;
  }
  access.allowed = true;
  return access;
}

void SendRefusal(httplib::Response& res, const WriteAccess& access) {
  SendError(res, access.http_status, access.http_status == 401 ? "Unauthorized" : "Forbidden",
            access.refusal);
  if (access.http_status == 401) res.set_header("WWW-Authenticate", "Bearer");
}

}  // namespace kg::http::internal
