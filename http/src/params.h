#pragma once
// Parsing of URL parameters and path ids. Errors are InvalidArgument naming the parameter, so a
// client sees e.g. "limit: expected an integer from 1 to 1000, got 'abc'".

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "kg/core/status.h"
#include "kg/store/types.h"

namespace kg::http::internal {

// InvalidArgument naming the first parameter of the request that is not in `known`: a client
// that misspells one (`?name=Abe` for `?q=Abe`) must not get the answer to another question.
Status CheckKnownParams(const httplib::Request& req, std::string_view route,
                        const std::vector<std::string_view>& known);

// The value of parameter `name`, or nullopt when absent. A parameter given twice is an error
// (ambiguous), as is one longer than 1000 bytes.
Result<std::optional<std::string>> Param(const httplib::Request& req, const std::string& name);

// `limit`: default when absent; InvalidArgument unless an integer in [1, max].
Result<size_t> LimitParam(const httplib::Request& req, size_t default_value, size_t max);

// `direction`: out | in | both (default both).
Result<kg::store::Direction> DirectionParam(const httplib::Request& req);

// A decimal id from a path capture; nullopt when it is not one (including 0 and overflow), which
// the routes answer with 404 since no such record can exist.
std::optional<uint64_t> ParseId(std::string_view text);

}  // namespace kg::http::internal
