// The acceptance article (../shared/data/seed, see its SOURCE.md): "all G-7 members and their
// positions on Russia" and the other facts the article states. Runs the real text stage
// (boilerplate removal, sentences) and the news extractor; skipped when ../shared is absent.

#include <catch2/catch.hpp>

#include "extract_helpers.h"
#include "kg/core/boilerplate.h"
#include "test_support.h"

namespace {

using kg::testing::EntityNamed;
using kg::testing::Has;
using kg::testing::LabelOf;
using kg::testing::Relations;
using kg::testing::SourcesOf;
using kg::testing::StanceOf;

std::optional<kg::Extraction> ExtractSeed() {
  auto path = kg::testing::SharedData("seed/000_da5d8bc1e4dfe8a0.txt");
  if (!path) return std::nullopt;
  auto cleaned = kg::CleanPlainArticle(kg::testing::ReadFile(*path));
  return kg::testing::ExtractText(cleaned.text);
}

bool AnyEvidenceContains(const kg::Extraction& x, const std::string& source,
                         const std::string& type, const std::string& target,
                         const std::string& needle) {
  for (const auto* r : Relations(x, source, type, target)) {
    for (const auto& e : r->evidence) {
      if (e.sentence.find(needle) != std::string::npos) return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("seed: the G-7 has exactly its seven members", "[core][seed]") {
  auto x = ExtractSeed();
  if (!x) return;
  CHECK(LabelOf(*x, "G-7") == "Group");
  CHECK(SourcesOf(*x, "MEMBER_OF", "G-7") ==
        std::vector<std::string>{"Canada", "France", "Germany", "Italy", "Japan",
                                 "United Kingdom", "United States"});
  auto uk = EntityNamed(*x, "United Kingdom");
  REQUIRE(uk);
  const auto& aliases = x->entities[*uk].aliases;
  CHECK(std::find(aliases.begin(), aliases.end(), "Britain") != aliases.end());
}

TEST_CASE("seed: G-7 members' stances toward Russia", "[core][seed]") {
  auto x = ExtractSeed();
  if (!x) return;
  CHECK(StanceOf(*x, "United States", "Russia") == "negative");
  CHECK(AnyEvidenceContains(*x, "United States", "STANCE", "Russia", "critical of Russia"));
  CHECK(AnyEvidenceContains(*x, "United States", "STANCE", "Russia", "pressure on Moscow"));
  CHECK(StanceOf(*x, "Japan", "Russia") == "positive");
  CHECK(AnyEvidenceContains(*x, "Japan", "STANCE", "Russia", "good relations with Russia"));
  for (const char* member : {"United Kingdom", "Canada", "France", "Germany", "Italy"}) {
    INFO(member);
    CHECK(StanceOf(*x, member, "Russia") == "");
  }
  // Every edge carries where it came from.
  for (const auto& r : x->relations) {
    REQUIRE_FALSE(r.evidence.empty());
    for (const auto& e : r.evidence) {
      CHECK(e.end > e.start);
      CHECK_FALSE(e.rule.empty());
    }
  }
}

TEST_CASE("seed: leaders and their positions", "[core][seed]") {
  auto x = ExtractSeed();
  if (!x) return;
  CHECK(Has(*x, "Shinzo Abe", "HOLDS_POSITION", "Prime Minister of Japan"));
  CHECK(Has(*x, "Vladimir Putin", "HOLDS_POSITION", "President of Russia"));
  CHECK(Has(*x, "Barack Obama", "HOLDS_POSITION", "President of United States"));
  CHECK(Has(*x, "Bashar al-Assad", "HOLDS_POSITION", "President of Syria"));
  CHECK(Has(*x, "Akihito", "HOLDS_POSITION", "Emperor of Japan"));
  CHECK(LabelOf(*x, "Shinzo Abe") == "Person");
  CHECK_FALSE(EntityNamed(*x, "Abe"));
  CHECK_FALSE(EntityNamed(*x, "Putin"));
}

TEST_CASE("seed: Crimea, Syria, Yamaguchi", "[core][seed]") {
  auto x = ExtractSeed();
  if (!x) return;
  auto annexed = Relations(*x, "Russia", "ANNEXED", "Crimea");
  REQUIRE(annexed.size() == 1);
  CHECK(annexed[0]->properties["year"] == 2014);
  CHECK(StanceOf(*x, "Russia", "Syria") == "positive");
  auto syria = EntityNamed(*x, "Syria");
  REQUIRE(syria);
  const auto& aliases = x->entities[*syria].aliases;
  CHECK(std::find(aliases.begin(), aliases.end(), "Syrian government") != aliases.end());
  CHECK(Has(*x, "Yamaguchi Prefecture", "PART_OF", "Japan"));
  CHECK_FALSE(EntityNamed(*x, "Yamaguchi"));
}

TEST_CASE("seed: the Tokyo summit on Dec. 16 and the Yamaguchi meeting the day before",
          "[core][seed]") {
  auto x = ExtractSeed();
  if (!x) return;
  std::vector<std::string> events;
  for (const auto& e : x->entities) {
    if (e.label == "Event") events.push_back(e.name);
  }
  CHECK(events == std::vector<std::string>{"Abe-Putin summit in Tokyo on --12-16",
                                           "Abe-Putin meeting in Yamaguchi Prefecture on --12-15"});
  for (const auto& event : events) {
    CHECK(Has(*x, "Shinzo Abe", "PARTICIPANT_IN", event));
    CHECK(Has(*x, "Vladimir Putin", "PARTICIPANT_IN", event));
  }
  CHECK(Has(*x, "Abe-Putin summit in Tokyo on --12-16", "HELD_IN", "Tokyo"));
  CHECK(Has(*x, "Abe-Putin meeting in Yamaguchi Prefecture on --12-15", "HELD_IN",
            "Yamaguchi Prefecture"));
  CHECK(Has(*x, "Shinzo Abe", "MEETS", "Vladimir Putin"));
  CHECK(LabelOf(*x, "Tokyo") == "Place");
}

TEST_CASE("seed: nothing from the page's boilerplate", "[core][seed]") {
  auto path = kg::testing::SharedData("seed/000_da5d8bc1e4dfe8a0.txt");
  if (!path) return;
  // Even without the boilerplate filter of the text stage, bullet lines yield nothing.
  auto x = kg::testing::ExtractText(kg::testing::ReadFile(*path));
  for (const char* name : {"Ambassador", "Ukraine", "COVID-19", "Trending Japan", "PRINT"}) {
    INFO(name);
    CHECK_FALSE(EntityNamed(x, name));
  }
}
