#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "kg/core/dump_reader.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using kg::testing::SourceDir;
using kg::testing::TempDir;
using kg::testing::WriteFile;

fs::path Fixture(const std::string& name) { return SourceDir() / "tests/fixtures/dumps" / name; }

struct ReadAll {
  std::vector<kg::Article> articles;
  std::vector<std::string> problems;
  kg::ReaderStats stats;
};

ReadAll Read(const std::vector<std::string>& paths, kg::ReaderOptions options = {}) {
  ReadAll result;
  options.on_problem = [&](const kg::ReaderProblem& p) { result.problems.push_back(p.ToString()); };
  auto reader = kg::OpenDump(paths, options);
  REQUIRE(reader.has_value());
  while (true) {
    auto next = (*reader)->Next();
    REQUIRE(next.has_value());
    if (!next->has_value()) break;
    result.articles.push_back(std::move(**next));
  }
  result.stats = (*reader)->stats();
  return result;
}

}  // namespace

TEST_CASE("a folder is read in sorted order, skipping readme and non-article files",
          "[core][reader]") {
  ReadAll all = Read({Fixture("folder").string()});
  REQUIRE(all.articles.size() == 2);
  CHECK(all.articles[0].id == "folder/sport/002.txt");
  CHECK(all.articles[1].id == "folder/world/001.txt");
  CHECK(all.problems.empty());
}

TEST_CASE("boilerplate lines of a scraped page are stripped and counted", "[core][reader]") {
  ReadAll all = Read({Fixture("folder/world/001.txt").string()});
  REQUIRE(all.articles.size() == 1);
  const kg::Article& a = all.articles[0];
  CHECK(a.title == "Japan disregards U.S. opposition to summit in Tokyo");
  CHECK(a.date == "2016-12-03");
  CHECK(a.text.find("Print") == std::string::npos);
  CHECK(a.text.find("cookies") == std::string::npos);
  CHECK(a.text.find("Subscribe") == std::string::npos);
  CHECK(a.text.find("Ambassador") == std::string::npos);
  CHECK(a.text.find("Trending") == std::string::npos);
  CHECK(a.text.find("The G-7 groups Britain") != std::string::npos);
  CHECK(a.boilerplate.size() == 7);
  CHECK(all.stats.boilerplate_lines == 7);
  // Paragraphs stay separated by one blank line.
  CHECK(a.text.find("\n\n\n") == std::string::npos);
}

TEST_CASE("a seed-shaped page keeps only the article", "[core][reader][boilerplate]") {
  ReadAll all = Read({Fixture("seed_like.txt").string()});
  REQUIRE(all.articles.size() == 1);
  CHECK(all.articles[0].text ==
        "Ministers meet in Ottawa\n\nForeign ministers from Canada and Italy met in Ottawa on "
        "Friday, officials said.\n\nThe meeting focused on trade.");
  CHECK(all.articles[0].boilerplate ==
        std::vector<std::string>{"Print PRINT", "Share this article", "Trending Now",
                                 "\xE2\x80\xA2 Canada", "\xE2\x80\xA2 Italy",
                                 "\xE2\x80\xA2 Trending Ottawa"});
}

TEST_CASE("a Latin-1 article is decoded as Windows-1252 and counted", "[core][reader]") {
  ReadAll all = Read({Fixture("folder/sport/002.txt").string()});
  REQUIRE(all.articles.size() == 1);
  CHECK(all.articles[0].text.find("\xC2\xA3" "100") != std::string::npos);
  CHECK(all.articles[0].encoding.windows1252_bytes == 1);
  CHECK(all.stats.windows1252_articles == 1);
}

TEST_CASE("JSON Lines: usual field names, bad lines reported as file:line and skipped",
          "[core][reader]") {
  std::string path = Fixture("articles.jsonl").string();
  ReadAll all = Read({path});
  REQUIRE(all.articles.size() == 3);
  CHECK(all.articles[0].id == "a1");
  CHECK(all.articles[0].title == "Abe meets Putin");
  CHECK(all.articles[0].date == "2016-12-16");
  CHECK(all.articles[0].source == "https://example.org/a1");
  CHECK(all.articles[0].origin == path + ":1");
  CHECK(all.articles[1].title == "Trade talks");
  CHECK(all.articles[1].date == "2016-12-15");
  CHECK(all.articles[1].source == path + ":2");
  CHECK(all.articles[2].id == "6");
  CHECK(all.articles[2].date == "2016-12-16");
  REQUIRE(all.problems.size() == 3);
  CHECK(all.problems[0].rfind(path + ":4:", 0) == 0);
  CHECK(all.problems[0].find("malformed JSON") != std::string::npos);
  CHECK(all.problems[1] == path + ":5: expected a JSON object, got array");
  CHECK(all.problems[2].rfind(path + ":6: no text field", 0) == 0);
  CHECK(all.stats.blank_lines == 1);
}

