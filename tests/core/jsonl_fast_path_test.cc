// The JSON Lines reader's fast path (simdjson, core/src/reader/jsonl_fast_path.cc) against
// nlohmann's parse: every line read with the fast path on must give the same article, or the same
// problem, as with it off; and the lines of the usual shape really take the fast path.

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "kg/core/dump_reader.h"
#include "test_support.h"

namespace jsonl_fast_path_test {

using namespace std::string_literals;  // "...\0..."s keeps the NUL bytes

struct Outcome {
  std::vector<kg::Article> articles;
  std::vector<std::string> problems;
  uint64_t fast_lines = 0;  // ReaderStats::json_fast_path_lines
};

Outcome ReadLines(const std::string& content, bool fast_path, int max_depth = 64) {
  kg::testing::TempDir dir;
  auto path = dir.path() / "lines.jsonl";
  kg::testing::WriteFile(path, content);
  Outcome out;
  kg::ReaderOptions options;
  options.json_fast_path = fast_path;
  options.max_json_depth = max_depth;
  options.on_problem = [&](const kg::ReaderProblem& p) {
    // The temporary folder differs between the two reads: keep what follows the file name.
    std::string text = p.ToString();
    out.problems.push_back(text.substr(text.find("lines.jsonl")));
  };
  auto reader = kg::OpenDump({path.string()}, options);
  REQUIRE(reader.has_value());
  while (true) {
    auto next = (*reader)->Next();
    REQUIRE(next.has_value());
    if (!next->has_value()) break;
    kg::Article article = std::move(**next);
    article.origin = article.origin.substr(article.origin.find("lines.jsonl"));
    if (article.source.find("lines.jsonl") != std::string::npos) {
      article.source = article.source.substr(article.source.find("lines.jsonl"));
    }
    out.articles.push_back(std::move(article));
  }
  out.fast_lines = (*reader)->stats().json_fast_path_lines;
  return out;
}

std::string Describe(const kg::Article& a) {
  std::string out = "id=" + a.id + " title=" + a.title + " date=" + a.date + " source=" +
                    a.source + " origin=" + a.origin + " raw=" + std::to_string(a.raw_bytes) +
                    " enc=" + a.encoding.Name() + (a.encoding.had_bom ? "+bom" : "") +
                    " text=" + a.text;
  for (const auto& line : a.boilerplate) out += " | " + line;
  return out;
}

// Same articles and problems with and without the fast path; returns how many lines took it.
uint64_t CheckSame(const std::string& content, int max_depth = 64) {
  Outcome fast = ReadLines(content, true, max_depth);
  Outcome slow = ReadLines(content, false, max_depth);
  INFO(content);
  REQUIRE(slow.fast_lines == 0);
  REQUIRE(fast.problems == slow.problems);
  REQUIRE(fast.articles.size() == slow.articles.size());
  for (size_t i = 0; i < fast.articles.size(); ++i) {
    CHECK(Describe(fast.articles[i]) == Describe(slow.articles[i]));
  }
  return fast.fast_lines;
}

// `inner` wrapped in `levels` arrays: ["[[...inner...]]"].
std::string Nested(int levels, const std::string& inner) {
  return std::string(static_cast<size_t>(levels), '[') + inner +
         std::string(static_cast<size_t>(levels), ']');
}

const std::vector<std::string>& TrickyLines() {
  static const std::vector<std::string> lines = {
      // The common shape, with fields in other orders and unknown fields.
      R"({"id":"a1","title":"Abe meets Putin","date":"2016-12-16","url":"https://x.org/a","text":"Abe met Putin.\n\nThey talked."})",
      R"({"category":"business","file":"b/1.txt","text":"Rome is in Italy.","source":"BBC"})",
      R"(  {  "text" :  "Spaced out."  ,  "id" : 7 }  )",
      "{\"text\":\"Tabs\\tand\\r\\nCRLF.\"}\t\r",
      // Escapes: every simple one, \u in both cases, surrogate pairs, \u0000, escaped slash.
      R"({"text":"q\"b\\s\/b\bf\fn\nr\rt\t end","title":"\u00e9t\u00C9 \ud83d\ude00 \u20AC"})",
      R"({"text":"nul \u0000 inside","id":"\u0041\u0062"})",
      R"({"text\u0000key":"NUL in a key","text":"Body."})",
      R"({"text":"emoji \uD83D\uDE00 and \uDBFF\uDFFF"})",
      // Bad escapes and surrogates: nlohmann's errors.
      R"({"text":"lone high \ud800 here"})",
      R"({"text":"lone low \udc00 here"})",
      R"({"text":"high then text \ud800x"})",
      R"({"text":"high then bad low \ud800\u0041"})",
      R"({"text":"bad hex \u12G4"})",
      R"({"text":"short \u12"})",
      R"({"text":"bad escape \x41"})",
      R"({"text":"ends in backslash \)",
      "{\"text\":\"raw control \x01 byte\"}",
      "{\"text\":\"raw tab \t byte\"}",
      "{\"text\":\"raw NUL \0 byte\"}"s,
      "{\"text\":\"NUL after\"}\0"s,
      "{\"text\":\"NUL between\"}\0 "s,
      "\0{\"text\":\"NUL before\"}"s,
      // Keys: escaped, repeated (nlohmann keeps the last), empty.
      R"({"te\u0078t":"Escaped key."})",
      R"({"text":"First.","text":"Second."})",
      R"({"text":"First.","text":null})",
      R"({"text":null,"text":"Second."})",
      R"({"te\u0078t":"Escaped first.","text":"Plain second."})",
      R"({"text":"Plain first.","te\u0078t":"Escaped second."})",
      R"({"text":"Body.","title":"One","title":"Two"})",
      R"({"":"empty key","text":"Body."})",
      // Numbers, booleans and null in the named fields.
      R"({"text":"Body.","id":12345,"title":-42})",
      R"({"text":"Body.","id":-0,"title":0})",
      R"({"text":"Body.","id":1.5,"date":20161216})",
      R"({"text":"Body.","id":1e3,"title":2E-2})",
      R"({"text":"Body.","id":123456789012345678,"title":1234567890123456789})",
      R"({"text":"Body.","id":18446744073709551615,"title":18446744073709551616})",
      R"({"text":"Body.","id":-9223372036854775808,"title":-9223372036854775809})",
      R"({"text":"Body.","id":9223372036854775807,"title":9223372036854775808})",
      R"({"text":"Body.","id":123456789012345678901234567890})",
      R"({"text":"Body.","id":-0.0,"title":0.0})",
      R"({"text":"Body.","score":0.5})",
      R"({"text":"Body.","n":1e-999,"m":2.5e-324,"k":1.7976931348623157e308})",
      R"({"text":"Body.","n":1.8e308})",
      R"({"text":"Body.","meta":{"n":1e-999,"m":[1.5,-0.0,1E+2]}})",
      R"({"text":"Body.","meta":{"n":1E400}})",
      R"({"text":"Body.","id":true,"title":false,"url":null})",
      R"({"text":"Body.","id":null,"guid":"g-1","title":null,"headline":"Head"})",
      R"({"text":"Body.","n":1e999})",
      R"({"text":"Body.","n":01})",
      R"({"text":"Body.","n":-})",
      R"({"text":"Body.","n":+1})",
      R"({"text":"Body.","n":.5})",
      R"({"text":"Body.","n":1.})",
      R"({"text":"Body.","n":tru})",
      R"({"text":"Body.","n":truex})",
      R"({"text":"Body.","n":nul})",
      // The text field of another kind.
      R"({"text":12,"content":"Not this."})",
      R"({"text":null,"content":"This one."})",
      R"({"text":["a","b"]})",
      R"({"text":{"nested":"x"}})",
      R"({"text":true})",
      R"({"text":""})",
      R"({"body":"   "})",
      R"({"title":"No text"})",
      R"({})",
      // Nested objects and arrays in other fields.
      R"({"text":"Body.","tags":["a","b",1,true,null,{"k":[{"x":"\u00e9"}]}],"meta":{"a":{"b":{}}}})",
      R"({"text":"Body.","tags":[],"meta":{}})",
      R"({"text":"Body.","meta":{"k":"v","k":"w"}})",
      R"({"text":"Body.","meta":{"k":1.5e10}})",
      R"({"text":"Body.","meta":[1,2,]})",
      R"({"text":"Body.","meta":{"k" "v"}})",
      R"({"text":"Body.","meta":[[[[[[[[["deep"]]]]]]]]]})",
      // Syntax errors and other documents.
      R"({"text":"Body.",})",
      R"({"text":"Body." "id":"x"})",
      R"({"text":"Body."} trailing)",
      R"({"text":"Body."} {"text":"Two."})",
      R"({"text":"Body."}])",
      R"({"text":"Body."}})",
      R"({"text":"Body.")",
      R"({"text" "Body."})",
      R"({text:"Body."})",
      R"(["text","Body."])",
      R"("just a string")",
      R"(42)",
      R"(null)",
      R"(1.5)",
      R"([])",
      R"({"text":"Body.","c":"\u00"})",
      "{\"text\":\"Body.\",\"c\":\"\xEF\xBF\xBF \xF4\x8F\xBF\xBF\"}",
      // Windows-1252 and invalid bytes (repaired before parsing), a byte-order mark.
      "{\"text\":\"caf\xE9 \x93quoted\x94 \xFF\"}",
      "\xEF\xBB\xBF{\"text\":\"After a BOM.\"}",
      "{\"text\":\"Multi\\nline with boilerplate\\nShare this article\\nEnd.\"}",
      // Dates in the text and the date field.
      R"({"text":"Dec 16, 2016\n\nBody text here.","published":"2016-12-15T10:00:00Z"})",
      R"({"text":"December 16, 2016\n\nBody text here."})",
  };
  return lines;
}

