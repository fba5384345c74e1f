// Tests kernels/owned_handle.hpp, the ownership CublasHandle relies on: a handle is destroyed
// exactly once, also when its owner's constructor throws after acquiring it (the leak the cuBLAS
// handle had), and moves hand it over.
#include "kernels/owned_handle.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace symbreak {
namespace {

int g_destroyed = 0;  // the fake library's record; a test resets it
void fake_destroy(int*) {
  ++g_destroyed;
}

int g_resource = 0;
using FakeHandle = OwnedHandle<int*, fake_destroy>;

// Acquires in its member initialiser, then fails, as CublasHandle does when setting the math mode
// fails.
struct FailingOwner {
  FailingOwner() : handle(&g_resource) { throw std::runtime_error("configuration failed"); }
  FakeHandle handle;
};

TEST(OwnedHandle, IsDestroyedWhenItsOwnersConstructorThrows) {
  g_destroyed = 0;
  EXPECT_THROW(FailingOwner{}, std::runtime_error);
  EXPECT_EQ(g_destroyed, 1);
}

TEST(OwnedHandle, IsDestroyedOnceAfterAMove) {
  g_destroyed = 0;
  {
    FakeHandle a(&g_resource);
    FakeHandle b(std::move(a));
    EXPECT_EQ(a.get(), nullptr);
    EXPECT_EQ(b.get(), &g_resource);
    FakeHandle c;
    c = std::move(b);
    EXPECT_EQ(g_destroyed, 0);
  }
  EXPECT_EQ(g_destroyed, 1);
}

}  // namespace
}  // namespace symbreak