TEST_CASE("strict mode turns the first problem into an error", "[core][reader]") {
  kg::ReaderOptions options;
  options.strict = true;
  auto reader = kg::OpenDump({Fixture("articles.jsonl").string()}, options);
  REQUIRE(reader.has_value());
  int articles = 0;
  while (true) {
    auto next = (*reader)->Next();
    if (!next.has_value()) {
      CHECK(next.error().message().find("articles.jsonl:4:") != std::string::npos);
      break;
    }
    REQUIRE(next->has_value());
    ++articles;
  }
  CHECK(articles == 2);
}

TEST_CASE("gzip files of either format are read", "[core][reader]") {
  ReadAll all = Read({Fixture("gz_article.txt.gz").string(), Fixture("lines.jsonl.gz").string()});
  REQUIRE(all.articles.size() == 3);
  CHECK(all.articles[0].title == "Gzipped article");
  CHECK(all.articles[1].id == "g1");
  CHECK(all.articles[2].text == "Rome is the capital of Italy.");
}

TEST_CASE("100,000-deep JSON is rejected without parsing", "[core][reader]") {
  TempDir dir;
  std::string deep = "{\"text\":" + std::string(100000, '[') + std::string(100000, ']') + "}\n";
  WriteFile(dir.path() / "deep.jsonl", deep + "{\"text\":\"Fine.\"}\n");
  ReadAll all = Read({(dir.path() / "deep.jsonl").string()});
  REQUIRE(all.articles.size() == 1);
  REQUIRE(all.problems.size() == 1);
  CHECK(all.problems[0].find("deep.jsonl:1: JSON nested deeper than") != std::string::npos);
}

TEST_CASE("a number JSON cannot hold (1e999) is a malformed line, not a crash",
          "[core][reader]") {
  // Found by the jsonl_reader fuzzer: nlohmann throws out_of_range, not parse_error.
  TempDir dir;
  WriteFile(dir.path() / "big.jsonl", "{\"text\":\"Lost.\",\"n\":1e999}\n{\"text\":\"Fine.\"}\n");
  ReadAll all = Read({(dir.path() / "big.jsonl").string()});
  REQUIRE(all.articles.size() == 1);
  CHECK(all.articles[0].text == "Fine.");
  REQUIRE(all.problems.size() == 1);
  CHECK(all.problems[0].find("big.jsonl:1: malformed JSON: number overflow parsing '1e999'") !=
        std::string::npos);
}

TEST_CASE("binary, empty, oversized files and symlink loops are reported and skipped",
          "[core][reader]") {
  TempDir dir;
  fs::create_directories(dir.path() / "d/loop");
  WriteFile(dir.path() / "d/a.txt", "Good article\n\nIt is fine.\n");
  WriteFile(dir.path() / "d/b.txt", std::string("bin\0ary", 7));
  WriteFile(dir.path() / "d/c.txt", "\n \n");
  WriteFile(dir.path() / "d/e.txt", std::string(5000, 'x'));
  fs::create_directory_symlink(dir.path() / "d", dir.path() / "d/loop/back");
  kg::ReaderOptions options;
  options.max_article_bytes = 4096;
  ReadAll all = Read({(dir.path() / "d").string()}, options);
  REQUIRE(all.articles.size() == 1);
  CHECK(all.articles[0].title == "Good article");
  REQUIRE(all.problems.size() == 4);
  CHECK(all.problems[0].find("b.txt: binary file") != std::string::npos);
  CHECK(all.problems[1].find("c.txt: empty article") != std::string::npos);
  CHECK(all.problems[2].find("e.txt: article larger than 4096") != std::string::npos);
  CHECK(all.problems[3].find("loop/back: directory already read") != std::string::npos);
}

TEST_CASE("an oversized JSONL line is skipped without being kept", "[core][reader]") {
  TempDir dir;
  std::string big = "{\"text\":\"" + std::string(10000, 'a') + "\"}\n";
  WriteFile(dir.path() / "big.jsonl", big + "{\"text\":\"Small.\"}\n");
  kg::ReaderOptions options;
  options.max_article_bytes = 1000;
  ReadAll all = Read({(dir.path() / "big.jsonl").string()}, options);
  REQUIRE(all.articles.size() == 1);
  CHECK(all.articles[0].text == "Small.");
  REQUIRE(all.problems.size() == 1);
  CHECK(all.problems[0].find("big.jsonl:1: line of 10011 bytes") != std::string::npos);
}

TEST_CASE("a missing dump path is NotFound", "[core][reader]") {
  auto reader = kg::OpenDump({"/no/such/dump"}, {});
  REQUIRE_FALSE(reader.has_value());
  CHECK(reader.error().code() == kg::Status::Code::kNotFound);
}
