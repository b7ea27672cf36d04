// kg-inspect doc ID: a stored document (by numeric id, external id or content hash) with its
// metadata and text; --format json prints one object.
#include <charconv>
#include <iostream>
#include <memory>

#include "command.h"
#include "kg/store/graph_store.h"
#include "kg/store/report.h"

namespace kg::cli {
namespace {

struct DocOptions {
  std::string id;
  std::string format = "text";
};

Status Run(const Context& ctx, const DocOptions& opt) {
  store::OpenOptions open;
  open.mode = store::OpenMode::kReadOnly;
  auto opened = store::GraphStore::Open(ctx.db_path, open);
  if (!opened) return opened.error();
  auto view = (*opened)->NewReadView();
  std::optional<store::Document> doc;
  uint64_t number = 0;
  auto r = std::from_chars(opt.id.data(), opt.id.data() + opt.id.size(), number);
  if (r.ec == std::errc() && r.ptr == opt.id.data() + opt.id.size()) doc = view->GetDocument(number);
  if (!doc) doc = view->GetDocumentByExternalId(opt.id);
  if (!doc) doc = view->GetDocumentByHash(opt.id);
  KG_RETURN_IF_ERROR(view->status());
  if (!doc) return Status::NotFound("no document with id, external id or hash '" + opt.id + "'");
  if (opt.format == "json") {
    std::cout << store::DocumentToJson(*doc).dump(2, ' ', false,
                                                  nlohmann::json::error_handler_t::replace)
              << "\n";
    return Status::Ok();
  }
  std::cout << "document " << doc->id << "\n"
            << "  external id  " << doc->external_id << "\n"
            << "  source       " << doc->source << "\n"
            << "  title        " << doc->title << "\n"
            << "  date         " << doc->date << "\n"
            << "  content hash " << doc->content_hash << "\n"
            << "  ingested     " << doc->ingest_time << " (Unix time)\n"
            << "  text         " << doc->text.size() << " bytes\n\n"
            << doc->text << "\n";
  return Status::Ok();
}

Registrar register_doc("kg-inspect", "doc", [](CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<DocOptions>();
  auto* sub = app.add_subcommand("doc", "Show a stored document");
  sub->add_option("id", opt->id, "document id, external id or content hash")->required();
  sub->add_option("--format", opt->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([&ctx, opt] { ctx.exit_code = Report(ctx, Run(ctx, *opt)); });
});

}  // namespace
}  // namespace kg::cli
