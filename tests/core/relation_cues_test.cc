// The cue words a sentence needs before the news extractor keeps the relation classifier's
// KILLED edges (data/patterns/relation_cues.tsv): they must cover the sentences the classifier
// learned killings from, and tell "a shot from Berger" from "Oswald shot Kennedy".

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "../../core/src/extract/lexicon.h"
#include "kg/core/conll04.h"
#include "kg/core/gazetteer.h"
#include "test_support.h"

namespace {

const kg::extract::Lexicon& ShippedLexicon() {
  static std::unique_ptr<kg::extract::Lexicon> lexicon = [] {
    auto gazetteer = kg::Gazetteer::Default();
    if (!gazetteer) FAIL(gazetteer.error().ToString());
    auto loaded =
        kg::extract::Lexicon::Load(kg::testing::SourceDir() / "data" / "patterns", *gazetteer);
    if (!loaded) FAIL(loaded.error().ToString());
    return std::move(*loaded);
  }();
  return *lexicon;
}

bool KilledCue(const std::vector<std::string>& words) {
  std::vector<std::string_view> lower;
  for (const auto& w : words) lower.push_back(w);
  return ShippedLexicon().HasRelationCue("KILLED", lower);
}

// Share of the Kill relations of a CoNLL04 split whose sentence has a cue.
double KillCoverage(const std::vector<kg::Conll04Sentence>& sentences, size_t* kills) {
  size_t covered = 0;
  *kills = 0;
  for (const auto& s : sentences) {
    std::vector<std::string> lower;
    for (const auto& t : s.tokens) {
      std::string l = t;
      for (auto& c : l) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      lower.push_back(l);
    }
    bool cued = KilledCue(lower);
    for (const auto& r : s.relations) {
      if (r.type != "Kill") continue;
      ++*kills;
      if (cued) ++covered;
    }
  }
  return *kills == 0 ? 0 : static_cast<double>(covered) / static_cast<double>(*kills);
}

}  // namespace

TEST_CASE("killings need a word for one; other relations need none", "[core][relation_cues]") {
  const auto& lexicon = ShippedLexicon();
  CHECK(lexicon.NeedsRelationCue("KILLED"));
  CHECK_FALSE(lexicon.NeedsRelationCue("WORKS_FOR"));
  CHECK(lexicon.HasRelationCue("WORKS_FOR", {}));
  CHECK(KilledCue({"oswald", "shot", "kennedy", "."}));
  CHECK(KilledCue({"the", "assassination", "of", "kennedy"}));
  CHECK(KilledCue({"shot", "dead"}));
  CHECK_FALSE(KilledCue({"tony", "blair", "faces", "gordon", "brown", "."}));
  CHECK_FALSE(KilledCue({"a", "powerful", "shot", "from", "berger"}));
  CHECK_FALSE(KilledCue({"robben", "'s", "shot", "took", "a", "deflection"}));
  CHECK_FALSE(KilledCue({"korzhanenko", "(", "shot", ")"}));
  CHECK_FALSE(KilledCue({"shotgun", "wedding"}));  // whole words only
}

TEST_CASE("the cues are in the sentences of CoNLL04's killings", "[core][relation_cues]") {
  for (const char* split : {"conll04/conll04_train.json", "conll04/conll04_dev.json"}) {
    auto path = kg::testing::SharedData(split);
    if (!path) return;
    auto sentences = kg::ReadConll04(*path);
    REQUIRE(sentences.has_value());
    size_t kills = 0;
    double coverage = KillCoverage(*sentences, &kills);
    INFO(split << ": " << kills << " Kill relations, covered " << coverage);
    CHECK(kills > 40);
    // 174 of train's 179, 41 of dev's 42 when written.
    CHECK(coverage >= 0.96);
  }
}

namespace {

// The error of loading the shipped patterns with `file` replaced by `content`.
std::string LoadErrorWith(const std::string& file, const std::string& content) {
  kg::testing::TempDir dir;
  auto shipped = kg::testing::SourceDir() / "data" / "patterns";
  for (const char* name :
       {"stance_cues.tsv", "admin_divisions.tsv", "relation_cues.tsv", "relation_blockers.tsv"}) {
    kg::testing::WriteFile(dir.path() / name, name == file
                                                  ? content
                                                  : kg::testing::ReadFile(shipped / name));
  }
  auto gazetteer = kg::Gazetteer::Default();
  REQUIRE(gazetteer.has_value());
  auto loaded = kg::extract::Lexicon::Load(dir.path(), *gazetteer);
  REQUIRE_FALSE(loaded.has_value());
  return loaded.error().ToString();
}

}  // namespace

TEST_CASE("a malformed relation cue or blocker row is refused with file:line",
          "[core][relation_cues]") {
  CHECK_THAT(
      LoadErrorWith("relation_cues.tsv", "# comment\nKILLED\tkilled\nKILLED\ttwo words\n"),
      Catch::Contains("relation_cues.tsv:3: expected relation type"));
  CHECK_THAT(LoadErrorWith("relation_blockers.tsv", "LIVES_IN\tvisited\nLIVES_IN\n"),
             Catch::Contains("relation_blockers.tsv:2: expected relation type"));
}

TEST_CASE("blockers count between the two entities only", "[core][relation_cues]") {
  const auto& lexicon = ShippedLexicon();
  std::vector<std::string_view> words = {"brown", "visited", "kenya", "and", "then", "won"};
  CHECK(lexicon.HasRelationBlocker("LIVES_IN", words, 1, 2));
  CHECK_FALSE(lexicon.HasRelationBlocker("LIVES_IN", words, 3, 5));
  CHECK_FALSE(lexicon.HasRelationBlocker("KILLED", words, 0, 6));  // no blockers for KILLED
}
