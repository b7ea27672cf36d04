#include "graph_export.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

// g++ 12 reports a false -Wmaybe-uninitialized inside Boost's edge iterator (boost::optional).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/graph/graphviz.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <fmt/format.h>

#include "kg/store/report.h"

namespace kg::exporting {
namespace {

using store::Direction;
using store::DocId;
using store::EdgeId;
using store::NodeId;

// ---------------------------------------------------------------------------------------------
// Output files.

// A file or standard output. Remembers the first write error; Close() reports it with the name.
class Output {
 public:
  static Result<std::unique_ptr<Output>> Open(const std::string& path) {
    if (path.empty() || path == "-") return std::unique_ptr<Output>(new Output("-", stdout));
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return Status::IOError(path + ": cannot write: " + std::strerror(errno));
    return std::unique_ptr<Output>(new Output(path, f));
  }
  ~Output() {
    if (f_ != stdout && f_ != nullptr) std::fclose(f_);
  }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void Write(std::string_view s) {
    if (!failed_ && std::fwrite(s.data(), 1, s.size(), f_) != s.size()) {
      failed_ = true;
      errno_ = errno;
    }
  }
  Status Close() {
    bool ok = !failed_ && std::fflush(f_) == 0;
    if (!ok && !failed_) errno_ = errno;
    if (f_ != stdout) {
      if (std::fclose(f_) != 0 && ok) {
        ok = false;
        errno_ = errno;
      }
      f_ = nullptr;
    }
    if (ok) return Status::Ok();
    return Status::IOError((name_ == "-" ? std::string("standard output") : name_) +
                           ": cannot write: " + std::strerror(errno_));
  }
  const std::string& name() const { return name_; }

 private:
  Output(std::string name, std::FILE* f) : name_(std::move(name)), f_(f) {}
  std::string name_;
  std::FILE* f_;
  bool failed_ = false;
  int errno_ = 0;
};

// A std::ostream target for Boost's writers that passes text on to an Output in 64 KiB pieces,
// so the written text is never held whole in memory.
class OutputBuffer final : public std::streambuf {
 public:
  explicit OutputBuffer(Output& out) : out_(out) { setp(buffer_, buffer_ + sizeof(buffer_)); }

