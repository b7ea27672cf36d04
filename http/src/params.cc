#include "params.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace kg::http::internal {
namespace {

constexpr size_t kMaxParamBytes = 1000;

// Quotes a user-supplied value for an error message: at most 40 bytes, controls dropped.
std::string Quote(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 40)) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  }
  if (value.size() > 40) out += "...";
  return "'" + out + "'";
}

}  // namespace

Status CheckKnownParams(const httplib::Request& req, std::string_view route,
                        const std::vector<std::string_view>& known) {
  for (const auto& [name, value] : req.params) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string takes;
    for (std::string_view k : known) takes += (takes.empty() ? "" : ", ") + std::string(k);
    return Status::InvalidArgument(fmt::format("unknown parameter {}: {} takes {}", Quote(name),
                                               route, takes.empty() ? "none" : takes));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> Param(const httplib::Request& req, const std::string& name) {
  size_t count = req.get_param_value_count(name.c_str());
  if (count == 0) return std::optional<std::string>();
  if (count > 1) return Status::InvalidArgument(name + ": given more than once");
  std::string value = req.get_param_value(name.c_str());
  if (value.size() > kMaxParamBytes) {
    return Status::InvalidArgument(fmt::format("{}: longer than {} bytes", name, kMaxParamBytes));
  }
  return std::optional<std::string>(std::move(value));
}

Result<size_t> LimitParam(const httplib::Request& req, size_t default_value, size_t max) {
  auto value = Param(req, "limit");
  if (!value) return value.error();
  if (!value->has_value()) return default_value;
  const std::string& text = **value;
  size_t limit = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > max) {
    return Status::InvalidArgument(
        fmt::format("limit: expected an integer from 1 to {}, got {}", max, Quote(text)));
  }
  return limit;
}

Result<kg::store::Direction> DirectionParam(const httplib::Request& req) {
  auto value = Param(req, "direction");
  if (!value) return value.error();
  if (!value->has_value() || **value == "both") return kg::store::Direction::kBoth;
  if (**value == "out") return kg::store::Direction::kOut;
  if (**value == "in") return kg::store::Direction::kIn;
  return Status::InvalidArgument("direction: expected out, in or both, got " + Quote(**value));
}

std::optional<uint64_t> ParseId(std::string_view text) {
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id == kg::store::kNoId) {
    return std::nullopt;
  }
  return id;
}

}  // namespace kg::http::internal
