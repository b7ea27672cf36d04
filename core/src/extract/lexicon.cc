#include "extract/lexicon.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "extract/words.h"

namespace kg::extract {
namespace {

// Reads the non-comment rows of a TSV file as fields; fails naming the file when unreadable.
Result<std::vector<std::pair<int, std::vector<std::string>>>> ReadRows(
    const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path.string());
  std::vector<std::pair<int, std::vector<std::string>>> rows;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) fields.push_back(field);
    rows.emplace_back(line_no, std::move(fields));
  }
  return rows;
}

std::vector<std::string> SplitSpaces(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string w;
  while (ss >> w) out.push_back(w);
  return out;
}

}  // namespace

Result<std::unique_ptr<Lexicon>> Lexicon::Load(const std::filesystem::path& patterns_dir,
                                               const Gazetteer* gazetteer) {
  auto lexicon = std::unique_ptr<Lexicon>(new Lexicon());
  lexicon->gazetteer_ = gazetteer;

  auto cue_path = patterns_dir / "stance_cues.tsv";
  auto cues = ReadRows(cue_path);
  if (!cues) return cues.error();
  for (const auto& [line_no, fields] : *cues) {
    std::string where = cue_path.string() + ":" + std::to_string(line_no);
    if (fields.size() != 3) return Status::ParseError(where + ": expected 3 tab-separated fields");
    StanceCue cue;
    cue.words = SplitSpaces(Lower(fields[0]));
    if (cue.words.empty()) return Status::ParseError(where + ": empty cue");
    if (fields[1] == "+1") {
      cue.polarity = 1;
    } else if (fields[1] == "-1") {
      cue.polarity = -1;
    } else {
      return Status::ParseError(where + ": polarity must be +1 or -1, not '" + fields[1] + "'");
    }
    if (fields[2] == "mutual") {
      cue.mutual = true;
    } else if (fields[2] != "directed") {
      return Status::ParseError(where + ": kind must be directed or mutual");
    }
    lexicon->stance_cues_.push_back(std::move(cue));
  }
  // Longest cues first, so "imposed sanctions on" wins over "sanctions on".
  std::stable_sort(lexicon->stance_cues_.begin(), lexicon->stance_cues_.end(),
                   [](const StanceCue& a, const StanceCue& b) {
                     return a.words.size() > b.words.size();
                   });
  for (uint32_t i = 0; i < lexicon->stance_cues_.size(); ++i) {
    lexicon->cues_by_first_word_[lexicon->stance_cues_[i].words.front()].push_back(i);
  }

  auto div_path = patterns_dir / "admin_divisions.tsv";
  auto divs = ReadRows(div_path);
  if (!divs) return divs.error();
  for (const auto& [line_no, fields] : *divs) {
    if (fields.size() != 2 || fields[0].empty() || fields[1].empty()) {
      return Status::ParseError(div_path.string() + ":" + std::to_string(line_no) +
                                ": expected designation <TAB> country");
    }
    lexicon->designations_[Lower(fields[0])] = fields[1];
  }

  auto rel_path = patterns_dir / "relation_cues.tsv";
  auto rel_rows = ReadRows(rel_path);
  if (!rel_rows) return rel_rows.error();
  for (const auto& [line_no, fields] : *rel_rows) {
    if (fields.size() < 2 || fields.size() > 3 || fields[0].empty() ||
        SplitSpaces(fields[1]).size() != 1) {
      return Status::ParseError(rel_path.string() + ":" + std::to_string(line_no) +
                                ": expected relation type <TAB> one cue word [<TAB> exceptions]");
    }
    auto& exceptions =
        lexicon->relation_cues_[fields[0]][Lower(SplitSpaces(fields[1]).front())];
    if (fields.size() == 3) {
      for (const auto& w : SplitSpaces(Lower(fields[2]))) exceptions.insert(w);
    }
  }

  auto block_path = patterns_dir / "relation_blockers.tsv";
  auto block_rows = ReadRows(block_path);
  if (!block_rows) return block_rows.error();
  for (const auto& [line_no, fields] : *block_rows) {
    if (fields.size() != 2 || fields[0].empty() || SplitSpaces(fields[1]).size() != 1) {
      return Status::ParseError(block_path.string() + ":" + std::to_string(line_no) +
                                ": expected relation type <TAB> one word");
    }
    lexicon->relation_blockers_[fields[0]].insert(Lower(SplitSpaces(fields[1]).front()));
  }
  return lexicon;
}

bool Lexicon::HasRelationCue(const std::string& type,
                             const std::vector<std::string_view>& words) const {
  auto cues = relation_cues_.find(type);
  if (cues == relation_cues_.end()) return true;
  for (size_t k = 0; k < words.size(); ++k) {
    auto cue = cues->second.find(std::string(words[k]));
    if (cue == cues->second.end()) continue;
    if (k > 0 && cue->second.count(std::string(words[k - 1])) > 0) continue;
    return true;
  }
  return false;
}

bool Lexicon::HasRelationBlocker(const std::string& type,
                                 const std::vector<std::string_view>& words, size_t from,
                                 size_t to) const {
  auto blockers = relation_blockers_.find(type);
  if (blockers == relation_blockers_.end()) return false;
  for (size_t k = from; k < to && k < words.size(); ++k) {
    if (blockers->second.count(std::string(words[k])) > 0) return true;
  }
  return false;
}

std::string Lexicon::CountryOfDesignation(const std::string& word) const {
  auto it = designations_.find(Lower(word));
  return it == designations_.end() ? std::string() : it->second;
}

}  // namespace kg::extract
