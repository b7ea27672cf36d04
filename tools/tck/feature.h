#pragma once
// A minimal Gherkin reader for the openCypher TCK: Feature, Scenario, Scenario Outline with
// Examples (expanded), steps with a doc string ("""...""") or a table (| a | b |).

#include <string>
#include <vector>

#include "kg/core/status.h"

namespace kg::tck {

struct Step {
  std::string keyword;  // Given / When / Then / And / But
  std::string text;     // the rest of the line
  std::string doc;      // doc string, "" when none
  std::vector<std::vector<std::string>> table;  // rows of cells (trimmed)
  int line = 0;
};

struct Scenario {
  std::string name;  // "[1] Handling ..." (+ " (example N)" for outlines)
  int line = 0;
  std::vector<Step> steps;
};

struct Feature {
  std::string path;
  std::string name;
  std::vector<Scenario> scenarios;
};

// Parses a .feature file; errors name path:line.
Result<Feature> ReadFeature(const std::string& path);

}  // namespace kg::tck