// An id above INT64_MAX is printed as the unsigned number it is (it used to read as "-1").
TEST_CASE("JSON Lines integer ids keep their value on either path", "[core][reader][json]") {
  for (bool fast : {true, false}) {
    Outcome out = ReadLines(
        R"({"text":"Body.","id":18446744073709551615})" "\n"
        R"({"text":"Body 2.","id":-9223372036854775808})" "\n"
        R"({"text":"Body 3.","id":42})" "\n",
        fast);
    REQUIRE(out.articles.size() == 3);
    CHECK(out.articles[0].id == "18446744073709551615");
    CHECK(out.articles[1].id == "-9223372036854775808");
    CHECK(out.articles[2].id == "42");
  }
}

}  // namespace jsonl_fast_path_test

TEST_CASE("JSON Lines fast path: same articles and problems as nlohmann on tricky lines",
          "[core][reader][json]") {
  for (const std::string& line : jsonl_fast_path_test::TrickyLines()) {
    jsonl_fast_path_test::CheckSame(line + "\n");
  }
  // All at once: line numbers, ids from line numbers, blank lines between.
  std::string all;
  for (const std::string& line : jsonl_fast_path_test::TrickyLines()) all += line + "\n\n";
  jsonl_fast_path_test::CheckSame(all);
}

