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

// A live capture's quiet link: time passes without packets, and windows close when their end
// plus the reorder allowance has passed, as a packet at that time would close them.
TEST(WindowClock, AdvancingToNowClosesWindowsWithoutPackets) {
  WindowSpec spec;
  spec.window_ns = 10 * s;
  spec.step_ns = 5 * s;
  WindowClock clock(spec);
  clock.advance_to(100 * s);  // before the first packet: no window, and no origin moved
  EXPECT_EQ(indices(clock.place(12 * s)), (std::vector<int64_t>{1, 2}));  // [5, 15) and [10, 20)
  clock.advance_to(15 * s + s / 2);  // window 1 ended at 15 but may get packets up to 16
  EXPECT_TRUE(clock.take_closed().empty());
  clock.advance_to(16 * s);
  std::vector<Window> closed = clock.take_closed();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0], (Window{1, 5 * s, 15 * s}));
  clock.advance_to(14 * s);  // an earlier time changes nothing
  EXPECT_TRUE(clock.take_closed().empty());
  const Placement late = clock.place(14 * s);  // window 1 is closed: late there, placed in 2
  EXPECT_TRUE(late.late);
  EXPECT_EQ(indices(late), (std::vector<int64_t>{2}));
  clock.advance_to(21 * s);
  closed = clock.take_closed();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].index, 2);
  EXPECT_EQ(clock.open_count(), 0u);
  EXPECT_EQ(indices(clock.place(22 * s)), (std::vector<int64_t>{3, 4}));  // the next packets open new windows
}

TEST(WindowClock, AdvancingNeverClosesTheWholeCaptureWindow) {
  WindowSpec spec;
  spec.window_ns = 0;
  WindowClock clock(spec);
  clock.place(5 * s);
  clock.advance_to(1'000'000 * s);
  EXPECT_TRUE(clock.take_closed().empty());
  EXPECT_EQ(clock.finish().size(), 1u);
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
