// Crash safety: a child process writes documents and reports each one after WriteExtraction
// returns; the parent SIGKILLs it at random moments. After every kill the store must open,
// verify clean, and hold every reported document whole (and no document in part).
//
// The child is this same test binary re-executed with the hidden tag [.crash-writer] (a forked
// copy of a process whose RocksDB thread pools already ran would lack those threads).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "kg/store/graph_store.h"
#include "kg/store/verify.h"
#include "test_support.h"

namespace {

constexpr int kReportFd = 3;  // the child writes committed ids here
constexpr uint64_t kEvidencePerDoc = 6;

const char* const kNames[] = {"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf",
                              "Hotel", "India", "Juliett", "Kilo", "Lima", "Mike", "November",
                              "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango"};

kg::Extraction CrashDoc(int i) {
  kg::Extraction x;
  x.doc.id = "crash-" + std::to_string(i);
  x.doc.content_hash = "crash-hash-" + std::to_string(i);
  x.doc.title = "crash document " + std::to_string(i);
  std::string a = kNames[i % 20], b = kNames[(i * 7 + 3) % 20], c = kNames[(i * 13 + 5) % 20];
  x.doc.text = a + " joined " + b + ". " + b + " is in " + c + ". Padding " +
               std::string(200 + i % 300, 'x') + ".";
  auto entity = [&](const std::string& name, const char* label) {
    kg::ExtractedEntity e;
    e.name = name;
    e.label = label;
    auto pos = static_cast<uint32_t>(x.doc.text.find(name));
    e.mentions.push_back({pos, pos + static_cast<uint32_t>(name.size()), name});
    e.aliases.push_back(name + " Corp " + std::to_string(i % 5));
    return e;
  };
  x.entities = {entity(a, "Person"), entity(b, i % 3 ? "Organization" : "Group"),
                entity(c, "Country")};
  kg::ExtractedRelation r1;
  r1.type = "MEMBER_OF";
  r1.source = 0;
  r1.target = 1;
  r1.evidence.push_back({a + " joined " + b + ".", 0, 10, "test:crash", 0.5, {}});
  kg::ExtractedRelation r2;
  r2.type = i % 2 ? "LOCATED_IN" : "BASED_IN";
  r2.source = 1;
  r2.target = 2;
  r2.evidence.push_back({b + " is in " + c + ".", 11, 20, "test:crash", 0.6, {}});
  r2.evidence.push_back({b + " is in " + c + ".", 11, 20, "test:crash2", 0.7, {}});
  x.relations = {r1, r2};
  return x;
}

}  // namespace

TEST_CASE("crash writer: the child process of the crash test", "[.crash-writer]") {
  const char* path = std::getenv("KG_CRASH_STORE");
  const char* start = std::getenv("KG_CRASH_START");
  if (path == nullptr || start == nullptr) return;
  kg::store::OpenOptions options;
  options.write_buffer_bytes = 64 << 10;  // flushes and compactions happen during the kills
  auto store = kg::store::GraphStore::Open(path, options);
  if (!store) std::_Exit(3);
  for (int i = std::atoi(start);; ++i) {
    auto summary = (*store)->WriteExtraction(CrashDoc(i));
    if (!summary) std::_Exit(4);
    auto line = std::to_string(i) + "\n";
    if (::write(kReportFd, line.data(), line.size()) < 0) std::_Exit(5);
  }
}

TEST_CASE("documents survive SIGKILL whole", "[store][crash]") {
  kg::testing::TempDir dir;
  auto db = (dir.path() / "db").string();
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  REQUIRE(n > 0);
  self[n] = '\0';
  std::mt19937 rng(20240601);
  std::set<int> reported;
  int rounds_with_writes = 0;
  constexpr int kRounds = 24;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(fds[1], kReportFd);
      int null_fd = ::open("/dev/null", O_WRONLY);
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
      ::setenv("KG_CRASH_STORE", db.c_str(), 1);
      ::setenv("KG_CRASH_START", std::to_string(round * 1000000).c_str(), 1);
      ::execl(self, self, "[.crash-writer]", static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    ::close(fds[1]);
    // The kill lands while the child writes: after its first acknowledged document (a child
    // slowed by a sanitizer or a loaded machine takes long to start), at a random moment.
    pollfd first_report{fds[0], POLLIN, 0};
    bool started = ::poll(&first_report, 1, 60000) == 1;
    std::uniform_int_distribution<int> delay_ms(0, 600);
    if (started) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(pid, SIGKILL);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    INFO("round " << round << ": child exit status " << wstatus);
    REQUIRE(started);               // it acknowledged a document within a minute
    REQUIRE(WIFSIGNALED(wstatus));  // it was still writing, not failing
    std::string out;
    char buf[4096];
    ssize_t got;
    while ((got = ::read(fds[0], buf, sizeof(buf))) > 0) out.append(buf, got);
    ::close(fds[0]);
    size_t before = reported.size();
    size_t pos = 0;
    while (true) {
      size_t nl = out.find('\n', pos);
      if (nl == std::string::npos) break;  // a torn last line: not acknowledged
      reported.insert(std::stoi(out.substr(pos, nl - pos)));
      pos = nl + 1;
    }
    if (reported.size() > before) ++rounds_with_writes;

    auto store = kg::store::GraphStore::Open(db);
    INFO((store ? std::string() : store.error().message()));
    REQUIRE(store.has_value());
    auto report = kg::store::VerifyStore(**store);
    REQUIRE(report.has_value());
    for (const auto& p : report->problems) UNSCOPED_INFO(p);
    REQUIRE(report->ok());
    auto view = (*store)->NewReadView();
    std::map<uint64_t, uint64_t> evidence_per_doc;
    view->ForEachEvidence([&](const kg::store::Evidence& ev) {
      ++evidence_per_doc[ev.doc];
      return true;
    });
    for (int id : reported) {
      auto doc = view->GetDocumentByExternalId("crash-" + std::to_string(id));
      INFO("reported document crash-" << id);
      REQUIRE(doc.has_value());
      CHECK(doc->text == CrashDoc(id).doc.text);
    }
    uint64_t docs = 0;
    view->ForEachDocument([&](const kg::store::Document& d) {
      ++docs;
      INFO("document " << d.external_id);
      CHECK(evidence_per_doc[d.id] == kEvidencePerDoc);  // whole, never in part
      return true;
    });
    CHECK(docs >= reported.size());
    CHECK(view->Stats().documents == docs);
  }
  INFO("documents reported: " << reported.size());
  CHECK(rounds_with_writes == kRounds);
}
