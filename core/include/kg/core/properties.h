#pragma once
// Properties of nodes, edges and evidence: a JSON object (string keys; values null, bool, integer,
// float, string or lists of those). nlohmann::json keeps integers and floats apart, which Cypher
// needs, and its CBOR encoding is what the store persists.

#include <nlohmann/json.hpp>

namespace kg {

using Properties = nlohmann::json;  // always an object; empty object when there are none

inline Properties EmptyProperties() { return nlohmann::json::object(); }

}  // namespace kg
