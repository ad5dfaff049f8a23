// SmallList<T>: a list in one pointer (std::vector takes 24 bytes), for a member of records
// kept by the million that is empty nearly always (a contact's pending wraps). Empty: no
// allocation. Otherwise one heap block (size, capacity, items); freed when it empties.
// T: trivially copyable. Not thread-safe (the core thread's, like its records).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

namespace floorwatch {

template <typename T>
class SmallList {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  SmallList() = default;
  SmallList(const SmallList& o) { CopyFrom(o); }
  SmallList(SmallList&& o) noexcept : block_(o.block_) { o.block_ = nullptr; }
  SmallList& operator=(const SmallList& o) {
    if (this != &o) {
      clear();
      CopyFrom(o);
    }
    return *this;
  }
  SmallList& operator=(SmallList&& o) noexcept {
    if (this != &o) {
      clear();
      block_ = o.block_;
      o.block_ = nullptr;
    }
    return *this;
  }
  ~SmallList() { clear(); }

  bool empty() const { return block_ == nullptr; }
  size_t size() const { return block_ ? block_->size : 0; }
  T* begin() { return block_ ? block_->items : nullptr; }
  T* end() { return block_ ? block_->items + block_->size : nullptr; }
  const T* begin() const { return block_ ? block_->items : nullptr; }
  const T* end() const { return block_ ? block_->items + block_->size : nullptr; }
  T& operator[](size_t i) { return block_->items[i]; }
  const T& operator[](size_t i) const { return block_->items[i]; }

  void push_back(const T& item) {
    if (block_ == nullptr || block_->size == block_->capacity) {
      Grow(block_ == nullptr ? 1 : 2 * block_->capacity);
    }
    block_->items[block_->size++] = item;
  }
  // Removes the item `at` points to, keeping the order; the block goes with the last item.
  void erase(T* at) {
    std::memmove(at, at + 1, (end() - at - 1) * sizeof(T));
    if (--block_->size == 0) clear();
  }
  void clear() {
    std::free(block_);
    block_ = nullptr;
  }
  void shrink_to_fit() {}  // an empty list holds no memory already

 private:
  struct Block {
    uint32_t size;
    uint32_t capacity;
    T items[1];  // `capacity` of them
  };
  static size_t BytesFor(uint32_t capacity) {
    return offsetof(Block, items) + sizeof(T) * capacity;
  }
  void Grow(uint32_t capacity) {
    void* grown = std::realloc(block_, BytesFor(capacity));
    if (grown == nullptr) throw std::bad_alloc();
    if (block_ == nullptr) static_cast<Block*>(grown)->size = 0;
    block_ = static_cast<Block*>(grown);
    block_->capacity = capacity;
  }
  void CopyFrom(const SmallList& o) {
    if (o.empty()) return;
    Grow(o.block_->size);
    std::memcpy(block_->items, o.block_->items, sizeof(T) * o.block_->size);
    block_->size = o.block_->size;
  }

  Block* block_ = nullptr;
};

}  // namespace floorwatch
