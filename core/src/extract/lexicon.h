#pragma once
// The read-only word lists the news extractor matches against: the gazetteer (borrowed) plus
// the cue lists of data/patterns/. Built once per extractor, then shared by all threads.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kg/core/gazetteer.h"
#include "kg/core/status.h"

namespace kg::extract {

struct StanceCue {
  std::vector<std::string> words;  // lower-case
  int polarity = 0;                // +1 or -1
  bool mutual = false;             // "a rift between X and Y": both directions
};

class Lexicon {
 public:
  // Reads stance_cues.tsv, admin_divisions.tsv, relation_cues.tsv and relation_blockers.tsv
  // from `patterns_dir`. `gazetteer` is borrowed and must outlive the Lexicon.
  static Result<std::unique_ptr<Lexicon>> Load(const std::filesystem::path& patterns_dir,
                                               const Gazetteer* gazetteer);

  const Gazetteer& gazetteer() const { return *gazetteer_; }
  const std::vector<StanceCue>& stance_cues() const { return stance_cues_; }
  // Indices into stance_cues() of the cues whose first word is `first_word`, ascending (so the
  // first of them that matches is the one a scan of the whole list would find); null when none.
  // Lets the extractor test a word against its few candidate cues instead of all of them.
  const std::vector<uint32_t>* CuesStartingWith(const std::string& first_word) const {
    auto it = cues_by_first_word_.find(first_word);
    return it == cues_by_first_word_.end() ? nullptr : &it->second;
  }
  // "Prefecture" -> "Japan"; empty when unknown.
  std::string CountryOfDesignation(const std::string& word) const;
  // Whether relations of `type` (e.g. "KILLED") that the classifier finds need a cue word in
  // their sentence (relation_cues.tsv), and whether the sentence of `words` (lower-case) has
  // one: a cue counts unless the word before it is one of its exceptions.
  bool NeedsRelationCue(const std::string& type) const { return relation_cues_.count(type) > 0; }
  bool HasRelationCue(const std::string& type, const std::vector<std::string_view>& words) const;
  // Whether one of words[from, to) (lower-case) is a word that, between the two entities of a
  // classifier relation of `type`, drops it (relation_blockers.tsv): "visited", "against".
  bool HasRelationBlocker(const std::string& type, const std::vector<std::string_view>& words,
                          size_t from, size_t to) const;

 private:
  const Gazetteer* gazetteer_ = nullptr;
  std::vector<StanceCue> stance_cues_;
  std::unordered_map<std::string, std::vector<uint32_t>> cues_by_first_word_;
  std::map<std::string, std::string> designations_;
  // type -> cue word -> the words that, right before it, make it no cue
  std::map<std::string, std::unordered_map<std::string, std::unordered_set<std::string>>>
      relation_cues_;
  std::map<std::string, std::unordered_set<std::string>> relation_blockers_;
};

}  // namespace kg::extract