 protected:
  int overflow(int c) override {
    sync();
    if (c != traits_type::eof()) {
      *pptr() = static_cast<char>(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    out_.Write(std::string_view(pbase(), static_cast<size_t>(pptr() - pbase())));
    setp(buffer_, buffer_ + sizeof(buffer_));
    return 0;
  }

 private:
  Output& out_;
  char buffer_[1 << 16];
};

Status MakeDirectory(const std::string& dir) {
  if (dir.empty() || dir == "-") {
    return Status::InvalidArgument("this format writes several files: give --out DIR");
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Ok();
    return Status::InvalidArgument(dir + " is not a directory");
  }
  if (::mkdir(dir.c_str(), 0777) != 0) {
    return Status::IOError(dir + ": cannot create directory: " + std::strerror(errno));
  }
  return Status::Ok();
}

std::string JoinPath(const std::string& dir, const std::string& file) {
  return dir.back() == '/' ? dir + file : dir + "/" + file;
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string FirstLabel(const store::Node& n) {
  if (n.labels.empty()) return "";
  return *std::min_element(n.labels.begin(), n.labels.end());
}

std::string JoinLabels(const store::Node& n, char sep) {
  std::string out;
  for (const auto& l : n.labels) {
    if (!out.empty()) out.push_back(sep);
    out += l;
  }
  return out;
}

// Properties other than name and aliases (which have their own columns).
nlohmann::json OtherProperties(const Properties& properties) {
  nlohmann::json out = nlohmann::json::object();
  if (!properties.is_object()) return out;
  for (auto it = properties.begin(); it != properties.end(); ++it) {
    if (it.key() != "name" && it.key() != "aliases") out[it.key()] = it.value();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Selection: which nodes and edges a filter keeps.

class Selection {
 public:
  bool all_nodes() const { return all_nodes_; }
  bool filtered() const { return !all_nodes_ || !types_.empty(); }
  const std::vector<NodeId>& nodes() const { return nodes_; }
  bool HasNode(NodeId id) const {
    return all_nodes_ || std::binary_search(nodes_.begin(), nodes_.end(), id);
  }
  bool KeepType(std::string_view type) const {
    return types_.empty() || types_.count(std::string(type)) > 0;
  }
  bool KeepEdge(const store::Edge& e) const {
    return KeepType(e.type) && HasNode(e.source) && HasNode(e.target);
  }

  static Result<Selection> Make(store::ReadView& view, const ExportOptions& options);

 private:
  void SetNodes(std::vector<NodeId> nodes) {
    std::sort(nodes.begin(), nodes.end());
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    nodes_ = std::move(nodes);
    all_nodes_ = false;
  }

  bool all_nodes_ = true;
  std::vector<NodeId> nodes_;  // sorted, when !all_nodes_
  std::set<std::string> types_;
};

Result<Selection> Selection::Make(store::ReadView& view, const ExportOptions& options) {
  Selection sel;
  sel.types_.insert(options.edge_types.begin(), options.edge_types.end());
  std::set<std::string> labels(options.labels.begin(), options.labels.end());
  if (!labels.empty()) {
    std::vector<NodeId> ids;
    for (const auto& label : labels) {
      auto some = view.NodesWithLabel(label);
      ids.insert(ids.end(), some.begin(), some.end());
    }
    sel.SetNodes(std::move(ids));
  }
  if (!options.around.empty()) {
    if (options.hops < 0) return Status::InvalidArgument("--hops must be 0 or more");
    std::vector<NodeId> roots;
    for (NodeId id : view.FindByName(options.around)) {
      if (sel.HasNode(id)) roots.push_back(id);
    }
    KG_RETURN_IF_ERROR(view.status());
    if (roots.empty()) {
      return Status::NotFound("no node named '" + options.around + "'" +
                              (labels.empty() ? "" : " with the given --label"));
    }
    std::unordered_set<NodeId> seen(roots.begin(), roots.end());
    std::vector<NodeId> frontier = roots;
    for (int hop = 0; hop < options.hops && !frontier.empty(); ++hop) {
      std::vector<NodeId> next;
      for (NodeId node : frontier) {
        view.ForEachEdgeRef(node, Direction::kBoth, {}, [&](const store::EdgeRef& ref) {
          if (sel.KeepType(ref.type) && sel.HasNode(ref.other) && seen.insert(ref.other).second) {
            next.push_back(ref.other);
          }
          return true;
        });
      }
      frontier = std::move(next);
    }
    KG_RETURN_IF_ERROR(view.status());
    sel.SetNodes(std::vector<NodeId>(seen.begin(), seen.end()));
  } else if (!sel.types_.empty()) {
    // Nodes at an end of a kept edge (and of a kept label, when --label is given).
    std::vector<NodeId> ends;
    view.ForEachEdge([&](const store::Edge& e) {
      if (sel.KeepEdge(e)) {
        ends.push_back(e.source);
        ends.push_back(e.target);
      }
      return true;
    });
    KG_RETURN_IF_ERROR(view.status());
    sel.SetNodes(std::move(ends));
  }
  return sel;
}

// Selected nodes in id order.
void ForEachNode(store::ReadView& view, const Selection& sel,
                 const std::function<bool(const store::Node&)>& fn) {
  if (sel.all_nodes()) {
    view.ForEachNode(fn);
    return;
  }
  for (NodeId id : sel.nodes()) {
    auto node = view.GetNode(id);
    if (node && !fn(*node)) return;
  }
}

// Kept edges: a full scan, or the out-edges of the selected nodes when a filter chose them.
void ForEachEdge(store::ReadView& view, const Selection& sel,
                 const std::function<bool(const store::Edge&)>& fn) {
  if (sel.all_nodes()) {
    view.ForEachEdge([&](const store::Edge& e) { return !sel.KeepEdge(e) || fn(e); });
    return;
  }
  for (NodeId id : sel.nodes()) {
    for (const auto& e : view.Edges(id, Direction::kOut)) {
      if (sel.KeepEdge(e) && !fn(e)) return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writers. The driver calls Begin, Node for each selected node, Edge for each kept edge, End.

class Writer {
 public:
  virtual ~Writer() = default;
  virtual Status Begin() { return Status::Ok(); }
  virtual Status Node(const store::Node& node) = 0;
  virtual Status Edge(const store::Edge& edge) = 0;
  virtual Status End(ExportSummary& summary) = 0;
};

// jsonl: the `kg-inspect dump` records (store/report.h), in its order: nodes, edges, evidence,
// documents. Filtered, only the evidence of kept nodes and edges and the documents it cites.
class JsonlWriter final : public Writer {
 public:
  JsonlWriter(store::ReadView& view, const Selection& sel, std::unique_ptr<Output> out)
      : view_(view), sel_(sel), out_(std::move(out)) {}

  Status Node(const store::Node& node) override {
    Emit(store::NodeToJson(node));
    return Status::Ok();
  }
  Status Edge(const store::Edge& edge) override {
    if (sel_.filtered()) edges_.insert(edge.id);
    Emit(store::EdgeToJson(edge));
    return Status::Ok();
  }
  Status End(ExportSummary& summary) override {
    std::unordered_set<DocId> docs;
    view_.ForEachEvidence([&](const store::Evidence& ev) {
      if (sel_.filtered()) {
        bool keep = ev.on_node ? sel_.HasNode(ev.edge_or_node) : edges_.count(ev.edge_or_node) > 0;
        if (!keep) return true;
        if (ev.doc != store::kNoId) docs.insert(ev.doc);
      }
      Emit(store::EvidenceToJson(ev));
      ++summary.evidence;
      return true;
    });
    view_.ForEachDocument([&](const store::Document& d) {
      if (sel_.filtered() && docs.count(d.id) == 0) return true;
      Emit(store::DocumentToJson(d, true));
      ++summary.documents;
      return true;
    });
    summary.files.push_back(out_->name());
    return out_->Close();
  }

 private:
  void Emit(const nlohmann::json& j) {
    std::string line = Dump(j);
    line.push_back('\n');
    out_->Write(line);
  }

  store::ReadView& view_;
  const Selection& sel_;
  std::unique_ptr<Output> out_;
  std::unordered_set<EdgeId> edges_;
};

// graphml and dot: through Boost.Graph's writers, so the selection is built in memory first.
class BoostWriter final : public Writer {
 public:
  BoostWriter(bool graphml, std::unique_ptr<Output> out)
      : graphml_(graphml), out_(std::move(out)) {}

  Status Node(const store::Node& node) override {
    VertexProps p;
    p.node_id = "n" + std::to_string(node.id);
    p.kg_id = static_cast<long>(node.id);
    p.labels = JoinLabels(node, ';');
    p.name = node.name();
    p.aliases = Dump(node.properties.is_object() && node.properties.contains("aliases")
                         ? node.properties["aliases"]
                         : nlohmann::json::array());
    p.properties = Dump(OtherProperties(node.properties));
    vertex_of_[node.id] = boost::add_vertex(std::move(p), graph_);
    return Status::Ok();
  }
  Status Edge(const store::Edge& edge) override {
    auto s = vertex_of_.find(edge.source);
    auto t = vertex_of_.find(edge.target);
    if (s == vertex_of_.end() || t == vertex_of_.end()) return Status::Ok();
    EdgeProps p;
    p.kg_id = static_cast<long>(edge.id);
    p.type = edge.type;
    p.evidence_count = static_cast<long>(edge.evidence_count);
    p.properties = Dump(edge.properties);
    boost::add_edge(s->second, t->second, std::move(p), graph_);
    return Status::Ok();
  }
  Status End(ExportSummary& summary) override {
    OutputBuffer buffer(*out_);
    std::ostream text(&buffer);
    boost::dynamic_properties dp(boost::ignore_other_properties);
    if (graphml_) {
      dp.property("kg_id", boost::get(&VertexProps::kg_id, graph_));
      dp.property("labels", boost::get(&VertexProps::labels, graph_));
      dp.property("name", boost::get(&VertexProps::name, graph_));
      dp.property("aliases", boost::get(&VertexProps::aliases, graph_));
      dp.property("properties", boost::get(&VertexProps::properties, graph_));
      dp.property("kg_id", boost::get(&EdgeProps::kg_id, graph_));
      dp.property("type", boost::get(&EdgeProps::type, graph_));
      dp.property("evidence_count", boost::get(&EdgeProps::evidence_count, graph_));
      dp.property("properties", boost::get(&EdgeProps::properties, graph_));
      boost::write_graphml(text, graph_, boost::get(boost::vertex_index, graph_), dp, true);
    } else {
      dp.property("node_id", boost::get(&VertexProps::node_id, graph_));
      dp.property("label", boost::get(&VertexProps::name, graph_));
      dp.property("kg_labels", boost::get(&VertexProps::labels, graph_));
      dp.property("label", boost::get(&EdgeProps::type, graph_));
      dp.property("evidence_count", boost::get(&EdgeProps::evidence_count, graph_));
      boost::write_graphviz_dp(text, graph_, dp, "node_id");
    }
    text.flush();
    summary.files.push_back(out_->name());
    return out_->Close();
  }

 private:
  struct VertexProps {
    std::string node_id;
    long kg_id = 0;
    std::string labels, name, aliases, properties;
  };
  struct EdgeProps {
    long kg_id = 0;
    std::string type;
    long evidence_count = 0;
    std::string properties;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexProps,
                                      EdgeProps>;

  bool graphml_;
  std::unique_ptr<Output> out_;
  Graph graph_;
  std::unordered_map<NodeId, Graph::vertex_descriptor> vertex_of_;
};

// kuzu-csv: one node table Entity (label as a column) and one rel table per edge type, plus
// schema.cypher with the CREATE and COPY statements (run it from the export directory).
class KuzuWriter final : public Writer {
 public:
  explicit KuzuWriter(std::string dir) : dir_(std::move(dir)) {}

  Status Begin() override {
    KG_RETURN_IF_ERROR(MakeDirectory(dir_));
    auto nodes = Output::Open(JoinPath(dir_, "nodes.csv"));
    if (!nodes) return nodes.error();
    nodes_ = std::move(*nodes);
    nodes_->Write("id,label,name,aliases,properties\n");
    return Status::Ok();
  }
  Status Node(const store::Node& node) override {
    nlohmann::json aliases = node.properties.is_object() && node.properties.contains("aliases")
                                 ? node.properties["aliases"]
                                 : nlohmann::json::array();
    nodes_->Write(fmt::format("{},{},{},{},{}\n", node.id, CsvField(FirstLabel(node)),
                              CsvField(node.name()), CsvField(Dump(aliases)),
                              CsvField(Dump(OtherProperties(node.properties)))));
    return Status::Ok();
  }
  Status Edge(const store::Edge& edge) override {
    auto it = rels_.find(edge.type);
    if (it == rels_.end()) {
      std::string file = "rel_" + SafeFileName(edge.type) + ".csv";
      auto out = Output::Open(JoinPath(dir_, file));
      if (!out) return out.error();
      (*out)->Write("from,to,id,evidence_count,properties\n");
      it = rels_.emplace(edge.type, Rel{file, std::move(*out)}).first;
    }
    it->second.out->Write(fmt::format("{},{},{},{},{}\n", edge.source, edge.target, edge.id,
                                      edge.evidence_count, CsvField(Dump(edge.properties))));
    return Status::Ok();
  }
  Status End(ExportSummary& summary) override {
    KG_RETURN_IF_ERROR(nodes_->Close());
    summary.files.push_back(nodes_->name());
    std::string schema =
        "// Kùzu schema and bulk load for this export (kg export --format kuzu-csv).\n"
        "// Run from this directory, e.g. kuzu ./graph.kuzu < schema.cypher\n"
        "CREATE NODE TABLE Entity(id INT64, label STRING, name STRING, aliases STRING, "
        "properties STRING, PRIMARY KEY (id));\n";
    std::string copies = "COPY Entity FROM 'nodes.csv' (HEADER=true);\n";
    for (auto& [type, rel] : rels_) {
      KG_RETURN_IF_ERROR(rel.out->Close());
      summary.files.push_back(rel.out->name());
      schema += fmt::format(
          "CREATE REL TABLE `{}`(FROM Entity TO Entity, id INT64, evidence_count INT64, "
          "properties STRING);\n",
          type);
      copies += fmt::format("COPY `{}` FROM '{}' (HEADER=true);\n", type, rel.file);
    }
    auto out = Output::Open(JoinPath(dir_, "schema.cypher"));
    if (!out) return out.error();
    (*out)->Write(schema + copies);
    summary.files.push_back((*out)->name());
    return (*out)->Close();
  }

 private:
  // The type itself when it is a plain identifier, else a sanitised form plus a hash (distinct
  // types must not share a file).
  static std::string SafeFileName(const std::string& type) {
    std::string out;
    for (char c : type) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    if (out == type && !out.empty()) return out;
    return out + "_" + fmt::format("{:08x}", Fnv1a(type) & 0xffffffffu);
  }
  static uint64_t Fnv1a(std::string_view s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
  }
  struct Rel {
    std::string file;
    std::unique_ptr<Output> out;
  };
  std::string dir_;
  std::unique_ptr<Output> nodes_;
  std::map<std::string, Rel> rels_;
};

// neo4j-csv: nodes.csv and relationships.csv with neo4j-admin's header conventions.
class Neo4jWriter final : public Writer {
 public:
  explicit Neo4jWriter(std::string dir) : dir_(std::move(dir)) {}

  Status Begin() override {
    KG_RETURN_IF_ERROR(MakeDirectory(dir_));
    auto nodes = Output::Open(JoinPath(dir_, "nodes.csv"));
    if (!nodes) return nodes.error();
    nodes_ = std::move(*nodes);
    auto rels = Output::Open(JoinPath(dir_, "relationships.csv"));
    if (!rels) return rels.error();
    rels_ = std::move(*rels);
    nodes_->Write("kg_id:ID,:LABEL,name,aliases:string[],properties\n");
    rels_->Write(":START_ID,:END_ID,:TYPE,kg_id:long,evidence_count:long,properties\n");
    return Status::Ok();
  }
  Status Node(const store::Node& node) override {
    std::string aliases;
    for (const auto& a : node.aliases()) {
      if (!aliases.empty()) aliases.push_back(';');  // neo4j-admin's default --array-delimiter
      aliases += a;
    }
    nodes_->Write(fmt::format("{},{},{},{},{}\n", node.id, CsvField(JoinLabels(node, ';')),
                              CsvField(node.name()), CsvField(aliases),
                              CsvField(Dump(OtherProperties(node.properties)))));
    return Status::Ok();
  }
  Status Edge(const store::Edge& edge) override {
    rels_->Write(fmt::format("{},{},{},{},{},{}\n", edge.source, edge.target,
                             CsvField(edge.type), edge.id, edge.evidence_count,
                             CsvField(Dump(edge.properties))));
    return Status::Ok();
  }
  Status End(ExportSummary& summary) override {
    KG_RETURN_IF_ERROR(nodes_->Close());
    KG_RETURN_IF_ERROR(rels_->Close());
    summary.files.push_back(nodes_->name());
    summary.files.push_back(rels_->name());
    return Status::Ok();
  }

 private:
  std::string dir_;
  std::unique_ptr<Output> nodes_, rels_;
};

// ntriples and turtle. Vocabulary under the base IRI B:
//   node         B node/<Label>/<name>     (percent-encoded: stable across stores)
//   class        B label/<Label>           relation  B rel/<TYPE>     property  B prop/<key>
//   schema       B schema/<term>           edge      B edge/<hash of its end IRIs and type>
//   evidence     B evidence/<edge hash>/<n>           document  B doc/<content hash>
// Each edge is a direct triple (s rel o) for traversal plus a standard reification
// (rdf:Statement) carrying its evidence count, properties and evidence resources: plain RDF 1.1,
// which Oxigraph and Jena load without RDF-star support.
class RdfWriter final : public Writer {
 public:
  RdfWriter(store::ReadView& view, const ExportOptions& options, bool turtle,
            std::unique_ptr<Output> out)
      : view_(view),
        base_(options.base_iri),
        evidence_(options.rdf_evidence),
        turtle_(turtle),
        out_(std::move(out)) {}

  Status Begin() override {
    if (turtle_) {
      out_->Write(fmt::format(
          "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
          "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
          "@prefix kg: <{0}schema/> .\n@prefix kgl: <{0}label/> .\n@prefix kgr: <{0}rel/> .\n"
          "@prefix kgp: <{0}prop/> .\n\n",
          base_));
    }
    return Status::Ok();
  }

  Status Node(const store::Node& node) override {
    Subject(NodeIri(node));
    for (const auto& label : node.labels) Add(kRdfType, Iri(base_ + "label/" + IriEscape(label)));
    if (node.properties.is_object()) {
      for (auto it = node.properties.begin(); it != node.properties.end(); ++it) {
        std::string predicate = it.key() == "name"      ? Schema("name")
                                : it.key() == "aliases" ? Schema("alias")
                                                        : Prop(it.key());
        AddValue(predicate, it.value());
      }
    }
    EndSubject();
    return Status::Ok();
  }

  Status Edge(const store::Edge& edge) override {
    auto source = NodeIriOf(edge.source);
    auto target = NodeIriOf(edge.target);
    if (source.empty() || target.empty()) return view_.status();
    std::string rel = Iri(base_ + "rel/" + IriEscape(edge.type));
    Subject(source);
    Add(rel, target);
    EndSubject();
    std::string hash =
        fmt::format("{:016x}", Fnv1a(source + "\t" + edge.type + "\t" + target));
    std::string edge_iri = Iri(base_ + "edge/" + hash);
    Subject(edge_iri);
    Add(kRdfType, kRdfStatement);
    Add(Iri(std::string(kRdf) + "subject"), source);
    Add(Iri(std::string(kRdf) + "predicate"), rel);
    Add(Iri(std::string(kRdf) + "object"), target);
    Add(Schema("evidenceCount"), Integer(static_cast<int64_t>(edge.evidence_count)));
    if (edge.properties.is_object()) {
      for (auto it = edge.properties.begin(); it != edge.properties.end(); ++it) {
        AddValue(Prop(it.key()), it.value());
      }
    }
    std::vector<store::Evidence> evidence;
    if (evidence_) {
      view_.ForEachEdgeEvidence(edge.id, [&](const store::Evidence& ev) {
        evidence.push_back(ev);
        return true;
      });
      for (size_t i = 0; i < evidence.size(); ++i) {
        Add(Schema("evidence"), Iri(base_ + "evidence/" + hash + "/" + std::to_string(i)));
      }
    }
    EndSubject();
    for (size_t i = 0; i < evidence.size(); ++i) {
      const auto& ev = evidence[i];
      std::string doc = DocumentIri(ev.doc);  // may write the document's triples: before Subject
      Subject(Iri(base_ + "evidence/" + hash + "/" + std::to_string(i)));
      Add(kRdfType, Schema("Evidence"));
      Add(Schema("sentence"), Literal(ev.sentence));
      Add(Schema("start"), Integer(ev.start));
      Add(Schema("end"), Integer(ev.end));
      Add(Schema("rule"), Literal(ev.rule));
      Add(Schema("confidence"), Double(ev.confidence));
      if (!doc.empty()) Add(Schema("document"), doc);
      EndSubject();
      ++evidence_count_;
    }
    return view_.status();
  }

  Status End(ExportSummary& summary) override {
    summary.evidence = evidence_count_;
    summary.documents = documents_.size();
    summary.files.push_back(out_->name());
    KG_RETURN_IF_ERROR(view_.status());
    return out_->Close();
  }

 private:
  static constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
  static constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";
  const std::string kRdfType = Iri(std::string(kRdf) + "type");
  const std::string kRdfStatement = Iri(std::string(kRdf) + "Statement");

  static uint64_t Fnv1a(std::string_view s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
  }
  static std::string Iri(const std::string& iri) { return "<" + iri + ">"; }
  std::string Schema(const char* term) const { return Iri(base_ + "schema/" + term); }
  std::string Prop(const std::string& key) const { return Iri(base_ + "prop/" + IriEscape(key)); }
  static std::string Literal(std::string_view s) { return "\"" + RdfEscape(s) + "\""; }
  static std::string Integer(int64_t v) {
    return fmt::format("\"{}\"^^<{}integer>", v, kXsd);
  }
  static std::string Double(double v) {
    return fmt::format("\"{}\"^^<{}double>", v, kXsd);
  }

  std::string NodeIri(const store::Node& node) const {
    std::string name = node.name();
    if (name.empty()) return Iri(base_ + "node/_id/" + std::to_string(node.id));
    return Iri(base_ + "node/" + IriEscape(FirstLabel(node)) + "/" + IriEscape(name));
  }
  // Looks the end node up (a point read; RocksDB's block cache keeps hubs hot).
  std::string NodeIriOf(NodeId id) {
    auto node = view_.GetNode(id);
    return node ? NodeIri(*node) : std::string();
  }
  std::string DocumentIri(DocId id) {
    if (id == store::kNoId) return "";
    auto it = documents_.find(id);
    if (it != documents_.end()) return it->second;
    auto doc = view_.GetDocument(id);
    if (!doc) return "";
    std::string iri = Iri(base_ + "doc/" + IriEscape(doc->content_hash));
    documents_.emplace(id, iri);
    Subject(iri);
    Add(kRdfType, Schema("Document"));
    Add(Schema("externalId"), Literal(doc->external_id));
    Add(Schema("title"), Literal(doc->title));
    if (!doc->date.empty()) Add(Schema("date"), Literal(doc->date));
    Add(Schema("source"), Literal(doc->source));
    Add(Schema("contentHash"), Literal(doc->content_hash));
    EndSubject();
    return iri;
  }

  void AddValue(const std::string& predicate, const nlohmann::json& v) {
    if (v.is_array()) {
      for (const auto& item : v) AddValue(predicate, item);
    } else if (v.is_string()) {
      Add(predicate, Literal(v.get<std::string>()));
    } else if (v.is_boolean()) {
      Add(predicate, fmt::format("\"{}\"^^<{}boolean>", v.get<bool>(), kXsd));
    } else if (v.is_number_integer()) {
      Add(predicate, v.is_number_unsigned() ? fmt::format("\"{}\"^^<{}integer>",
                                                          v.get<uint64_t>(), kXsd)
                                            : Integer(v.get<int64_t>()));
    } else if (v.is_number()) {
      Add(predicate, Double(v.get<double>()));
    } else if (!v.is_null()) {
      Add(predicate, Literal(Dump(v)));
    }
  }

  // Triples are written per subject: N-Triples repeats it, Turtle uses ';' lists.
  void Subject(std::string s) {
    subject_ = std::move(s);
    first_ = true;
  }
  void Add(const std::string& predicate, const std::string& object) {
    if (!turtle_) {
      out_->Write(subject_ + " " + predicate + " " + object + " .\n");
    } else if (first_) {
      out_->Write(subject_ + " " + Short(predicate) + " " + ShortObject(object));
    } else {
      out_->Write(" ;\n    " + Short(predicate) + " " + ShortObject(object));
    }
    first_ = false;
  }
  void EndSubject() {
    if (turtle_ && !first_) out_->Write(" .\n");
    first_ = true;
  }
  std::string ShortObject(const std::string& object) const {
    if (object.empty() || object[0] != '<' || object == kRdfType) return object;
    return Short(object);
  }
  // Turtle: "a" for rdf:type and prefixed names where the local part allows it.
  std::string Short(const std::string& iri) const {
    if (iri == kRdfType) return "a";
    static const std::pair<const char*, const char*> kPrefixes[] = {
        {"schema/", "kg:"}, {"label/", "kgl:"}, {"rel/", "kgr:"}, {"prop/", "kgp:"}};
    std::string_view body(iri);
    body = body.substr(1, body.size() - 2);
    if (body.substr(0, base_.size()) != base_) return iri;
    body.remove_prefix(base_.size());
    for (const auto& [path, prefix] : kPrefixes) {
      std::string_view p(path);
      if (body.substr(0, p.size()) != p) continue;
      std::string_view local = body.substr(p.size());
      bool ok = !local.empty() && std::isalpha(static_cast<unsigned char>(local[0]));
      for (char c : local) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      return ok ? std::string(prefix) + std::string(local) : iri;
    }
    return iri;
  }

  store::ReadView& view_;
  std::string base_;
  bool evidence_;
  bool turtle_;
  std::unique_ptr<Output> out_;
  std::string subject_;
  bool first_ = true;
  uint64_t evidence_count_ = 0;
  std::unordered_map<DocId, std::string> documents_;
};

}  // namespace

const std::vector<std::string>& FormatNames() {
  static const std::vector<std::string> kNames = {"graphml",  "dot",    "kuzu-csv", "neo4j-csv",
                                                  "ntriples", "turtle", "jsonl"};
  return kNames;
}

Result<Format> ParseFormat(std::string_view name) {
  static const std::map<std::string, Format, std::less<>> kFormats = {
      {"graphml", Format::kGraphMl},   {"dot", Format::kDot},
      {"kuzu-csv", Format::kKuzuCsv},  {"neo4j-csv", Format::kNeo4jCsv},
      {"ntriples", Format::kNTriples}, {"turtle", Format::kTurtle},
      {"jsonl", Format::kJsonl}};
  auto it = kFormats.find(name);
  if (it == kFormats.end()) {
    return Status::InvalidArgument("unknown export format '" + std::string(name) + "'");
  }
  return it->second;
}

bool WritesDirectory(Format format) {
  return format == Format::kKuzuCsv || format == Format::kNeo4jCsv;
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string IriEscape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string RdfEscape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

Result<ExportSummary> Export(store::ReadView& view, const ExportOptions& options) {
  auto sel = Selection::Make(view, options);
  if (!sel) return sel.error();
  std::unique_ptr<Writer> writer;
  if (WritesDirectory(options.format)) {
    if (options.format == Format::kKuzuCsv) {
      writer = std::make_unique<KuzuWriter>(options.out);
    } else {
      writer = std::make_unique<Neo4jWriter>(options.out);
    }
  } else {
    auto out = Output::Open(options.out);
    if (!out) return out.error();
    switch (options.format) {
      case Format::kGraphMl:
      case Format::kDot:
        writer = std::make_unique<BoostWriter>(options.format == Format::kGraphMl,
                                               std::move(*out));
        break;
      case Format::kNTriples:
      case Format::kTurtle:
        writer = std::make_unique<RdfWriter>(view, options, options.format == Format::kTurtle,
                                             std::move(*out));
        break;
      default:
        writer = std::make_unique<JsonlWriter>(view, *sel, std::move(*out));
    }
  }
  ExportSummary summary;
  KG_RETURN_IF_ERROR(writer->Begin());
  Status status = Status::Ok();
  ForEachNode(view, *sel, [&](const store::Node& n) {
    status = writer->Node(n);
    ++summary.nodes;
    return status.ok();
  });
  KG_RETURN_IF_ERROR(status);
  ForEachEdge(view, *sel, [&](const store::Edge& e) {
    status = writer->Edge(e);
    ++summary.edges;
    return status.ok();
  });
  KG_RETURN_IF_ERROR(status);
  KG_RETURN_IF_ERROR(view.status());
  KG_RETURN_IF_ERROR(writer->End(summary));
  KG_RETURN_IF_ERROR(view.status());
  return summary;
}

}  // namespace kg::exporting
