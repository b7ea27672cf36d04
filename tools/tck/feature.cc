#include "feature.h"

#include <fstream>
#include <sstream>

namespace kg::tck {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool StartsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// Splits "| a | b |" into trimmed cells; a backslash escapes a '|'.
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cur;
  bool started = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size() && (line[i + 1] == '|' || line[i + 1] == '\\')) {
      cur += line[i + 1];  // \| is a bar and \\ a backslash inside a cell
      ++i;
    } else if (c == '|') {
      if (started) cells.push_back(Trim(cur));
      started = true;
      cur.clear();
    } else {
      cur += c;
    }
  }
  return cells;
}

std::string Substitute(std::string s, const std::vector<std::string>& names,
                       const std::vector<std::string>& values) {
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    std::string key = "<" + names[i] + ">";
    size_t pos = 0;
    while ((pos = s.find(key, pos)) != std::string::npos) {
      s.replace(pos, key.size(), values[i]);
      pos += values[i].size();
    }
  }
  return s;
}

}  // namespace

Result<Feature> ReadFeature(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  Feature feature;
  feature.path = path;
  struct Raw {
    Scenario scenario;
    bool outline = false;
    std::vector<std::vector<std::string>> examples;  // header + rows, several blocks merged
    std::vector<std::string> header;
  };
  std::vector<Raw> raws;
  Raw background;
  Raw* current = nullptr;
  Step* step = nullptr;
  bool in_examples = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string t = Trim(lines[i]);
    int line_no = static_cast<int>(i + 1);
    if (t.empty() || t[0] == '#') continue;
    if (StartsWith(t, "Feature:")) {
      feature.name = Trim(t.substr(8));
    } else if (StartsWith(t, "Background:")) {
      current = &background;
      step = nullptr;
      in_examples = false;
    } else if (StartsWith(t, "Scenario Outline:") || StartsWith(t, "Scenario:")) {
      raws.emplace_back();
      current = &raws.back();
      current->outline = StartsWith(t, "Scenario Outline:");
      current->scenario.name = Trim(t.substr(t.find(':') + 1));
      current->scenario.line = line_no;
      step = nullptr;
      in_examples = false;
    } else if (StartsWith(t, "Examples:")) {
      if (!current) return Status::ParseError(path + ":" + std::to_string(line_no) +
                                              ": Examples outside a scenario");
      in_examples = true;
      current->header.clear();
    } else if (StartsWith(t, "\"\"\"")) {
      if (!step) return Status::ParseError(path + ":" + std::to_string(line_no) +
                                           ": doc string outside a step");
      size_t indent = lines[i].find("\"\"\"");
      std::string doc;
      size_t j = i + 1;
      for (; j < lines.size() && Trim(lines[j]) != "\"\"\""; ++j) {
        std::string l = lines[j];
        size_t strip = 0;
        while (strip < indent && strip < l.size() && l[strip] == ' ') ++strip;
        doc += l.substr(strip) + "\n";
      }
      if (j == lines.size()) {
        return Status::ParseError(path + ":" + std::to_string(line_no) +
                                  ": unterminated doc string");
      }
      if (!doc.empty()) doc.pop_back();
      step->doc = doc;
      i = j;
    } else if (t[0] == '|') {
      auto cells = Cells(t);
      if (in_examples && current) {
        if (current->header.empty()) {
          current->header = cells;
          if (current->examples.empty()) current->examples.push_back(cells);
        } else {
          current->examples.push_back(cells);
        }
      } else if (step) {
        step->table.push_back(cells);
      } else {
        return Status::ParseError(path + ":" + std::to_string(line_no) +
                                  ": table outside a step");
      }
    } else if (current && !in_examples &&
               (StartsWith(t, "Given ") || StartsWith(t, "When ") || StartsWith(t, "Then ") ||
                StartsWith(t, "And ") || StartsWith(t, "But "))) {
      Step s;
      size_t sp = t.find(' ');
      s.keyword = t.substr(0, sp);
      s.text = Trim(t.substr(sp + 1));
      s.line = line_no;
      current->scenario.steps.push_back(s);
      step = &current->scenario.steps.back();
    }
  }
  for (auto& raw : raws) {
    auto& steps = raw.scenario.steps;
    steps.insert(steps.begin(), background.scenario.steps.begin(),
                 background.scenario.steps.end());
    if (!raw.outline) {
      feature.scenarios.push_back(raw.scenario);
      continue;
    }
    if (raw.examples.size() < 2) continue;
    const auto& names = raw.examples[0];
    for (size_t r = 1; r < raw.examples.size(); ++r) {
      const auto& values = raw.examples[r];
      if (values == names) continue;  // header of a further Examples block
      Scenario s = raw.scenario;
      s.name += " (example " + std::to_string(r) + ")";
      for (auto& st : s.steps) {
        st.text = Substitute(st.text, names, values);
        st.doc = Substitute(st.doc, names, values);
        for (auto& row : st.table) {
          for (auto& cell : row) cell = Substitute(cell, names, values);
        }
      }
      feature.scenarios.push_back(std::move(s));
    }
  }
  return feature;
}

}  // namespace kg::tck
