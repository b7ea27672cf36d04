#include "kg/core/tokenizer.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace kg {
namespace {

// Multi-byte punctuation kg splits off or normalises, with its matching form.
struct Punct {
  std::string_view bytes;
  std::string_view norm;
};
constexpr std::array<Punct, 14> kUnicodePunct = {{
    {"\xE2\x80\x98", "'"},   // ‘
    {"\xE2\x80\x99", "'"},   // ’
    {"\xE2\x80\x9A", "'"},   // ‚
    {"\xE2\x80\x9C", "\""},  // “
    {"\xE2\x80\x9D", "\""},  // ”
    {"\xE2\x80\x9E", "\""},  // „
    {"\xE2\x80\x93", "-"},   // –
    {"\xE2\x80\x94", "-"},   // —
    {"\xE2\x80\x95", "-"},   // ―
    {"\xE2\x80\xA6", "..."},  // …
    {"\xC2\xAB", "\""},      // «
    {"\xC2\xBB", "\""},      // »
    {"\xE2\x80\xA2", "\xE2\x80\xA2"},  // • (kept, but split off)
    {"\xC2\xB7", "\xC2\xB7"},          // ·
}};

// Returns the index in kUnicodePunct of the punctuation at text[pos], or -1.
int UnicodePunctAt(std::string_view text, size_t pos) {
  auto c = static_cast<unsigned char>(text[pos]);
  if (c != 0xE2 && c != 0xC2) return -1;
  for (size_t i = 0; i < kUnicodePunct.size(); ++i) {
    std::string_view p = kUnicodePunct[i].bytes;
    if (text.compare(pos, p.size(), p) == 0) return static_cast<int>(i);
  }
  return -1;
}

bool IsDashPunct(int idx) { return idx >= 6 && idx <= 8; }

// Leading punctuation split off as its own token; returns its byte length or 0.
size_t LeadingPunctLength(std::string_view text, size_t pos, size_t end) {
  char c = text[pos];
  switch (c) {
    case '(': case '[': case '{': case '"': case '`': case '$': case '#': case '<':
      return 1;
    case '\'':
      // "'90s" keeps its apostrophe; a quote before a word is split.
      if (pos + 1 < end && std::isdigit(static_cast<unsigned char>(text[pos + 1]))) return 0;
      return 1;
    case '-':
      if (pos + 1 < end && text[pos + 1] == '-') return 2;
      // "-5" keeps its sign.
      if (pos + 1 < end && std::isdigit(static_cast<unsigned char>(text[pos + 1]))) return 0;
      return pos + 1 < end ? 1 : 0;
    default:
      break;
  }
  if (static_cast<unsigned char>(c) < 0x80) return 0;  // the forms below are multi-byte
  if (text.compare(pos, 2, "\xC2\xA3") == 0) return 2;      // £
  if (text.compare(pos, 3, "\xE2\x82\xAC") == 0) return 3;  // €
  if (text.compare(pos, 2, "\xC2\xA5") == 0) return 2;      // ¥
  int idx = UnicodePunctAt(text, pos);
  if (idx >= 0 && kUnicodePunct[idx].bytes != "\xE2\x80\x99") {
    return kUnicodePunct[idx].bytes.size();
  }
  if (idx >= 0 && pos + 3 < end && !std::isdigit(static_cast<unsigned char>(text[pos + 3]))) {
    return 3;  // ’ used as an opening quote
  }
  return 0;
}

// The length of trailing punctuation ending at `end` (exclusive) split off as one token, or 0.
// Periods are handled by the caller (abbreviations).
size_t TrailingPunctLength(std::string_view text, size_t begin, size_t end) {
  char c = text[end - 1];
  switch (c) {
    case ')': case ']': case '}': case '"': case ',': case ';': case ':': case '!': case '?':
    case '%': case '>':
      return 1;
    case '\'':
      return 1;
    default:
      break;
  }
  // Every multi-byte punctuation mark ends in a continuation byte: ASCII ends none.
  if (static_cast<unsigned char>(c) < 0x80) return 0;
  if (end - begin >= 3) {
    // A trailing multi-byte quote, dash or ellipsis.
    for (const Punct& p : kUnicodePunct) {
      size_t n = p.bytes.size();
      if (end - begin >= n && text.compare(end - n, n, p.bytes) == 0) return n;
    }
  } else if (end - begin >= 2) {
    if (text.compare(end - 2, 2, "\xC2\xBB") == 0) return 2;
  }
  return 0;
}

constexpr std::array<std::string_view, 8> kClitics = {"'s", "'S", "'re", "'ve", "'ll", "'d",
                                                      "'m", "'RE"};

// If text[begin, end) ends with a clitic ('s, ’s, n't, 're, ...), returns where it starts.
size_t CliticStart(std::string_view text, size_t begin, size_t end) {
  // Every form below holds an apostrophe, ' or the first byte (0xE2) of ’: most words have none.
  // One byte loop instead of two library searches: chunks are short.
  bool any = false;
  for (size_t i = begin; i < end; ++i) any |= text[i] == '\'' || text[i] == '\xE2';
  if (!any) return end;
  // n't / n’t
  for (std::string_view apos : {std::string_view("'"), std::string_view("\xE2\x80\x99")}) {
    size_t n = apos.size() + 2;
    if (end - begin > n && (text[end - n] == 'n' || text[end - n] == 'N') &&
        text.compare(end - n + 1, apos.size(), apos) == 0 &&
        (text[end - 1] == 't' || text[end - 1] == 'T')) {
      return end - n;
    }
  }
  for (std::string_view clitic : kClitics) {
    std::string_view rest = clitic.substr(1);
    for (std::string_view apos : {std::string_view("'"), std::string_view("\xE2\x80\x99")}) {
      size_t n = apos.size() + rest.size();
      if (end - begin > n && text.compare(end - rest.size(), rest.size(), rest) == 0 &&
          text.compare(end - n, apos.size(), apos) == 0) {
        return end - n;
      }
    }
  }
  return end;
}

bool IsDottedAcronym(std::string_view word) {
  // "U.S", "a.m", "U.S.A": letters separated by single dots, at least one dot.
  if (word.empty() || word.find('.') == std::string_view::npos) return false;
  size_t run = 0;
  for (char c : word) {
    if (c == '.') {
      if (run == 0 || run > 2) return false;
      run = 0;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      ++run;
    } else {
      return false;
    }
  }
  return run >= 1 && run <= 2;
}

// The two things a token list can be built as: Tokens with their text and matching form, or
// only their offsets. `emit(begin, end)` appends one.
struct TokenEmitter {
  std::string_view text;
  std::vector<Token>* tokens;
  void operator()(size_t begin, size_t end) const {
    // Built in place: a moved Token copies both strings' bytes when they are short (SSO).
    Token& token = tokens->emplace_back();
    token.start = static_cast<uint32_t>(begin);
    token.end = static_cast<uint32_t>(end);
    token.text.assign(text.data() + begin, end - begin);
    token.norm = NormalizeToken(token.text);
  }
};

struct SpanEmitter {
  std::vector<TokenSpan>* spans;
  void operator()(size_t begin, size_t end) const {
    spans->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
  }
};

// Tokenizes one white-space-free chunk.
template <typename Emit>
void TokenizeChunk(std::string_view text, size_t begin, size_t end, const Emit& emit) {
  // Leading punctuation.
  while (begin < end) {
    size_t n = LeadingPunctLength(text, begin, end);
    if (n == 0) break;
    emit(begin, begin + n);
    begin += n;
  }
  if (begin >= end) return;
  // Trailing punctuation, collected right to left and emitted afterwards.
  std::vector<std::pair<size_t, size_t>> trailing;
  while (end > begin) {
    if (end - begin >= 3 && text.compare(end - 3, 3, "...") == 0) {
      trailing.emplace_back(end - 3, end);
      end -= 3;
      continue;
    }
    if (text[end - 1] == '.') {
      std::string_view word = text.substr(begin, end - 1 - begin);
      if (end - 1 > begin && (IsKnownAbbreviation(word) || IsDottedAcronym(word) ||
                              (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))))) {
        break;  // the period belongs to the abbreviation
      }
      trailing.emplace_back(end - 1, end);
      --end;
      continue;
    }
    size_t n = TrailingPunctLength(text, begin, end);
    if (n == 0) break;
    trailing.emplace_back(end - n, end);
    end -= n;
  }
  if (begin < end) {
    // Clitics: "Japan's" -> "Japan" "'s".
    size_t clitic = CliticStart(text, begin, end);
    // Split internal dashes (em/en dash, "--") that glue words: "word—word".
    size_t piece = begin;
    size_t pos = begin;
    while (pos < clitic) {
      // Fast path: an ASCII byte other than '-' starts no dash.
      if (static_cast<unsigned char>(text[pos]) < 0x80 && text[pos] != '-') {
        ++pos;
        continue;
      }
      int idx = UnicodePunctAt(text, pos);
      size_t dash_len = 0;
      if (idx >= 0 && (IsDashPunct(idx) || kUnicodePunct[idx].norm == "...")) {
        dash_len = kUnicodePunct[idx].bytes.size();
      } else if (text[pos] == '-' && pos + 1 < clitic && text[pos + 1] == '-') {
        dash_len = 2;
        while (pos + dash_len < clitic && text[pos + dash_len] == '-') ++dash_len;
      }
      if (dash_len > 0) {
        if (pos > piece) emit(piece, pos);
        emit(pos, pos + dash_len);
        pos += dash_len;
        piece = pos;
        continue;
      }
      ++pos;
    }
    if (clitic > piece) emit(piece, clitic);
    if (clitic < end) emit(clitic, end);
  }
  for (auto it = trailing.rbegin(); it != trailing.rend(); ++it) {
    emit(it->first, it->second);
  }
}

}  // namespace

