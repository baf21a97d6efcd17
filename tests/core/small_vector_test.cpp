// SmallVector: inline storage, growth to the heap, and self-referencing arguments.
#include "vdaf/core/small_vector.hpp"

#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

namespace {

using vdaf::SmallVector;

TEST(SmallVector, GrowsPastInlineCapacity) {
  SmallVector<int, 2> v;
  for (int i = 0; i < 10; ++i) v.push_back(i);
  ASSERT_EQ(v.size(), 10u);
  EXPECT_GE(v.capacity(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], i);
}

// push_back and assign of an element of the vector itself, at the moment the vector moves to a
// larger buffer: the value must be read before the old buffer goes.
TEST(SmallVector, SelfReferenceAcrossReallocation) {
  SmallVector<int, 2> v;
  v.push_back(7);
  v.push_back(8);
  v.push_back(v[0]);  // full: reallocates
  EXPECT_EQ((std::vector<int>(v.begin(), v.end())), (std::vector<int>{7, 8, 7}));
  v.assign(50, v[1]);  // reallocates from capacity 4 to 50
  ASSERT_EQ(v.size(), 50u);
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], 8) << i;
}

TEST(SmallVector, AssignRangeAndResize) {
  SmallVector<int, 4> v;
  const std::vector<int> src = {1, 2, 3, 4, 5, 6};
  v.assign(src.begin(), src.end());
  EXPECT_EQ((std::vector<int>(v.begin(), v.end())), src);
  v.resize(2);
  v.resize(4, 9);
  EXPECT_EQ((std::vector<int>(v.begin(), v.end())), (std::vector<int>{1, 2, 9, 9}));
}

}  // namespace
