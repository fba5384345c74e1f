// A library handle (cuBLAS, ...) owned like a unique_ptr: destroyed exactly once, by whoever holds
// it last. As a member it is destroyed even when the rest of its owner's constructor throws, which
// a raw handle member is not.
#pragma once

#include <utility>

namespace symbreak {

template <class Handle, auto Destroy>
class OwnedHandle {
 public:
  OwnedHandle() = default;
  explicit OwnedHandle(Handle handle) : handle_(handle) {}
  ~OwnedHandle() {
    if (handle_) Destroy(handle_);
  }
  OwnedHandle(OwnedHandle&& other) noexcept : handle_(std::exchange(other.handle_, Handle{})) {}
  OwnedHandle& operator=(OwnedHandle&& other) noexcept {
    if (this != &other) {
      if (handle_) Destroy(handle_);
      handle_ = std::exchange(other.handle_, Handle{});
    }
    return *this;
  }
  OwnedHandle(const OwnedHandle&) = delete;
  OwnedHandle& operator=(const OwnedHandle&) = delete;

  Handle get() const { return handle_; }

 private:
  Handle handle_{};
};

}  // namespace symbreak