size_t WhitespaceLength(std::string_view text, size_t pos) {
  auto c = static_cast<unsigned char>(text[pos]);
  if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xC2 && pos + 1 < text.size() && static_cast<unsigned char>(text[pos + 1]) == 0xA0) {
    return 2;
  }
  if (c == 0xE2 && pos + 2 < text.size() && static_cast<unsigned char>(text[pos + 1]) == 0x80) {
    auto c2 = static_cast<unsigned char>(text[pos + 2]);
    if (c2 <= 0x8A || c2 == 0xAF) return 3;  // U+2000..U+200A, U+202F
  }
  if (c == 0xE3 && text.compare(pos, 3, "\xE3\x80\x80") == 0) return 3;
  return 0;
}

bool IsKnownAbbreviation(std::string_view word) {
  static constexpr std::array<std::string_view, 72> kAbbreviations = {
      "Mr",    "Mrs",   "Ms",    "Dr",   "Prof", "Gov",  "Sen",  "Rep",  "Gen",   "Col",
      "Lt",    "Sgt",   "Capt",  "Cmdr", "Adm",  "Maj",  "Brig", "Cpl",  "Pvt",   "St",
      "Rev",   "Hon",   "Pres",  "Atty", "Supt", "Messrs", "Mt", "Ft",   "Jr",    "Sr",
      "Inc",   "Corp",  "Ltd",   "Co",   "Bros", "Plc",  "No",   "Nos",  "Vol",   "vs",
      "etc",   "approx", "Jan",  "Feb",  "Mar",  "Apr",  "Jun",  "Jul",  "Aug",   "Sep",
      "Sept",  "Oct",   "Nov",   "Dec",  "Mon",  "Tue",  "Tues", "Wed",  "Thu",   "Thur",
      "Thurs", "Fri",   "Sat",   "Sun",  "Ave",  "Blvd", "Rd",   "Dept", "Univ",  "Assn",
      "Calif", "Fla"};
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end();
}

