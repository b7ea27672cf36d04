#include <algorithm>

#include "kg/store/types.h"

namespace kg::store {

std::string Node::name() const {
  if (!properties.is_object()) return {};
  auto it = properties.find("name");
  return it != properties.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Node::aliases() const {
  std::vector<std::string> out;
  if (!properties.is_object()) return out;
  auto it = properties.find("aliases");
  if (it == properties.end() || !it->is_array()) return out;
  for (const auto& a : *it) {
    if (a.is_string()) out.push_back(a.get<std::string>());
  }
  return out;
}

bool Node::HasLabel(std::string_view label) const {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

}  // namespace kg::store
