// kg ingest DUMP...: reads article dumps, extracts entities and relations, and stores them, one
// atomic batch per article. Idempotent and resumable (articles already stored are skipped).

#include <csignal>
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.h"
#include "dump_options.h"
#include "ingest_sink.h"
#include "kg/core/dump_reader.h"
#include "kg/core/ingest_pipeline.h"
#include "kg/core/news_extractor.h"
#include "kg/core/progress.h"
#include "kg/store/graph_store.h"

namespace kg::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnInterrupt(int) {
  g_interrupted.store(true);
  // A second Ctrl-C kills at once; what was committed stays committed.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

struct IngestArgs {
  DumpOptions dump;
  int workers = 0;
  bool quiet = false;
  std::string progress = "auto";
  std::string summary_format = "text";
  size_t max_problems_shown = 20;
};

void PrintSummary(const IngestSummary& summary, const std::string& format) {
  const IngestCounters& c = summary.counters;
  double rate = c.seconds > 0 ? static_cast<double>(c.articles_read) / c.seconds : 0;
  double mb_rate = c.seconds > 0 ? static_cast<double>(c.text_bytes) / c.seconds / 1e6 : 0;
  if (format == "json") {
    nlohmann::ordered_json j{{"articles_read", c.articles_read},
                             {"ingested", c.ingested},
                             {"skipped_present", c.skipped_present},
                             {"skipped_duplicate", c.skipped_duplicate},
                             {"bad", c.bad},
                             {"bad_reasons", summary.bad_reasons},
                             {"text_bytes", c.text_bytes},
                             {"entities_added", c.entities_added},
                             {"entities_merged", c.entities_merged},
                             {"edges_added", c.edges_added},
                             {"evidence_added", c.evidence_added},
                             {"seconds", c.seconds},
                             {"articles_per_second", rate},
                             {"mb_per_second", mb_rate},
                             {"interrupted", summary.cancelled}};
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  std::string out;
  out += fmt::format("{} in {:.1f} s\n", summary.cancelled ? "interrupted" : "done", c.seconds);
  out += fmt::format("  articles read       {:>9}  ({} of text)\n", c.articles_read,
                     ProgressPrinter::FormatBytes(static_cast<double>(c.text_bytes)));
  out += fmt::format("  ingested            {:>9}\n", c.ingested);
  out += fmt::format("  already stored      {:>9}\n", c.skipped_present);
  out += fmt::format("  duplicates in dump  {:>9}\n", c.skipped_duplicate);
  out += fmt::format("  bad, skipped        {:>9}", c.bad);
  if (!summary.bad_reasons.empty()) {
    std::string reasons;
    for (const auto& [reason, count] : summary.bad_reasons) {
      reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : "; ", reason, count);
    }
    out += "  (" + reasons + ")";
  }
  out += "\n";
  out += fmt::format("  entities            {:>9} new, {} merged into existing nodes\n",
                     c.entities_added, c.entities_merged);
  out += fmt::format("  edges               {:>9} new, {} evidence records\n", c.edges_added,
                     c.evidence_added);
  out += fmt::format("  throughput          {:>9.1f} articles/s, {:.2f} MB/s\n", rate, mb_rate);
  if (summary.cancelled) out += "  run `kg ingest` again with the same dumps to finish\n";
  std::fputs(out.c_str(), stdout);
}

int RunIngestCommand(Context& ctx, const IngestArgs& args) {
  ProgressPrinter::Mode mode = ProgressPrinter::Mode::kAuto;
  if (args.quiet || args.progress == "none") {
    mode = ProgressPrinter::Mode::kQuiet;
  } else if (args.progress == "bar") {
    mode = ProgressPrinter::Mode::kBar;
  } else if (args.progress == "lines") {
    mode = ProgressPrinter::Mode::kLines;
  }
  ProgressPrinter progress(stderr, mode, ctx.program + " ingest");
  size_t shown = 0;
  ProblemLog problems([&](const std::string& where, const std::string& reason) {
    if (args.quiet) return;
    if (shown < args.max_problems_shown) {
      progress.PrintLine(fmt::format("{}: skipped {}: {}", ctx.program, where, reason));
    } else if (shown == args.max_problems_shown) {
      progress.PrintLine(fmt::format("{}: more problems not shown (counted in the summary)",
                                     ctx.program));
    }
    ++shown;
  });
  ReaderOptions reader_options = args.dump.ToReaderOptions();
  reader_options.on_problem = [&](const ReaderProblem& p) { problems.Add(p.where, p.reason); };
  Result<std::unique_ptr<DumpReader>> reader = OpenDump(args.dump.paths, reader_options);
  if (!reader) return Report(ctx, reader.error());

  Result<std::unique_ptr<Extractor>> extractor = NewNewsExtractor();
  if (!extractor) return Report(ctx, extractor.error());

  Result<std::unique_ptr<store::GraphStore>> store = store::GraphStore::Open(ctx.db_path);
  if (!store) return Report(ctx, store.error());
  StoreSink sink(**store);

  IngestOptions options;
  options.workers = args.workers;
  options.strict = args.dump.strict;
  options.problems = &problems;
  options.on_progress = [&](const IngestCounters& counters) { progress.Update(counters); };
  options.cancel = &g_interrupted;
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  Result<IngestSummary> summary = RunIngest(**reader, **extractor, sink, options);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  progress.Finish();
  Status flushed = (*store)->Flush();
  if (!summary) return Report(ctx, summary.error());
  if (!flushed.ok()) return Report(ctx, flushed);
  PrintSummary(*summary, args.summary_format);
  return summary->cancelled ? 130 : 0;
}

Registrar register_ingest("kg", "ingest", [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* sub = app.add_subcommand(
      "ingest",
      "Read article dumps, extract entities and relations, and store them in --db "
      "(resumable: articles already stored are skipped)");
  args->dump.AddTo(sub);
  sub->add_option("--workers,-j", args->workers, "Extraction threads (default: all cores)");
  sub->add_flag("--quiet,-q", args->quiet, "No progress and no per-item messages");
  sub->add_option("--progress", args->progress,
                  "auto (a bar on a terminal, lines otherwise), bar, lines or none")
      ->check(CLI::IsMember({"auto", "bar", "lines", "none"}))
      ->capture_default_str();
  sub->add_option("--summary", args->summary_format, "Summary on stdout: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([&ctx, args] { ctx.exit_code = RunIngestCommand(ctx, *args); });
});

}  // namespace
}  // namespace kg::cli