TEST_CASE("JSON Lines fast path: chosen field names and the depth limit", "[core][reader][json]") {
  // Depth: the object alone is 1 deep, each bracket inside one more.
  const std::string nested = R"({"text":"Body.","a":[{"b":[1]}]})" "\n";
  for (int depth : {0, 1, 2, 3, 4, 5}) jsonl_fast_path_test::CheckSame(nested, depth);
  jsonl_fast_path_test::CheckSame(R"({"text":"Body."})" "\n", 0);
  // simdjson does not count empty containers: at and around each limit, with the deepest
  // container empty or not.
  for (int depth : {0, 1, 2, 3, 4, 5, 6}) {
    for (int levels : {0, 1, 2, 3, 4, 5}) {
      for (const char* inner : {"1", "{}", "[]", R"({"k":[]})"}) {
        jsonl_fast_path_test::CheckSame(
            R"({"text":"Body.","a":)" + jsonl_fast_path_test::Nested(levels, inner) + "}\n",
            depth);
      }
    }
    jsonl_fast_path_test::CheckSame("{}\n", depth);
  }
  // Limits above the 1,024 levels the fast path keeps a stack for.
  jsonl_fast_path_test::CheckSame(
      R"({"text":"Body.","a":)" + jsonl_fast_path_test::Nested(1030, "1") + "}\n", 1040);
  jsonl_fast_path_test::CheckSame(
      R"({"text":"Body.","a":)" + jsonl_fast_path_test::Nested(1030, "1") + "}\n", 1030);
  // Chosen fields go through the same look-up on both paths.
  kg::testing::TempDir dir;
  auto path = dir.path() / "chosen.jsonl";
  kg::testing::WriteFile(
      path, R"({"story_text":"Chosen body.","text":"Not this.","hl":"Chosen title","when":"2016-12-16","link2":"u","key":99})"
            "\n"
            R"({"story_text":null,"text":"Not this."})"
            "\n");
  for (bool fast : {true, false}) {
    kg::ReaderOptions options;
    options.json_fast_path = fast;
    options.text_field = "story_text";
    options.title_field = "hl";
    options.date_field = "when";
    options.url_field = "link2";
    options.id_field = "key";
    std::vector<std::string> problems;
    options.on_problem = [&](const kg::ReaderProblem& p) { problems.push_back(p.reason); };
    auto reader = kg::OpenDump({path.string()}, options);
    REQUIRE(reader.has_value());
    auto first = (*reader)->Next();
    REQUIRE(first.has_value());
    REQUIRE(first->has_value());
    CHECK((*first)->text == "Chosen body.");
    CHECK((*first)->title == "Chosen title");
    CHECK((*first)->date == "2016-12-16");
    CHECK((*first)->source == "u");
    CHECK((*first)->id == "99");
    auto second = (*reader)->Next();
    REQUIRE(second.has_value());
    CHECK(!second->has_value());
    CHECK(problems == std::vector<std::string>{"no field \"story_text\""});
  }
}

