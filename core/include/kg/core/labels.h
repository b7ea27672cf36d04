#pragma once
// The node labels and edge types that kg's extractor produces. The store accepts any label or
// type (Cypher CREATE may add others); these names are the schema documented in docs/SCHEMA.md.

#include <string_view>

namespace kg::labels {

inline constexpr std::string_view kPerson = "Person";
inline constexpr std::string_view kOrganization = "Organization";
inline constexpr std::string_view kCountry = "Country";
inline constexpr std::string_view kPlace = "Place";
inline constexpr std::string_view kGroup = "Group";
inline constexpr std::string_view kPosition = "Position";
inline constexpr std::string_view kEvent = "Event";
inline constexpr std::string_view kDate = "Date";
inline constexpr std::string_view kOther = "Other";

}  // namespace kg::labels
