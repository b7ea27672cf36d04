// The writable store's memtable (memtable_rep.h): a skip list with one writer and readers that
// take no lock. A node is laid out in the memtable's arena as
//
//   [next at level h-1] ... [next at level 0] [height] [entry as MemTable::Add writes it]
//
// and is known by the address of its entry, which is what RocksDB hands back to us (KeyHandle)
// and reads as the iterator's key. An entry is a varint32 length, the internal key (user key,
// then 8 bytes little-endian: sequence number << 8 | value type), a varint32 length and the
// value. The writer links a new node bottom-up with release stores after filling in its own
// pointers, so a reader that reaches it (acquire loads) sees it whole.

#include "memtable_rep.h"

#include <rocksdb/slice.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace kg::store::internal {
namespace {

using rocksdb::MemTableRep;
using rocksdb::Slice;

constexpr int kMaxHeight = 12;  // as RocksDB's: with 1 node in 4 going up a level, ~16M keys
constexpr size_t kSlot = sizeof(std::atomic<char*>);
static_assert(sizeof(uint64_t) == kSlot);

// The internal key of an entry (its varint32 length prefix decoded).
inline Slice InternalKeyOf(const char* entry) {
  const auto* p = reinterpret_cast<const unsigned char*>(entry);
  uint32_t length = p[0];
  if (length < 0x80) return Slice(entry + 1, length);
  length &= 0x7f;
  int i = 1;
  for (uint32_t shift = 7; shift <= 28; shift += 7, ++i) {
    uint32_t byte = p[i];
    length |= (byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  return Slice(entry + i + 1, length);
}

inline uint64_t SequenceOf(const Slice& internal_key) {
  uint64_t packed = 0;
  std::memcpy(&packed, internal_key.data() + internal_key.size() - 8, 8);  // little-endian host
  return packed >> 8;
}

// RocksDB's memtable order with the bytewise comparator: user keys ascending (bytewise, a
// prefix first), then sequence numbers descending (the value type does not take part).
inline int CompareInternalKeys(const Slice& a, const Slice& b) {
  size_t a_user = a.size() - 8;
  size_t b_user = b.size() - 8;
  int r = std::memcmp(a.data(), b.data(), a_user < b_user ? a_user : b_user);
  if (r != 0) return r;
  if (a_user != b_user) return a_user < b_user ? -1 : 1;
  uint64_t a_seq = SequenceOf(a);
  uint64_t b_seq = SequenceOf(b);
  return a_seq > b_seq ? -1 : a_seq < b_seq ? 1 : 0;
}

int Sign(int v) { return (v > 0) - (v < 0); }

// Whether `cmp` (the comparator RocksDB gives the memtable) orders entries as
// CompareInternalKeys does, on keys that tell the usual orders apart.
bool OrdersAsBytewise(const MemTableRep::KeyComparator& cmp) {
  std::vector<std::string> entries;
  for (std::string user : {"", "a", "ab", "b", "\x80", "\xff\x01", "\x01"}) {
    for (uint64_t seq : {1u, 300u}) {
      for (uint64_t type : {1u, 2u}) {
        std::string key = user;
        uint64_t packed = (seq << 8) | type;
        key.append(reinterpret_cast<const char*>(&packed), 8);
        std::string entry(1, static_cast<char>(key.size()));
        entries.push_back(entry + key);
      }
    }
  }
  for (const auto& a : entries) {
    for (const auto& b : entries) {
      int mine = Sign(CompareInternalKeys(InternalKeyOf(a.data()), InternalKeyOf(b.data())));
      if (Sign(cmp(a.data(), b.data())) != mine) return false;
      if (Sign(cmp(a.data(), InternalKeyOf(b.data()))) != mine) return false;
    }
  }
  return true;
}

// Iterators RocksDB ends by calling the destructor only (those it asked to place in its arena,
// which this interface gives us no way to allocate from) or with delete: ours live on the heap
// and their class's operator delete does nothing; the destructor hands the memory over to its
// thread, which frees it at the next iterator's end there, by when the destructor that handed
// it over has long returned.
struct RetiredIterator {
  void* memory = nullptr;
  ~RetiredIterator() {
    ::operator delete(memory);
    memory = nullptr;
  }
};
thread_local RetiredIterator retired_iterator;

class WriterSkipList final : public MemTableRep {
 public:
  WriterSkipList(const KeyComparator& cmp, rocksdb::Allocator* allocator)
      : MemTableRep(allocator), cmp_(cmp), bytewise_(OrdersAsBytewise(cmp)) {
    head_ = NewNode(kMaxHeight, 0);
    prev_.fill(head_);
  }

  rocksdb::KeyHandle Allocate(const size_t len, char** buf) override {
    *buf = NewNode(RandomHeight(), len);
    return *buf;
  }

  void Insert(rocksdb::KeyHandle handle) override { InsertKey(handle); }

  bool InsertKey(rocksdb::KeyHandle handle) override {
    char* node = static_cast<char*>(handle);
    Slice key = InternalKeyOf(node);
    int top = max_height_.load(std::memory_order_relaxed);
    // The previous insert's predecessors precede this key too when it is the larger: the
    // search goes on from the lowest level whose successor lies beyond it (level 0 when the
    // keys are adjacent). Otherwise from the head at the top.
    int level = top;
    if (last_ != nullptr && CompareNode(last_, key) < 0) {
      for (level = 0; level < top; ++level) {
        const char* next = Next(prev_[level], level);
        if (next == nullptr) break;
        int c = CompareNode(next, key);
        if (c == 0) return false;
        if (c > 0) break;
      }
    }
    char* x = level < top ? prev_[level] : head_;
    for (int i = level - 1; i >= 0; --i) {
      for (;;) {
        char* next = Next(x, i);
        if (next == nullptr) break;
        int c = CompareNode(next, key);
        if (c == 0) return false;  // same key and sequence number: RocksDB reports it
        if (c > 0) break;
        x = next;
      }
      prev_[i] = x;
    }
    int height = HeightOf(node);
    if (height > top) {
      for (int i = top; i < height; ++i) prev_[i] = head_;
      // Readers that see the new height before the links find nothing up there yet: fine.
      max_height_.store(height, std::memory_order_relaxed);
    }
    for (int i = 0; i < height; ++i) {
      NextSlot(node, i)->store(Next(prev_[i], i), std::memory_order_relaxed);
      NextSlot(prev_[i], i)->store(node, std::memory_order_release);
      prev_[i] = node;
    }
    last_ = node;
    return true;
  }

  bool Contains(const char* entry) const override {
    Slice key = InternalKeyOf(entry);
    const char* found = FindGreaterOrEqual(key);
    return found != nullptr && CompareNode(found, key) == 0;
  }

  size_t ApproximateMemoryUsage() override { return 0; }  // all of it is in the arena

  class Iterator final : public MemTableRep::Iterator {
   public:
    explicit Iterator(const WriterSkipList* list, bool thread_owned = false)
        : list_(list), thread_owned_(thread_owned) {}
    ~Iterator() override {
      if (thread_owned_) return;
      ::operator delete(retired_iterator.memory);
      retired_iterator.memory = this;
    }
    static void* operator new(size_t size) { return ::operator new(size); }
    static void* operator new(size_t, void* place) { return place; }
    static void operator delete(void*) {}  // see RetiredIterator

    bool Valid() const override { return node_ != nullptr; }
    const char* key() const override { return node_; }
    void Next() override { node_ = list_->Next(node_, 0); }
    void Prev() override { node_ = list_->FindLessThan(InternalKeyOf(node_)); }
    void Seek(const Slice& internal_key, const char*) override {
      node_ = list_->FindGreaterOrEqual(internal_key);
    }
    void SeekForPrev(const Slice& internal_key, const char*) override {
      Seek(internal_key, nullptr);
      if (!Valid()) SeekToLast();
      while (Valid() && list_->CompareNode(node_, internal_key) > 0) Prev();
    }
    void SeekToFirst() override { node_ = list_->Next(list_->head_, 0); }
    void SeekToLast() override { node_ = list_->FindLast(); }

   private:
    const WriterSkipList* list_;
    const char* node_ = nullptr;
    bool thread_owned_;
  };

  MemTableRep::Iterator* GetIterator(rocksdb::Arena* arena) override {
    if (arena != nullptr) return new Iterator(this);
    // Without an arena RocksDB asks for one only to look a key up (MemTableRep::Get), and that
    // iterator is never deleted in RocksDB 7.8: one per thread, reused.
    alignas(Iterator) thread_local unsigned char own[sizeof(Iterator)];
    return new (own) Iterator(this, /*thread_owned=*/true);
  }

 private:
  std::atomic<char*>* NextSlot(const char* node, int level) const {
    auto* slots = reinterpret_cast<std::atomic<char*>*>(const_cast<char*>(node));
    return slots - 2 - level;
  }
  char* Next(const char* node, int level) const {
    return NextSlot(node, level)->load(std::memory_order_acquire);
  }
  int HeightOf(const char* node) const {
    uint64_t height = 0;
    std::memcpy(&height, node - kSlot, kSlot);
    return static_cast<int>(height);
  }

  char* NewNode(int height, size_t entry_bytes) {
    size_t prefix = kSlot * (height + 1);
    char* raw = nullptr;
    MemTableRep::Allocate(prefix + entry_bytes + kSlot - 1, &raw);  // the arena's, unaligned
    auto aligned = (reinterpret_cast<uintptr_t>(raw) + kSlot - 1) & ~uintptr_t{kSlot - 1};
    char* node = reinterpret_cast<char*>(aligned) + prefix;
    uint64_t h = static_cast<uint64_t>(height);
    std::memcpy(node - kSlot, &h, kSlot);
    for (int i = 0; i < height; ++i) new (NextSlot(node, i)) std::atomic<char*>(nullptr);
    return node;
  }

  int RandomHeight() {
    int height = 1;
    while (height < kMaxHeight) {
      // xorshift64: the writer's own generator (only the writer allocates nodes).
      random_ ^= random_ << 13;
      random_ ^= random_ >> 7;
      random_ ^= random_ << 17;
      if ((random_ & 3) != 0) break;
      ++height;
    }
    return height;
  }

  int CompareNode(const char* node, const Slice& key) const {
    return bytewise_ ? CompareInternalKeys(InternalKeyOf(node), key) : cmp_(node, key);
  }

  // The last node before `key` (head_ when none); *after receives the successor that load
  // found there, the first node at or after `key`. It must be that node, not a second load of
  // the successor: by then the writer may have linked a node in between, one that sorts before
  // `key` (the same user key with a newer sequence number), and a snapshot's Get, which starts
  // from what Seek gives it and does not check sequence numbers again, would see the future.
  const char* LastBefore(const Slice& key, const char** after) const {
    const char* x = head_;
    const char* next = nullptr;
    for (int level = max_height_.load(std::memory_order_relaxed) - 1; level >= 0; --level) {
      for (;;) {
        next = Next(x, level);
        if (next == nullptr || CompareNode(next, key) >= 0) break;
        x = next;
      }
    }
    *after = next;
    return x;
  }
  // The first node at or after `key`, nullptr when none.
  const char* FindGreaterOrEqual(const Slice& key) const {
    const char* after = nullptr;
    LastBefore(key, &after);
    return after;
  }
  // The last node before `key`, nullptr when none.
  const char* FindLessThan(const Slice& key) const {
    const char* after = nullptr;
    const char* x = LastBefore(key, &after);
    return x == head_ ? nullptr : x;
  }
  const char* FindLast() const {
    const char* x = head_;
    for (int level = max_height_.load(std::memory_order_relaxed) - 1; level >= 0; --level) {
      while (const char* next = Next(x, level)) x = next;
    }
    return x == head_ ? nullptr : x;
  }

  const KeyComparator& cmp_;
  const bool bytewise_;  // CompareInternalKeys agrees with cmp_, which is then not called
  char* head_ = nullptr;
  std::atomic<int> max_height_{1};
  // The writer's: the last node inserted and its predecessor at each level (itself below its
  // height), where the next insert of a larger key starts looking.
  char* last_ = nullptr;
  std::array<char*, kMaxHeight> prev_{};
  uint64_t random_ = 0x9E3779B97F4A7C15ull;
};

class WriterMemTableFactory final : public rocksdb::MemTableRepFactory {
 public:
  MemTableRep* CreateMemTableRep(const MemTableRep::KeyComparator& cmp,
                                 rocksdb::Allocator* allocator, const rocksdb::SliceTransform*,
                                 rocksdb::Logger*) override {
    return new WriterSkipList(cmp, allocator);
  }
  const char* Name() const override { return "kg.WriterSkipList"; }
  bool IsInsertConcurrentlySupported() const override { return false; }
};

}  // namespace

std::shared_ptr<rocksdb::MemTableRepFactory> NewWriterMemTableFactory() {
  return std::make_shared<WriterMemTableFactory>();
}

}  // namespace kg::store::internal
