// kg-inspect articles DUMP...: what kg would read from article dumps, without extracting or
// writing: articles and bytes per dump, encodings repaired, malformed lines, boilerplate
// stripped, titles and dates found, duplicates by content hash, and (with --db) which articles a
// store already has. --show N prints one article as kg sees it, split into sentences.

#include <cstdio>
#include <map>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "../kg/dump_options.h"
#include "command.h"
#include "kg/core/content_hash.h"
#include "kg/core/dump_reader.h"
#include "kg/core/text_pipeline.h"
#include "kg/store/graph_store.h"

namespace kg::cli {
namespace {

struct ArticlesArgs {
  DumpOptions dump;
  long show = 0;  // 1-based article number to print; 0 = none
  bool json = false;
  bool sentences = false;  // also split every article into sentences and tokens
  size_t max_problems = 50;
};

struct DumpReport {
  std::string path;
  uint64_t files = 0;
  uint64_t articles = 0;
  uint64_t raw_bytes = 0;
  uint64_t text_bytes = 0;
  std::map<std::string, uint64_t> encodings;  // name -> articles
  uint64_t windows1252_bytes = 0;
  uint64_t replaced_bytes = 0;
  uint64_t boilerplate_lines = 0;
  uint64_t with_title = 0;
  uint64_t with_date = 0;
  uint64_t duplicates = 0;
  uint64_t in_store = 0;
  uint64_t sentences = 0;
  uint64_t tokens = 0;
  std::vector<std::string> repaired;     // origins of articles that needed repair (first few)
  std::vector<std::string> problems;     // "where: reason"
  uint64_t problem_count = 0;
  std::vector<std::string> duplicate_examples;  // "b duplicates a"
};

void PrintShown(const Article& article) {
  std::string out;
  out += fmt::format("id       {}\ntitle    {}\ndate     {}\nsource   {}\norigin   {}\n", article.id,
                     article.title, article.date.empty() ? "(none)" : article.date,
                     article.source, article.origin);
  out += fmt::format("encoding {} ({} byte(s) read as Windows-1252, {} replaced)\n",
                     article.encoding.Name(), article.encoding.windows1252_bytes,
                     article.encoding.replaced_bytes);
  out += fmt::format("hash     {}\nbytes    {} raw, {} cleaned\n", ContentHash(article.text),
                     article.raw_bytes, article.text.size());
  out += fmt::format("boilerplate stripped ({} line(s)):\n", article.boilerplate.size());
  for (const std::string& line : article.boilerplate) out += "  | " + line + "\n";
  AnnotatedText annotated = AnnotateText(article.text);
  out += fmt::format("sentences ({}):\n", annotated.sentences.size());
  for (size_t i = 0; i < annotated.sentences.size(); ++i) {
    const Sentence& s = annotated.sentences[i];
    std::string text = article.text.substr(s.start, s.end - s.start);
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    out += fmt::format("  {:>3} [{},{}) {} tokens: {}\n", i + 1, s.start, s.end, s.tokens.size(),
                       text);
  }
  std::fputs(out.c_str(), stdout);
}

int RunArticles(Context& ctx, const ArticlesArgs& args, bool db_given) {
  std::unique_ptr<store::GraphStore> store;
  std::unique_ptr<store::ReadView> view;
  if (db_given) {
    store::OpenOptions open;
    open.mode = store::OpenMode::kReadOnly;
    Result<std::unique_ptr<store::GraphStore>> opened = store::GraphStore::Open(ctx.db_path, open);
    if (!opened) return Report(ctx, opened.error());
    store = std::move(*opened);
    view = store->NewReadView();
  }
  std::vector<DumpReport> reports;
  std::unordered_map<std::string, std::string> first_by_hash;
  long number = 0;
  for (const std::string& path : args.dump.paths) {
    DumpReport report;
    report.path = path;
    ReaderOptions options = args.dump.ToReaderOptions();
    options.on_problem = [&](const ReaderProblem& p) {
      ++report.problem_count;
      if (report.problems.size() < args.max_problems) report.problems.push_back(p.ToString());
    };
    Result<std::unique_ptr<DumpReader>> reader = OpenDump({path}, options);
    if (!reader) return Report(ctx, reader.error());
    while (true) {
      Result<std::optional<Article>> next = (*reader)->Next();
      if (!next) return Report(ctx, next.error());
      if (!next->has_value()) break;
      const Article& article = **next;
      ++number;
      if (args.show == number) PrintShown(article);
      ++report.articles;
      report.raw_bytes += article.raw_bytes;
      report.text_bytes += article.text.size();
      ++report.encodings[article.encoding.Name()];
      report.windows1252_bytes += article.encoding.windows1252_bytes;
      report.replaced_bytes += article.encoding.replaced_bytes;
      if (!article.encoding.valid_utf8() && report.repaired.size() < 10) {
        report.repaired.push_back(article.origin);
      }
      report.boilerplate_lines += article.boilerplate.size();
      if (!article.title.empty()) ++report.with_title;
      if (!article.date.empty()) ++report.with_date;
      std::string hash = ContentHash(article.text);
      auto [it, inserted] = first_by_hash.emplace(hash, article.origin);
      if (!inserted) {
        ++report.duplicates;
        if (report.duplicate_examples.size() < 10) {
          report.duplicate_examples.push_back(article.origin + " = " + it->second);
        }
      }
      if (view && view->GetDocumentByHash(hash).has_value()) ++report.in_store;
      if (args.sentences) {
        AnnotatedText annotated = AnnotateText(article.text);
        report.sentences += annotated.sentences.size();
        for (const Sentence& s : annotated.sentences) report.tokens += s.tokens.size();
      }
    }
    report.files = (*reader)->stats().files;
    reports.push_back(std::move(report));
  }
  if (args.show > 0) {
    if (args.show > number) {
      return Report(ctx, Status::InvalidArgument(fmt::format(
                             "--show {}: the dumps hold only {} article(s)", args.show, number)));
    }
    return 0;
  }
  if (view && !view->status().ok()) return Report(ctx, view->status());
  if (args.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const DumpReport& r : reports) {
      nlohmann::ordered_json j{{"path", r.path},
                               {"files", r.files},
                               {"articles", r.articles},
                               {"raw_bytes", r.raw_bytes},
                               {"text_bytes", r.text_bytes},
                               {"encodings", r.encodings},
                               {"windows1252_bytes", r.windows1252_bytes},
                               {"replaced_bytes", r.replaced_bytes},
                               {"repaired", r.repaired},
                               {"boilerplate_lines", r.boilerplate_lines},
                               {"with_title", r.with_title},
                               {"with_date", r.with_date},
                               {"duplicates", r.duplicates},
                               {"duplicate_examples", r.duplicate_examples},
                               {"problems", r.problem_count},
                               {"problem_lines", r.problems}};
      if (db_given) j["in_store"] = r.in_store;
      if (args.sentences) {
        j["sentences"] = r.sentences;
        j["tokens"] = r.tokens;
      }
      out.push_back(std::move(j));
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::string out;
  for (const DumpReport& r : reports) {
    out += fmt::format("{}\n", r.path);
    out += fmt::format("  files read          {:>9}\n", r.files);
    out += fmt::format("  articles            {:>9}\n", r.articles);
    out += fmt::format("  bytes               {:>9} raw, {} cleaned text\n", r.raw_bytes,
                       r.text_bytes);
    std::string encodings;
    for (const auto& [name, count] : r.encodings) {
      encodings += fmt::format("{}{} {}", encodings.empty() ? "" : ", ", name, count);
    }
    out += fmt::format("  encodings           {}", encodings.empty() ? "-" : encodings);
    if (r.windows1252_bytes + r.replaced_bytes > 0) {
      out += fmt::format("  ({} byte(s) read as Windows-1252, {} replaced by U+FFFD)",
                         r.windows1252_bytes, r.replaced_bytes);
    }
    out += "\n";
    for (const std::string& origin : r.repaired) out += "    repaired: " + origin + "\n";
    out += fmt::format("  boilerplate lines   {:>9} stripped\n", r.boilerplate_lines);
    if (args.sentences) {
      out += fmt::format("  sentences           {:>9} ({} tokens)\n", r.sentences, r.tokens);
    }
    out += fmt::format("  titles found        {:>9}\n", r.with_title);
    out += fmt::format("  dates found         {:>9}\n", r.with_date);
    out += fmt::format("  duplicates          {:>9} (same content hash as an earlier article)\n",
                       r.duplicates);
    for (const std::string& d : r.duplicate_examples) out += "    " + d + "\n";
    if (db_given) {
      out += fmt::format("  already in {}  {:>9}\n", ctx.db_path, r.in_store);
    }
    out += fmt::format("  skipped (bad)       {:>9}\n", r.problem_count);
    for (const std::string& p : r.problems) out += "    " + p + "\n";
    if (r.problem_count > r.problems.size()) {
      out += fmt::format("    ... {} more\n", r.problem_count - r.problems.size());
    }
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

Registrar register_articles("kg-inspect", "articles", [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ArticlesArgs>();
  CLI::App* sub = app.add_subcommand(
      "articles",
      "Read article dumps without extracting or writing: counts, encodings, malformed lines, "
      "boilerplate, duplicates; with --db, which are already stored");
  args->dump.AddTo(sub);
  sub->add_option("--show", args->show,
                  "Print article N (1-based, in reading order) as kg sees it, in sentences");
  sub->add_flag("--json", args->json, "Print the report as JSON");
  sub->add_flag("--sentences", args->sentences,
                "Also split every article into sentences and tokens and count them");
  CLI::App* root = &app;
  sub->callback([&ctx, args, root] {
    bool db_given = root->get_option("--db")->count() > 0;
    ctx.exit_code = RunArticles(ctx, *args, db_given);
  });
});

}  // namespace
}  // namespace kg::cli
