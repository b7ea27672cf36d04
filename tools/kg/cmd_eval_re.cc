// kg eval re FILE [--format text|json] [--model PATH] [--ner-model PATH] [--guide-model PATH]
// [--gold-entities] [--k-best N] [--relation-weight W] [--no-place-completion]
// [--predictions PATH]: strict entity and
// relation scores on a CoNLL04 JSON file. Entities come from the CoNLL04 entity tagger
// (models/re-ner.model, stacked on models/ner.model) unless --gold-entities; relations from the
// relation classifier (models/re.model). With tagged entities the two are decoded jointly over
// the tagger's N best taggings (kg/core/conll04_joint.h; --k-best 1 = the best tagging, then
// the classifier), then Live_In and OrgBased_In are completed over "City , State" place pairs
// (CompleteCommaPlaces, unless --no-place-completion). A relation counts only when its type, both argument spans and both argument
// types match the gold standard.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.h"
#include "eval_command.h"
#include "kg/core/conll04.h"
#include "kg/core/conll04_joint.h"
#include "kg/core/conll04_tagger.h"
#include "kg/core/data_path.h"
#include "kg/core/relation_classifier.h"

namespace kg::cli {
namespace {

struct EvalReOptions {
  std::string file;
  std::string model;
  std::string ner_model;
  std::string guide_model;
  std::string format = "text";
  std::string predictions;  // where to write the predicted sentences (CoNLL04 JSON); optional
  bool gold_entities = false;
  Conll04JointOptions joint = DefaultConll04JointOptions();
};

nlohmann::json ScoresJson(const PrfCounts& overall, const std::map<std::string, PrfCounts>& types) {
  nlohmann::json out;
  out["overall"] = PrfJson(overall);
  out["types"] = nlohmann::json::object();
  for (const auto& [type, counts] : types) out["types"][type] = PrfJson(counts);
  return out;
}

void PrintTable(const char* title, const PrfCounts& overall,
                const std::map<std::string, PrfCounts>& types) {
  std::printf("%s\n%-12s %9s %9s %9s %7s %9s %7s\n", title, "type", "precision", "recall", "F1",
              "gold", "predicted", "correct");
  auto row = [](const std::string& name, const PrfCounts& c) {
    std::printf("%-12s %9.2f %9.2f %9.2f %7zu %9zu %7zu\n", name.c_str(), c.precision(),
                c.recall(), c.f1(), c.gold, c.predicted, c.correct);
  };
  for (const auto& [type, c] : types) row(type, c);
  row("overall", overall);
}

Status Run(const EvalReOptions& opt) {
  auto sentences = ReadConll04(opt.file);
  KG_RETURN_IF_ERROR(sentences.status());
  std::filesystem::path model_path =
      opt.model.empty() ? DataPath("models/re.model") : std::filesystem::path(opt.model);
  auto classifier = RelationClassifier::Load(model_path);
  KG_RETURN_IF_ERROR(classifier.status());
  std::unique_ptr<Conll04EntityTagger> tagger;
  std::filesystem::path ner_path = opt.ner_model.empty() ? DataPath("models/re-ner.model")
                                                        : std::filesystem::path(opt.ner_model);
  if (!opt.gold_entities) {
    auto loaded = Conll04EntityTagger::Load(ner_path, opt.guide_model);
    KG_RETURN_IF_ERROR(loaded.status());
    tagger = std::move(*loaded);
  }
  Conll04Scorer scorer;
  nlohmann::json predictions = nlohmann::json::array();
  auto keep = [&](const Conll04Sentence& s) {
    if (opt.predictions.empty()) return;
    nlohmann::json entities = nlohmann::json::array(), relations = nlohmann::json::array();
    for (const auto& e : s.entities) {
      entities.push_back({{"type", e.type}, {"start", e.start}, {"end", e.end}});
    }
    for (const auto& r : s.relations) {
      relations.push_back({{"type", r.type}, {"head", r.head}, {"tail", r.tail}});
    }
    predictions.push_back({{"tokens", s.tokens}, {"entities", entities}, {"relations", relations}});
  };
  for (const auto& gold : *sentences) {
    if (!opt.gold_entities) {
      Conll04Sentence predicted = ExtractConll04(gold.tokens, *tagger, **classifier, opt.joint);
      scorer.Add(gold, predicted);
      keep(predicted);
      continue;
    }
    Conll04Sentence predicted;
    predicted.tokens = gold.tokens;
    predicted.entities = gold.entities;
    for (const auto& r : (*classifier)->Predict(predicted.tokens, predicted.entities)) {
      Conll04Relation relation;
      relation.head = r.head;
      relation.tail = r.tail;
      relation.type = r.type;
      predicted.relations.push_back(std::move(relation));
    }
    if (opt.joint.complete_comma_places) {
      CompleteCommaPlaces(predicted.tokens, predicted.entities, &predicted.relations);
    }
    scorer.Add(gold, predicted);
    keep(predicted);
  }
  if (!opt.predictions.empty()) {
    std::ofstream out(opt.predictions, std::ios::trunc);
    out << predictions.dump(1) << "\n";
    if (!out) return Status::IOError("cannot write " + opt.predictions);
  }
  if (opt.format == "json") {
    nlohmann::json out;
    out["entities"] = ScoresJson(scorer.entities(), scorer.entity_types());
    out["relations"] = ScoresJson(scorer.relations(), scorer.relation_types());
    out["sentences"] = sentences->size();
    out["entity_source"] = opt.gold_entities ? "gold" : ner_path.string();
    out["model"] = model_path.string();
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  std::printf("%zu sentences; entities from %s\n\n", sentences->size(),
              opt.gold_entities ? "the gold standard" : ner_path.c_str());
  PrintTable("entities (strict: span and type)", scorer.entities(), scorer.entity_types());
  std::printf("\n");
  PrintTable("relations (strict: type, both spans and both entity types)", scorer.relations(),
             scorer.relation_types());
  return Status::Ok();
}

Registrar register_eval_re("kg", "eval-re", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<EvalReOptions>();
  auto* sub = EvalCommand(app).add_subcommand(
      "re", "Scores entity and relation extraction on a CoNLL04 JSON file");
  sub->add_option("file", opt->file, "CoNLL04 JSON (SpERT format)")->required();
  sub->add_option("--format", opt->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("--model", opt->model, "relation model (default models/re.model)");
  sub->add_option("--ner-model", opt->ner_model, "entity tagger (default models/re-ner.model)");
  sub->add_option("--guide-model", opt->guide_model,
                  "the CoNLL-2003 tagger a stacked entity tagger needs (default models/ner.model)");
  sub->add_flag("--gold-entities", opt->gold_entities,
                "score relations on the gold entities instead of tagged ones");
  sub->add_option("--predictions", opt->predictions,
                  "also write the predicted entities and relations there (CoNLL04 JSON)");
  sub->add_option("--k-best", opt->joint.k_best,
                  "joint decoding: entity taggings considered (1 = the best one only)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  sub->add_flag("!--no-place-completion", opt->joint.complete_comma_places,
                "do not complete Live_In/OrgBased_In over \"City , State\" place pairs "
                "(kg/core/conll04_joint.h)");
  sub->add_option("--relation-weight", opt->joint.relation_weight,
                  "joint decoding: weight of relation margins against the tagging score")
      ->capture_default_str();
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(*opt)); });
});

}  // namespace
}  // namespace kg::cli