TEST_CASE("JSON Lines fast path: same as nlohmann on 3,000 randomly damaged lines",
          "[core][reader][json]") {
  // Lines of the common shape with bytes replaced, inserted or deleted, from an alphabet rich
  // in JSON syntax, so both paths meet the same edge cases in many combinations.
  const std::vector<std::string>& seeds = jsonl_fast_path_test::TrickyLines();
  const std::string alphabet = "{}[]\",:\\/ubfnrt0123456789-+.eEaA \t\x01\xC3\xA9\xE2\x80\x99";
  std::mt19937 rng(20261129);
  std::string content;
  for (int n = 0; n < 3000; ++n) {
    std::string line = seeds[rng() % 6 == 0 ? rng() % seeds.size() : rng() % 6];
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      size_t at = rng() % line.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: line[at] = c; break;
        case 1: line.insert(line.begin() + static_cast<long>(at), c); break;
        default: line.erase(at, 1); break;
      }
    }
    std::erase(line, '\n');
    content += line + "\n";
  }
  CHECK(jsonl_fast_path_test::CheckSame(content) > 0);
}

TEST_CASE("JSON Lines fast path: lines of the usual shape take it, the others do not",
          "[core][reader][json]") {
  using jsonl_fast_path_test::CheckSame;
  // Taken (and the articles the same as nlohmann's, which CheckSame checks).
  for (const char* line : {
           R"({"id":"a1","title":"Abe","date":"2016-12-16","text":"Abe met Putin.\n\nThey met."})",
           R"({"text":"Body.","id":-42,"title":0,"tags":["a",{"b":[1.5,18446744073709551615]}]})",
           R"({"text":"q\"b\\s\/b \u00e9 \ud83d\ude00","ok":true,"no":null})",
           R"({"text":"First.","text":"Second."})",
           R"({"te\u0078t":"Escaped key."})",
           R"({"text":12,"content":"Not a string: a problem, not an article."})",
       }) {
    CHECK(CheckSame(std::string(line) + "\n") == 1);
  }
  CHECK(CheckSame(R"({"text":"Body.","a":[[]]})" "\n", 3) == 1);
  CHECK(CheckSame(R"({"text":"Body."})" "\n", 2) == 1);
  // Left to nlohmann: a top-level double or integer above INT64_MAX, not an object, a syntax
  // error, nesting at the limit, no depth allowed, a line longer than 1 MiB.
  CHECK(CheckSame(R"({"text":"Body."})" "\n", 1) == 0);
  for (const char* line : {R"({"text":"Body.","score":0.5})",
                           R"({"text":"Body.","n":9223372036854775808})", R"(["text","Body."])",
                           R"({"text":"Body.",})", R"({"text":"lone \ud800"})"}) {
    CHECK(CheckSame(std::string(line) + "\n") == 0);
  }
  CHECK(CheckSame(R"({"text":"Body.","a":[[1]]})" "\n", 3) == 0);
  CHECK(CheckSame(R"({"text":"Body."})" "\n", 0) == 0);
  const std::string long_text(1u << 20, 'x');
  CHECK(CheckSame(R"({"text":")" + long_text + "\"}\n") == 0);
  CHECK(CheckSame(R"({"text":")" + long_text.substr(100) + "\"}\n") == 1);
}
