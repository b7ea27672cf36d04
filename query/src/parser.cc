#include "parser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "lexer.h"
#include "query_error.h"

namespace kg::query {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, int max_depth)
      : text_(text), tokens_(Lex(text)), max_depth_(max_depth) {}

  Query ParseQuery() {
    Query query;
    if (IsKeyword("EXPLAIN")) {
      Advance();
      query.explain = true;
    } else if (IsKeyword("PROFILE")) {
      Advance();
      query.profile = true;
    }
    query.parts.push_back(ParseSingleQuery());
    while (IsKeyword("UNION")) {
      Advance();
      bool all = false;
      if (IsKeyword("ALL")) {
        Advance();
        all = true;
      }
      query.union_all.push_back(all);
      query.parts.push_back(ParseSingleQuery());
    }
    if (IsSymbol(";")) Advance();
    if (Peek().kind != Token::Kind::kEnd) Fail("unexpected '" + Peek().text + "'");
    return query;
  }

 private:
  // ---- tokens
  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& Advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool IsKeyword(std::string_view kw, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == Token::Kind::kIdent && !t.quoted && IEquals(t.text, kw);
  }
  bool IsSymbol(std::string_view s, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == Token::Kind::kSymbol && t.text == s;
  }
  [[noreturn]] void Fail(const std::string& msg, const char* detail = "UnexpectedSyntax") const {
    throw QueryError("SyntaxError", detail, msg, Peek().begin);
  }
  void ExpectKeyword(std::string_view kw) {
    if (!IsKeyword(kw)) Fail("expected " + std::string(kw));
    Advance();
  }
  void ExpectSymbol(std::string_view s) {
    if (!IsSymbol(s)) {
      Fail("expected '" + std::string(s) + "' but found " + Describe(Peek()));
    }
    Advance();
  }
  static std::string Describe(const Token& t) {
    if (t.kind == Token::Kind::kEnd) return "end of input";
    return "'" + t.text + "'";
  }
  std::string ParseName(const char* what) {
    if (Peek().kind != Token::Kind::kIdent) Fail(std::string("expected ") + what);
    return Advance().text;
  }
  // A symbolic name usable as a variable: reserved words are refused unless quoted.
  std::string ParseVariable() {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kIdent) Fail("expected a variable name");
    static const char* kReserved[] = {"MATCH", "RETURN", "WITH", "WHERE", "CREATE", "UNWIND",
                                      "OPTIONAL", "ORDER", "SKIP", "LIMIT", "AND", "OR", "NOT",
                                      "XOR", "AS", "UNION", "MERGE", "DELETE", "SET", "REMOVE"};
    if (!t.quoted) {
      for (const char* kw : kReserved) {
        if (IEquals(t.text, kw)) Fail("expected a variable name but found " + t.text);
      }
    }
    return Advance().text;
  }

  struct DepthGuard {
    explicit DepthGuard(Parser* p) : parser(p) {
      if (++parser->depth_ > parser->max_depth_) {
        parser->Fail("query nested too deeply (more than " + std::to_string(parser->max_depth_) +
                         " levels)",
                     "NestingTooDeep");
      }
    }
    ~DepthGuard() { --parser->depth_; }
    Parser* parser;
  };

  // A left-deep chain (1 + 1 + 1 ..., a AND b AND ..., x.a.b.c, x[0][0]) builds a tree as deep as
  // it is long, and the binder, Eval and the destructors recurse on that tree: 200,000 `+ 1`
  // overflowed the stack. Each link counts as one nesting level until the chain ends, so
  // max_depth_ bounds the tree's height as well as the parser's recursion.
  struct ChainGuard {
    explicit ChainGuard(Parser* p) : parser(p) {}
    ~ChainGuard() { parser->depth_ -= links; }
    void Link() {
      ++links;
      if (++parser->depth_ > parser->max_depth_) {
        parser->Fail("query nested too deeply (more than " + std::to_string(parser->max_depth_) +
                         " levels)",
                     "NestingTooDeep");
      }
    }
    Parser* parser;
    int links = 0;
  };

  // ---- clauses
  SingleQuery ParseSingleQuery() {
    SingleQuery sq;
    while (true) {
      const Token& t = Peek();
      if (t.kind == Token::Kind::kEnd || IsKeyword("UNION") || IsSymbol(";")) break;
      sq.clauses.push_back(ParseClause());
    }
    if (sq.clauses.empty()) Fail("expected a clause");
    return sq;
  }

  Clause ParseClause() {
    Clause c;
    c.offset = Peek().begin;
    if (IsKeyword("OPTIONAL")) {
      Advance();
      ExpectKeyword("MATCH");
      c.kind = Clause::Kind::kMatch;
      c.optional = true;
      ParseMatchBody(c);
    } else if (IsKeyword("MATCH")) {
      Advance();
      c.kind = Clause::Kind::kMatch;
      ParseMatchBody(c);
    } else if (IsKeyword("UNWIND")) {
      Advance();
      c.kind = Clause::Kind::kUnwind;
      c.expr = ParseExpr();
      ExpectKeyword("AS");
      c.alias = ParseVariable();
    } else if (IsKeyword("WITH")) {
      Advance();
      c.kind = Clause::Kind::kWith;
      ParseProjection(c.projection, true);
    } else if (IsKeyword("RETURN")) {
      Advance();
      c.kind = Clause::Kind::kReturn;
      ParseProjection(c.projection, false);
    } else if (IsKeyword("CREATE")) {
      Advance();
      c.kind = Clause::Kind::kCreate;
      c.patterns.push_back(ParsePatternPart());
      while (IsSymbol(",")) {
        Advance();
        c.patterns.push_back(ParsePatternPart());
      }
    } else if (IsKeyword("CALL")) {
      Advance();
      c.kind = Clause::Kind::kCall;
      ParseCall(c);
    } else if (IsKeyword("DELETE") || (IsKeyword("DETACH") && IsKeyword("DELETE", 1))) {
      c.detach = IsKeyword("DETACH");
      if (c.detach) Advance();
      Advance();
      c.kind = Clause::Kind::kDelete;
      c.args.push_back(ParseExpr());
      while (IsSymbol(",")) {
        Advance();
        c.args.push_back(ParseExpr());
      }
    } else if (IsKeyword("SET") || IsKeyword("REMOVE")) {
      bool set = IsKeyword("SET");
      Advance();
      c.kind = set ? Clause::Kind::kSet : Clause::Kind::kRemove;
      c.set_items.push_back(ParseSetItem(set));
      while (IsSymbol(",")) {
        Advance();
        c.set_items.push_back(ParseSetItem(set));
      }
    } else if (IsKeyword("MERGE")) {
      Advance();
      c.kind = Clause::Kind::kMerge;
      c.patterns.push_back(ParsePatternPart());
      if (IsSymbol(",")) Fail("MERGE takes a single pattern");
      while (IsKeyword("ON")) {
        Advance();
        bool on_create = IsKeyword("CREATE");
        if (!on_create && !IsKeyword("MATCH")) {
          Fail("expected CREATE or MATCH after ON but found " + Describe(Peek()));
        }
        Advance();
        ExpectKeyword("SET");
        auto& items = on_create ? c.on_create : c.on_match;
        items.push_back(ParseSetItem(true));
        while (IsSymbol(",")) {
          Advance();
          items.push_back(ParseSetItem(true));
        }
      }
    } else {
      static const char* kUnsupported[] = {"DETACH", "FOREACH", "LOAD", "USE", "SHOW"};
      for (const char* kw : kUnsupported) {
        if (IsKeyword(kw)) throw Unsupported(kw, Peek().begin);
      }
      Fail("expected a clause (MATCH, OPTIONAL MATCH, WITH, UNWIND, CREATE, MERGE, DELETE, SET, "
           "REMOVE, CALL, RETURN) but found " + Describe(Peek()));
    }
    return c;
  }

  // var.key = expr | var = expr | var += expr | var:L1:L2 (SET); var.key | var:L1:L2 (REMOVE).
  SetItem ParseSetItem(bool set) {
    SetItem item;
    item.offset = Peek().begin;
    item.var = ParseVariable();
    if (IsSymbol(":")) {
      item.kind = SetItem::Kind::kLabels;
      while (IsSymbol(":")) {
        Advance();
        item.labels.push_back(ParseName("a label"));
      }
      return item;
    }
    if (IsSymbol(".")) {
      Advance();
      item.kind = SetItem::Kind::kProperty;
      item.key = ParseName("a property key");
      if (IsSymbol(".")) Fail("SET and REMOVE change a property of a variable (var.key) only");
      if (!set) return item;
      ExpectSymbol("=");
      item.value = ParseExpr();
      return item;
    }
    if (!set) Fail("expected '.' or ':' after the variable of a REMOVE item");
    if (IsSymbol("+=")) {
      item.kind = SetItem::Kind::kMerge;
    } else if (IsSymbol("=")) {
      item.kind = SetItem::Kind::kReplace;
    } else {
      Fail("expected '.', ':', '=' or '+=' after the variable of a SET item but found " +
           Describe(Peek()));
    }
    Advance();
    item.value = ParseExpr();
    return item;
  }

  void ParseMatchBody(Clause& c) {
    c.patterns.push_back(ParsePatternPart());
    while (IsSymbol(",")) {
      Advance();
      c.patterns.push_back(ParsePatternPart());
    }
    if (IsKeyword("WHERE")) {
      Advance();
      c.where = ParseExpr();
    }
  }

  void ParseCall(Clause& c) {
    std::string name = ParseName("a procedure name");
    while (IsSymbol(".")) {
      Advance();
      name += "." + ParseName("a procedure name");
    }
    c.procedure = name;
    if (IsSymbol("(")) {
      Advance();
      if (!IsSymbol(")")) {
        c.args.push_back(ParseExpr());
        while (IsSymbol(",")) {
          Advance();
          c.args.push_back(ParseExpr());
        }
      }
      ExpectSymbol(")");
    }
    if (IsKeyword("YIELD")) {
      Advance();
      if (IsSymbol("*")) {
        Advance();
        c.yield_star = true;
      } else {
        do {
          if (!c.yields.empty()) Advance();
          std::string field = ParseName("a field name");
          std::string alias = field;
          if (IsKeyword("AS")) {
            Advance();
            alias = ParseVariable();
          }
          c.yields.emplace_back(field, alias);
        } while (IsSymbol(","));
      }
      if (IsKeyword("WHERE")) {
        Advance();
        c.where = ParseExpr();
      }
    } else {
      c.yield_star = true;
    }
  }

  void ParseProjection(Projection& p, bool is_with) {
    if (IsKeyword("DISTINCT")) {
      Advance();
      p.distinct = true;
    }
    if (IsSymbol("*")) {
      Advance();
      p.star = true;
      if (IsSymbol(",")) Advance();
      else goto after_items;
    }
    do {
      if (!p.items.empty()) Advance();
      ReturnItem item;
      item.expr = ParseExpr();
      if (IsKeyword("AS")) {
        Advance();
        item.alias = ParseVariable();
        item.has_alias = true;
      } else {
        item.alias = std::string(text_.substr(item.expr->begin, item.expr->end - item.expr->begin));
      }
      p.items.push_back(std::move(item));
    } while (IsSymbol(","));
  after_items:
    if (IsKeyword("ORDER")) {
      Advance();
      ExpectKeyword("BY");
      do {
        if (!p.order.empty()) Advance();
        SortItem s;
        s.expr = ParseExpr();
        if (IsKeyword("DESC") || IsKeyword("DESCENDING")) {
          Advance();
          s.descending = true;
        } else if (IsKeyword("ASC") || IsKeyword("ASCENDING")) {
          Advance();
        }
        p.order.push_back(std::move(s));
      } while (IsSymbol(","));
    }
    if (IsKeyword("SKIP")) {
      Advance();
      p.skip = ParseExpr();
    }
    if (IsKeyword("LIMIT")) {
      Advance();
      p.limit = ParseExpr();
    }
    if (is_with && IsKeyword("WHERE")) {
      Advance();
      p.where = ParseExpr();
    }
  }

  // ---- patterns
  PatternPart ParsePatternPart() {
    PatternPart part;
    if (Peek().kind == Token::Kind::kIdent && IsSymbol("=", 1)) {
      part.path_var = ParseVariable();
      Advance();
    }
    part.nodes.push_back(ParseNodePattern());
    while (IsSymbol("-") || (IsSymbol("<") && IsSymbol("-", 1))) {
      part.rels.push_back(ParseRelPattern());
      part.nodes.push_back(ParseNodePattern());
    }
    return part;
  }

  NodePattern ParseNodePattern() {
    NodePattern n;
    n.offset = Peek().begin;
    ExpectSymbol("(");
    if (Peek().kind == Token::Kind::kIdent) n.var = ParseVariable();
    while (IsSymbol(":")) {
      Advance();
      n.labels.push_back(ParseName("a label"));
    }
    if (IsSymbol("{") || Peek().kind == Token::Kind::kParam) n.props = ParsePropertiesExpr();
    ExpectSymbol(")");
    return n;
  }

  ExprPtr ParsePropertiesExpr() {
    if (Peek().kind == Token::Kind::kParam) return ParseAtom();
    return ParseMapLiteral();
  }

  RelPattern ParseRelPattern() {
    RelPattern r;
    r.offset = Peek().begin;
    bool left = false;
    if (IsSymbol("<")) {
      Advance();
      left = true;
    }
    ExpectSymbol("-");
    if (IsSymbol("[")) {
      Advance();
      if (Peek().kind == Token::Kind::kIdent) r.var = ParseVariable();
      if (IsSymbol(":")) {
        Advance();
        r.types.push_back(ParseName("a relationship type"));
        while (IsSymbol("|")) {
          Advance();
          if (IsSymbol(":")) Advance();
          r.types.push_back(ParseName("a relationship type"));
        }
      }
      if (IsSymbol("..") || Peek().kind == Token::Kind::kInt) {
        Fail("variable length relationships need '*'", "InvalidRelationshipPattern");
      }
      if (IsSymbol("*")) {
        Advance();
        r.var_length = true;
        if (IsSymbol("-") && Peek(1).kind == Token::Kind::kInt) {
          Fail("hop counts must not be negative", "InvalidRelationshipPattern");
        }
        if (Peek().kind == Token::Kind::kInt) {
          r.min_hops = ParseHopCount();
          r.max_hops = r.min_hops;
        }
        if (IsSymbol("..")) {
          Advance();
          r.max_hops.reset();
          if (IsSymbol("-")) Fail("hop counts must not be negative", "InvalidRelationshipPattern");
          if (Peek().kind == Token::Kind::kInt) r.max_hops = ParseHopCount();
        }
      }
      if (IsSymbol("{") || Peek().kind == Token::Kind::kParam) r.props = ParsePropertiesExpr();
      ExpectSymbol("]");
    }
    ExpectSymbol("-");
    bool right = false;
    if (IsSymbol(">")) {
      Advance();
      right = true;
    }
    // <--> is undirected, like --; CREATE refuses both (RequiresDirectedRelationship).
    r.dir = left == right ? Direction::kBoth : (left ? Direction::kIn : Direction::kOut);
    return r;
  }

  int64_t ParseHopCount() {
    const Token& t = Advance();
    errno = 0;
    long long v = std::strtoll(t.text.c_str(), nullptr, 10);
    if (errno == ERANGE) throw QueryError("SyntaxError", "IntegerOverflow", "hop count too large",
                                          t.begin);
    return v;
  }

  // ---- expressions
  ExprPtr Make(ExprKind kind, size_t begin) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->begin = begin;
    e->end = LastEnd();
    return e;
  }
  size_t LastEnd() const { return pos_ > 0 ? tokens_[pos_ - 1].end : 0; }
  ExprPtr Binary(BinOp op, ExprPtr a, ExprPtr b) {
    size_t begin = a->begin;
    auto e = Make(ExprKind::kBinary, begin);
    e->op = op;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

 public:
  ExprPtr ParseExpr() {
    DepthGuard guard(this);
    return ParseOr();
  }

 private:
  ExprPtr ParseOr() {
    auto e = ParseXor();
    ChainGuard chain(this);
    while (IsKeyword("OR")) {
      chain.Link();
      Advance();
      e = Binary(BinOp::kOr, std::move(e), ParseXor());
    }
    return e;
  }
  ExprPtr ParseXor() {
    auto e = ParseAnd();
    ChainGuard chain(this);
    while (IsKeyword("XOR")) {
      chain.Link();
      Advance();
      e = Binary(BinOp::kXor, std::move(e), ParseAnd());
    }
    return e;
  }
  ExprPtr ParseAnd() {
    auto e = ParseNot();
    ChainGuard chain(this);
    while (IsKeyword("AND")) {
      chain.Link();
      Advance();
      e = Binary(BinOp::kAnd, std::move(e), ParseNot());
    }
    return e;
  }
  ExprPtr ParseNot() {
    if (IsKeyword("NOT")) {
      DepthGuard guard(this);
      size_t begin = Advance().begin;
      auto inner = ParseNot();
      auto e = Make(ExprKind::kNot, begin);
      e->args.push_back(std::move(inner));
      return e;
    }
    return ParseComparison();
  }
  std::optional<BinOp> ComparisonOp() const {
    if (Peek().kind != Token::Kind::kSymbol) return std::nullopt;
    const std::string& s = Peek().text;
    if (s == "=") return BinOp::kEq;
    if (s == "<>" || s == "!=") return BinOp::kNeq;
    if (s == "<") return BinOp::kLt;
    if (s == ">") return BinOp::kGt;
    if (s == "<=") return BinOp::kLe;
    if (s == ">=") return BinOp::kGe;
    return std::nullopt;
  }
  ExprPtr ParseComparison() {
    auto first = ParsePredicates();
    auto op = ComparisonOp();
    if (!op) return first;
    // a < b < c means a < b AND b < c; the shared operand is re-parsed by position.
    ExprPtr result;
    ExprPtr left = std::move(first);
    ChainGuard chain(this);
    while (op) {
      chain.Link();
      Advance();
      size_t right_pos = pos_;
      auto right = ParsePredicates();
      auto cmp = Binary(*op, std::move(left), std::move(right));
      result = result ? Binary(BinOp::kAnd, std::move(result), std::move(cmp)) : std::move(cmp);
      op = ComparisonOp();
      if (op) {
        size_t save = pos_;
        pos_ = right_pos;
        left = ParsePredicates();
        pos_ = save;
      }
    }
    return result;
  }
  ExprPtr ParsePredicates() {
    auto e = ParseAddSub();
    ChainGuard chain(this);
    while (true) {
      if (IsKeyword("STARTS") && IsKeyword("WITH", 1)) {
        Advance();
        Advance();
        e = Binary(BinOp::kStartsWith, std::move(e), ParseAddSub());
      } else if (IsKeyword("ENDS") && IsKeyword("WITH", 1)) {
        Advance();
        Advance();
        e = Binary(BinOp::kEndsWith, std::move(e), ParseAddSub());
      } else if (IsKeyword("CONTAINS")) {
        Advance();
        e = Binary(BinOp::kContains, std::move(e), ParseAddSub());
      } else if (IsKeyword("IN")) {
        Advance();
        e = Binary(BinOp::kIn, std::move(e), ParseAddSub());
      } else if (IsSymbol("=~")) {
        Advance();
        e = Binary(BinOp::kRegex, std::move(e), ParseAddSub());
      } else if (IsKeyword("IS")) {
        Advance();
        bool negated = false;
        if (IsKeyword("NOT")) {
          Advance();
          negated = true;
        }
        ExpectKeyword("NULL");
        size_t begin = e->begin;
        auto n = Make(negated ? ExprKind::kIsNotNull : ExprKind::kIsNull, begin);
        n->args.push_back(std::move(e));
        e = std::move(n);
      } else {
        return e;
      }
      chain.Link();
    }
  }
  ExprPtr ParseAddSub() {
    auto e = ParseMulDiv();
    ChainGuard chain(this);
    while (IsSymbol("+") || IsSymbol("-")) {
      chain.Link();
      BinOp op = Advance().text == "+" ? BinOp::kAdd : BinOp::kSub;
      e = Binary(op, std::move(e), ParseMulDiv());
    }
    return e;
  }
  ExprPtr ParseMulDiv() {
    auto e = ParsePower();
    ChainGuard chain(this);
    while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%")) {
      chain.Link();
      const std::string& s = Advance().text;
      BinOp op = s == "*" ? BinOp::kMul : (s == "/" ? BinOp::kDiv : BinOp::kMod);
      e = Binary(op, std::move(e), ParsePower());
    }
    return e;
  }
  ExprPtr ParsePower() {
    auto e = ParseUnary();
    ChainGuard chain(this);
    while (IsSymbol("^")) {
      chain.Link();
      Advance();
      e = Binary(BinOp::kPow, std::move(e), ParseUnary());
    }
    return e;
  }
  ExprPtr ParseUnary() {
    if (IsSymbol("-") || IsSymbol("+")) {
      DepthGuard guard(this);
      const Token& t = Advance();
      bool neg = t.text == "-";
      size_t begin = t.begin;
      if (neg && Peek().kind == Token::Kind::kInt) {
        // -9223372036854775808 is representable only as a negative literal.
        const Token& num = Advance();
        auto lit = Make(ExprKind::kLiteral, begin);
        lit->literal = Value(ParseInteger(num, true));
        return ParsePostfix(std::move(lit));
      }
      auto inner = ParseUnary();
      if (!neg) return inner;
      auto e = Make(ExprKind::kNeg, begin);
      e->args.push_back(std::move(inner));
      return e;
    }
    return ParsePostfix(ParseAtom());
  }

  int64_t ParseInteger(const Token& t, bool negative) {
    const std::string& s = t.text;
    unsigned long long mag = 0;
    int base = 10;
    size_t start = 0;
    if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      base = 16;
      start = 2;
    } else if (s.size() > 1 && s[0] == '0' && s[1] == 'o') {
      base = 8;
      start = 2;
    } else if (s.size() > 1 && s[0] == '0') {
      base = 8;
      start = 1;
      for (char c : s) {
        if (c > '7') throw QueryError("SyntaxError", "InvalidNumberLiteral",
                                      "invalid octal literal " + s, t.begin);
      }
    }
    errno = 0;
    mag = std::strtoull(s.c_str() + start, nullptr, base);
    const unsigned long long limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
    if (errno == ERANGE || mag > limit) {
      throw QueryError("SyntaxError", "IntegerOverflow", "integer literal too large: " + s,
                       t.begin);
    }
    if (negative) return mag == 9223372036854775808ULL ? INT64_MIN : -static_cast<int64_t>(mag);
    return static_cast<int64_t>(mag);
  }

  ExprPtr ParsePostfix(ExprPtr e) {
    ChainGuard chain(this);
    while (true) {
      if (IsSymbol(".")) {
        Advance();
        std::string key = ParseName("a property name");
        size_t begin = e->begin;
        auto p = Make(ExprKind::kProperty, begin);
        p->name = key;
        p->args.push_back(std::move(e));
        e = std::move(p);
      } else if (IsSymbol("[")) {
        DepthGuard guard(this);
        Advance();
        size_t begin = e->begin;
        ExprPtr from;
        if (!IsSymbol("..")) from = ParseExpr();
        if (IsSymbol("..")) {
          Advance();
          ExprPtr to;
          if (!IsSymbol("]")) to = ParseExpr();
          ExpectSymbol("]");
          auto s = Make(ExprKind::kSlice, begin);
          s->args.push_back(std::move(e));
          s->args.push_back(std::move(from));
          s->args.push_back(std::move(to));
          e = std::move(s);
        } else {
          ExpectSymbol("]");
          auto s = Make(ExprKind::kIndex, begin);
          s->args.push_back(std::move(e));
          s->args.push_back(std::move(from));
          e = std::move(s);
        }
      } else if (IsSymbol(":") && Peek(1).kind == Token::Kind::kIdent) {
        size_t begin = e->begin;
        auto h = std::make_unique<Expr>();
        h->kind = ExprKind::kHasLabels;
        h->begin = begin;
        while (IsSymbol(":")) {
          Advance();
          h->keys.push_back(ParseName("a label"));
        }
        h->end = LastEnd();
        h->args.push_back(std::move(e));
        e = std::move(h);
      } else {
        return e;
      }
      chain.Link();
    }
  }

  ExprPtr ParseMapLiteral() {
    DepthGuard guard(this);
    size_t begin = Peek().begin;
    ExpectSymbol("{");
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kMap;
    e->begin = begin;
    if (!IsSymbol("}")) {
      do {
        if (!e->keys.empty()) Advance();
        std::string key = ParseName("a map key");
        ExpectSymbol(":");
        e->keys.push_back(key);
        e->args.push_back(ParseExpr());
      } while (IsSymbol(","));
    }
    ExpectSymbol("}");
    e->end = LastEnd();
    return e;
  }

  ExprPtr ParseAtom() {
    DepthGuard guard(this);
    const Token& t = Peek();
    size_t begin = t.begin;
    switch (t.kind) {
      case Token::Kind::kInt: {
        Advance();
        auto e = Make(ExprKind::kLiteral, begin);
        e->literal = Value(ParseInteger(t, false));
        return e;
      }
      case Token::Kind::kFloat: {
        Advance();
        double d = std::strtod(t.text.c_str(), nullptr);
        if (std::isinf(d)) {
          throw QueryError("SyntaxError", "FloatingPointOverflow",
                           "float literal too large: " + t.text, t.begin);
        }
        auto e = Make(ExprKind::kLiteral, begin);
        e->literal = Value(d);
        return e;
      }
      case Token::Kind::kString: {
        Advance();
        auto e = Make(ExprKind::kLiteral, begin);
        e->literal = Value(t.text);
        return e;
      }
      case Token::Kind::kParam: {
        Advance();
        auto e = Make(ExprKind::kParam, begin);
        e->name = t.text;
        return e;
      }
      case Token::Kind::kEnd: Fail("unexpected end of input, expected an expression");
      case Token::Kind::kBadNumber: Fail("invalid number literal " + t.text, "InvalidNumberLiteral");
      case Token::Kind::kSymbol: {
        if (t.text == "(") {
          Advance();
          auto e = ParseExpr();
          ExpectSymbol(")");
          // The parentheses belong to the expression's text (a column is named "(n:Foo)").
          e->begin = begin;
          e->end = LastEnd();
          return e;
        }
        if (t.text == "[") return ParseListOrComprehension();
        if (t.text == "{") return ParseMapLiteral();
        Fail("expected an expression but found '" + t.text + "'");
      }
      case Token::Kind::kIdent: break;
    }
    if (!t.quoted) {
      if (IsKeyword("TRUE") || IsKeyword("FALSE")) {
        bool b = IsKeyword("TRUE");
        Advance();
        auto e = Make(ExprKind::kLiteral, begin);
        e->literal = Value(b);
        return e;
      }
      if (IsKeyword("NULL")) {
        Advance();
        return Make(ExprKind::kLiteral, begin);
      }
      if (IsKeyword("CASE")) return ParseCase();
      if ((IsKeyword("ALL") || IsKeyword("ANY") || IsKeyword("NONE") || IsKeyword("SINGLE")) &&
          IsSymbol("(", 1) && Peek(2).kind == Token::Kind::kIdent && IsKeyword("IN", 3)) {
        std::string q = Advance().text;
        for (auto& ch : q) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        Advance();
        auto e = std::make_unique<Expr>();
        e->kind = ExprKind::kQuantifier;
        e->begin = begin;
        e->keys.push_back(q);
        e->name = ParseVariable();
        ExpectKeyword("IN");
        e->args.push_back(ParseExpr());
        ExprPtr where;
        if (IsKeyword("WHERE")) {
          Advance();
          where = ParseExpr();
        }
        e->args.push_back(std::move(where));
        ExpectSymbol(")");
        e->end = LastEnd();
        return e;
      }
      if (IsKeyword("COUNT") && IsSymbol("(", 1) && IsSymbol("*", 2) && IsSymbol(")", 3)) {
        for (int i = 0; i < 4; ++i) Advance();
        return Make(ExprKind::kCountStar, begin);
      }
    }
    // Function call (possibly namespaced) or variable.
    size_t save = pos_;
    std::string name = Advance().text;
    while (IsSymbol(".") && Peek(1).kind == Token::Kind::kIdent && !t.quoted) {
      // Only a call if the dotted name is followed by '('.
      size_t probe = pos_;
      std::string dotted = name;
      while (IsSymbol(".") && Peek(1).kind == Token::Kind::kIdent) {
        Advance();
        dotted += "." + Advance().text;
      }
      if (IsSymbol("(")) {
        name = dotted;
        break;
      }
      pos_ = probe;
      break;
    }
    if (IsSymbol("(")) {
      Advance();
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kCall;
      e->begin = begin;
      e->name = name;
      e->function = FunctionKeyOf(name);
      if (IsKeyword("DISTINCT")) {
        Advance();
        e->distinct = true;
      }
      if (!IsSymbol(")")) {
        e->args.push_back(ParseExpr());
        while (IsSymbol(",")) {
          Advance();
          e->args.push_back(ParseExpr());
        }
      }
      ExpectSymbol(")");
      e->end = LastEnd();
      return e;
    }
    pos_ = save;
    std::string var = ParseVariable();
    auto e = Make(ExprKind::kVar, begin);
    e->name = var;
    return e;
  }

  ExprPtr ParseListOrComprehension() {
    size_t begin = Peek().begin;
    ExpectSymbol("[");
    if (Peek().kind == Token::Kind::kIdent && IsKeyword("IN", 1)) {
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kListComp;
      e->begin = begin;
      e->name = ParseVariable();
      ExpectKeyword("IN");
      e->args.push_back(ParseExpr());
      ExprPtr where, map;
      if (IsKeyword("WHERE")) {
        Advance();
        where = ParseExpr();
      }
      if (IsSymbol("|")) {
        Advance();
        map = ParseExpr();
      }
      e->args.push_back(std::move(where));
      e->args.push_back(std::move(map));
      ExpectSymbol("]");
      e->end = LastEnd();
      return e;
    }
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kList;
    e->begin = begin;
    if (!IsSymbol("]")) {
      e->args.push_back(ParseExpr());
      while (IsSymbol(",")) {
        Advance();
        e->args.push_back(ParseExpr());
      }
    }
    ExpectSymbol("]");
    e->end = LastEnd();
    return e;
  }

  ExprPtr ParseCase() {
    size_t begin = Advance().begin;
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kCase;
    e->begin = begin;
    ExprPtr test;
    if (!IsKeyword("WHEN")) test = ParseExpr();
    e->args.push_back(std::move(test));
    if (!IsKeyword("WHEN")) Fail("expected WHEN");
    while (IsKeyword("WHEN")) {
      Advance();
      e->args.push_back(ParseExpr());
      ExpectKeyword("THEN");
      e->args.push_back(ParseExpr());
    }
    ExprPtr otherwise;
    if (IsKeyword("ELSE")) {
      Advance();
      otherwise = ParseExpr();
    }
    e->args.push_back(std::move(otherwise));
    ExpectKeyword("END");
    e->end = LastEnd();
    return e;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int max_depth_;
};

}  // namespace

Query Parse(std::string_view query, int max_depth) {
  Parser parser(query, max_depth);
  return parser.ParseQuery();
}

}  // namespace kg::query
