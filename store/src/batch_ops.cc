#include "batch_ops.h"

#include <algorithm>
#include <numeric>

namespace kg::store::internal {

rocksdb::WriteBatch BatchOps::Build() const {
  std::vector<uint32_t> order(ops_.size());
  std::iota(order.begin(), order.end(), 0u);
  if (!has_range_) {
    std::stable_sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) {
      const Op& x = ops_[a];
      const Op& y = ops_[b];
      return x.cf_id != y.cf_id ? x.cf_id < y.cf_id : x.key < y.key;
    });
  }
  rocksdb::WriteBatch wb(bytes_ + 32);
  for (uint32_t i : order) {
    const Op& op = ops_[i];
    switch (op.type) {
      case kPut:
        wb.Put(op.cf, op.key, op.value);
        break;
      case kMerge:
        wb.Merge(op.cf, op.key, op.value);
        break;
      case kDelete:
        wb.Delete(op.cf, op.key);
        break;
      case kDeleteRange:
        wb.DeleteRange(op.cf, op.key, op.value);
        break;
    }
  }
  return wb;
}

}  // namespace kg::store::internal
