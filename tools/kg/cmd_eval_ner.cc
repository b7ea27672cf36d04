// kg eval ner FILE [--model PATH] [--format text|json] [--repeat N]: conlleval-style scores of
// the NER tagger on a CoNLL-2003 file, and its speed (one thread, model loaded, timing covers
// tagging only; with --repeat the fastest pass counts).
#include <time.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.h"
#include "eval_command.h"
#include "kg/core/conll.h"
#include "kg/core/data_path.h"
#include "kg/core/ner_tagger.h"

namespace kg::cli {
namespace {

// CPU time of this thread: steadier than wall time on a loaded machine.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct EvalNerOptions {
  std::string file;
  std::string model;
  std::string format = "text";
  int repeat = 1;
};

Status Run(const EvalNerOptions& opt) {
  auto docs = ReadConll(opt.file);
  KG_RETURN_IF_ERROR(docs.status());
  std::filesystem::path model_path =
      opt.model.empty() ? DataPath("models/ner.model") : std::filesystem::path(opt.model);
  auto tagger = NerTagger::Load(model_path);
  KG_RETURN_IF_ERROR(tagger.status());

  std::vector<std::vector<std::vector<std::string>>> inputs;
  size_t tokens = 0;
  for (const auto& doc : *docs) {
    auto& words = inputs.emplace_back();
    for (const auto& s : doc.sentences) {
      words.push_back(s.words);
      tokens += s.words.size();
    }
  }
  std::vector<std::vector<std::vector<std::string>>> predicted(inputs.size());
  double best_seconds = 0, best_cpu_seconds = 0;
  for (int pass = 0; pass < std::max(1, opt.repeat); ++pass) {
    auto start = std::chrono::steady_clock::now();
    double cpu_start = ThreadCpuSeconds();
    for (size_t d = 0; d < inputs.size(); ++d) predicted[d] = (*tagger)->TagDocumentIob(inputs[d]);
    double cpu = ThreadCpuSeconds() - cpu_start;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (pass == 0 || seconds < best_seconds) best_seconds = seconds;
    if (pass == 0 || cpu < best_cpu_seconds) best_cpu_seconds = cpu;
  }
  NerScorer scorer;
  for (size_t d = 0; d < inputs.size(); ++d) {
    for (size_t s = 0; s < predicted[d].size(); ++s) {
      scorer.Add((*docs)[d].sentences[s].tags, predicted[d][s]);
    }
  }
  double tps = best_seconds > 0 ? tokens / best_seconds : 0;
  double cpu_tps = best_cpu_seconds > 0 ? tokens / best_cpu_seconds : 0;

  if (opt.format == "json") {
    nlohmann::json out;
    out["overall"] = PrfJson(scorer.overall());
    out["types"] = nlohmann::json::object();
    for (const auto& [type, counts] : scorer.types()) out["types"][type] = PrfJson(counts);
    out["tokens"] = tokens;
    out["tokens_per_second"] = tps;
    out["tokens_per_cpu_second"] = cpu_tps;
    out["model"] = model_path.string();
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  const auto& all = scorer.overall();
  std::printf("processed %zu tokens with %zu phrases; found: %zu phrases; correct: %zu.\n", tokens,
              all.gold, all.predicted, all.correct);
  std::printf("%-8s %9s %9s %9s %7s %9s\n", "type", "precision", "recall", "F1", "gold",
              "predicted");
  for (const auto& [type, c] : scorer.types()) {
    std::printf("%-8s %9.2f %9.2f %9.2f %7zu %9zu\n", type.c_str(), c.precision(), c.recall(),
                c.f1(), c.gold, c.predicted);
  }
  std::printf("%-8s %9.2f %9.2f %9.2f %7zu %9zu\n", "overall", all.precision(), all.recall(),
              all.f1(), all.gold, all.predicted);
  std::printf(
      "speed: %.0f tokens/s wall, %.0f tokens per CPU second (one thread, tagging only, "
      "fastest of %d pass%s)\n",
      tps, cpu_tps, std::max(1, opt.repeat), opt.repeat > 1 ? "es" : "");
  return Status::Ok();
}

Registrar register_eval_ner("kg", "eval-ner", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<EvalNerOptions>();
  CLI::App* sub = EvalCommand(app).add_subcommand(
      "ner", "Score the NER tagger on a CoNLL-2003 file (conlleval-style P/R/F1) and time it");
  sub->add_option("file", opt->file, "CoNLL-2003 file (token POS chunk NER)")->required();
  sub->add_option("--model", opt->model, "NER model (default: models/ner.model)");
  sub->add_option("--format", opt->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("--repeat", opt->repeat, "timed passes; the fastest counts")
      ->check(CLI::Range(1, 100));
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(*opt)); });
});

}  // namespace
}  // namespace kg::cli