bool IsAbbreviationToken(std::string_view token) {
  if (token.size() < 2 || token.back() != '.') return false;
  std::string_view word = token.substr(0, token.size() - 1);
  return IsKnownAbbreviation(word) || IsDottedAcronym(word) ||
         (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0])));
}

std::string NormalizeToken(std::string_view token) {
  // Fast path: only bytes >= 0xC2 can start a form to normalise; most tokens are plain ASCII.
  size_t pos = 0;
  while (pos < token.size() && static_cast<unsigned char>(token[pos]) < 0xC2) ++pos;
  if (pos == token.size()) return std::string(token);
  std::string out;
  out.reserve(token.size());
  out.append(token.substr(0, pos));
  while (pos < token.size()) {
    if (static_cast<unsigned char>(token[pos]) >= 0xC2) {
      int idx = UnicodePunctAt(token, pos);
      if (idx >= 0) {
        out.append(kUnicodePunct[idx].norm);
        pos += kUnicodePunct[idx].bytes.size();
        continue;
      }
    }
    out.push_back(token[pos++]);
  }
  return out;
}

namespace {

template <typename Emit>
void TokenizeWith(std::string_view text, uint32_t begin, uint32_t end, const Emit& emit) {
  size_t pos = begin;
  size_t stop = std::min<size_t>(end, text.size());
  while (pos < stop) {
    // Printable ASCII is never white space (most chunk starts): no call.
    const auto first = static_cast<unsigned char>(text[pos]);
    size_t ws = first > 0x20 && first < 0x80 ? 0 : WhitespaceLength(text, pos);
    if (ws > 0) {
      pos += ws;
      continue;
    }
    size_t chunk_end = pos;
    while (chunk_end < stop) {
      // Fast path: printable ASCII is never white space.
      const auto c = static_cast<unsigned char>(text[chunk_end]);
      if ((c > 0x20 && c < 0x80) || WhitespaceLength(text, chunk_end) == 0) {
        ++chunk_end;
        continue;
      }
      break;
    }
    TokenizeChunk(text, pos, chunk_end, emit);
    pos = chunk_end;
  }
}

}  // namespace

void Tokenize(std::string_view text, uint32_t begin, uint32_t end, std::vector<Token>* tokens) {
  TokenizeWith(text, begin, end, TokenEmitter{text, tokens});
}

void TokenizeSpans(std::string_view text, uint32_t begin, uint32_t end,
                   std::vector<TokenSpan>* spans) {
  TokenizeWith(text, begin, end, SpanEmitter{spans});
}

}  // namespace kg
