// kg extract DUMP...: the reading and extraction of `kg ingest` without writing anything; prints
// what would be stored for each article (docs/EXTRACT.md).

#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "command.h"
#include "dump_options.h"
#include "ingest_sink.h"
#include "kg/core/dump_reader.h"
#include "kg/core/ingest_pipeline.h"
#include "kg/core/news_extractor.h"

namespace kg::cli {
namespace {

struct ExtractArgs {
  DumpOptions dump;
  std::string format = "text";
  int workers = 0;
  bool quiet = false;
};

int RunExtractCommand(Context& ctx, const ExtractArgs& args) {
  ProblemLog problems([&](const std::string& where, const std::string& reason) {
    if (!args.quiet) std::fprintf(stderr, "%s: skipped %s: %s\n", ctx.program.c_str(),
                                  where.c_str(), reason.c_str());
  });
  ReaderOptions reader_options = args.dump.ToReaderOptions();
  reader_options.on_problem = [&](const ReaderProblem& p) { problems.Add(p.where, p.reason); };
  Result<std::unique_ptr<DumpReader>> reader = OpenDump(args.dump.paths, reader_options);
  if (!reader) return Report(ctx, reader.error());
  Result<std::unique_ptr<Extractor>> extractor = NewNewsExtractor();
  if (!extractor) return Report(ctx, extractor.error());

  PrintSink sink(stdout, args.format == "json" ? PrintSink::Format::kJson
                                               : PrintSink::Format::kText);
  IngestOptions options;
  options.workers = args.workers;
  options.strict = args.dump.strict;
  options.problems = &problems;
  Result<IngestSummary> summary = RunIngest(**reader, **extractor, sink, options);
  std::fflush(stdout);
  if (!summary) return Report(ctx, summary.error());
  if (!args.quiet && summary->counters.bad > 0) {
    std::fprintf(stderr, "%s: %llu article(s) extracted, %llu bad item(s) skipped\n",
                 ctx.program.c_str(),
                 static_cast<unsigned long long>(summary->counters.ingested),
                 static_cast<unsigned long long>(summary->counters.bad));
  }
  return 0;
}

Registrar register_extract("kg", "extract", [](CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* sub = app.add_subcommand(
      "extract",
      "Read article dumps and print what `kg ingest` would store for each article, without "
      "writing anything");
  args->dump.AddTo(sub);
  sub->add_option("--format,-f", args->format,
                  "text (readable) or json (one object per article, docs/EXTRACT.md)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("--workers,-j", args->workers, "Extraction threads (default: all cores)");
  sub->add_flag("--quiet,-q", args->quiet, "Do not report skipped items on stderr");
  sub->callback([&ctx, args] { ctx.exit_code = RunExtractCommand(ctx, *args); });
});

}  // namespace
}  // namespace kg::cli
