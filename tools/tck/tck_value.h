#pragma once
// The TCK's notation for expected values (README.adoc "Format of the expected results"):
// null, true, 1, 1.5, NaN, 'str', [..], {k: v}, (:L {k: v}), [:T {k: v}], <(..)-[..]->(..)>.
// Parsed into kg::query::Value so that expected and actual values print identically
// through ToCypherString (graph elements get id 0, which that notation never shows).

#include <string>

#include "kg/core/status.h"
#include "kg/query/value.h"

namespace kg::tck {

Result<query::Value> ParseTckValue(const std::string& text);

// ToCypherString, with the elements of every list sorted when `sort_lists`.
std::string Canonical(const query::Value& value, bool sort_lists);

}  // namespace kg::tck
