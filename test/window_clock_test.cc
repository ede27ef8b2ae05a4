// WindowClock: which windows a packet lands in, when windows close, and what is late.
#include <gtest/gtest.h>

#include "core/error.h"
#include "window/window_clock.h"

namespace botd {
namespace {

constexpr int64_t s = 1'000'000'000;

std::vector<int64_t> indices(const Placement& placement) {
  std::vector<int64_t> out;
  for (const Window& w : placement.windows) out.push_back(w.index);
  return out;
}

TEST(WindowClock, EpochAlignedPacketFallsInTwoWindows) {
  WindowClock clock(WindowSpec{});  // 300 s every 150 s
  const Placement p = clock.place(1000 * s);  // 1000 s: windows starting at 750 and 900
  EXPECT_EQ(indices(p), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(p.windows[0].start_ns, 750 * s);
  EXPECT_EQ(p.windows[0].end_ns, 1050 * s);
  EXPECT_FALSE(p.late);
}

TEST(WindowClock, FirstAlignmentStartsAtTheFirstWholeSecond) {
  WindowSpec spec;
  spec.align = WindowAlign::first;
  WindowClock clock(spec);
  const Placement p = clock.place(1000 * s + 700'000'000);
  ASSERT_EQ(indices(p), (std::vector<int64_t>{0}));
  EXPECT_EQ(p.windows[0].start_ns, 1000 * s);
  EXPECT_EQ(indices(clock.place(1150 * s)), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(indices(clock.place(1300 * s)), (std::vector<int64_t>{1, 2}));  // window 0 ends at 1300, exclusive
}

TEST(WindowClock, ClosesWindowsAfterTheReorderAllowance) {
  WindowSpec spec;
  spec.align = WindowAlign::first;
  WindowClock clock(spec);
  clock.place(0);
  clock.place(300 * s);  // window 0 ended at 300 but may still get packets up to 1 s late
  EXPECT_TRUE(clock.take_closed().empty());
  const Placement reordered = clock.place(299 * s + 500'000'000);
  EXPECT_EQ(indices(reordered), (std::vector<int64_t>{0, 1}));
  EXPECT_FALSE(reordered.late);
  clock.place(301 * s);
  const std::vector<Window> closed = clock.take_closed();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].index, 0);
  const Placement late = clock.place(299 * s);
  EXPECT_TRUE(late.late);
  EXPECT_EQ(indices(late), (std::vector<int64_t>{1}));
}

TEST(WindowClock, OpenWindowsStayBoundedOverALongCapture) {
  WindowClock clock(WindowSpec{});
  size_t most_open = 0;
  for (int64_t t = 0; t < 86400 * s; t += s / 10) {
    clock.place(t);
    clock.take_closed();
    most_open = std::max(most_open, clock.open_count());
  }
  EXPECT_LE(most_open, 3u);  // ceil((300 + 1) / 150)
  const size_t open_at_end = clock.open_count();
  EXPECT_EQ(clock.finish().size(), open_at_end);
}

TEST(WindowClock, WholeCaptureIsOneWindow) {
  WindowSpec spec;
  spec.window_ns = 0;
  WindowClock clock(spec);
  EXPECT_EQ(indices(clock.place(5 * s)), (std::vector<int64_t>{0}));
  EXPECT_EQ(indices(clock.place(1)), (std::vector<int64_t>{0}));
  EXPECT_EQ(indices(clock.place(100000 * s)), (std::vector<int64_t>{0}));
  EXPECT_TRUE(clock.take_closed().empty());
  EXPECT_EQ(clock.finish().size(), 1u);
}

TEST(WindowClock, RejectsStepsThatLoseTraffic) {
  WindowSpec spec;
  spec.step_ns = 400 * s;
  EXPECT_THROW(spec.validate(), Error);
  spec.step_ns = 0;
  EXPECT_THROW(spec.validate(), Error);
}

}  // namespace
}  // namespace botd
