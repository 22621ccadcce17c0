// The CPU backend's thread count when OMP_NUM_THREADS is unset (cpu/thread_choice.hpp): the
// cores not busy with other work, within [1, the OpenMP maximum], and a backend pinned by
// OMP_NUM_THREADS keeps the OpenMP count (no remark about other work).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "../cpu/thread_choice.hpp"
#include "poreflux/backend.hpp"

namespace poreflux::testing {
namespace {

TEST(ThreadChoice, TakesTheCoresNotBusyWithOtherWork) {
  EXPECT_EQ(cpu::threads_for(2, 2, 0), 2);   // idle: every core
  EXPECT_EQ(cpu::threads_for(2, 2, 1), 1);   // one core busy: one thread
  EXPECT_EQ(cpu::threads_for(2, 2, 5), 1);   // overloaded: still one
  EXPECT_EQ(cpu::threads_for(8, 16, 4), 8);  // never above the OpenMP maximum
  EXPECT_EQ(cpu::threads_for(8, 16, 12), 4);
  EXPECT_EQ(cpu::threads_for(4, 4, -1), 4);  // /proc unreadable: as if idle
}

TEST(ThreadChoice, ReadsTheRunnableThreads) {
  // On Linux /proc/loadavg is there; this process is running, so it is not counted as busy.
  EXPECT_GE(cpu::busy_threads_now(), 0);
}

TEST(ThreadChoice, APinnedCountIsKept) {
  const char* old = std::getenv("OMP_NUM_THREADS");
  const std::string saved = old ? old : "";
  setenv("OMP_NUM_THREADS", "1", 1);  // read by the backend; libgomp read its own at start
  const std::string description = make_cpu_backend()->description();
  EXPECT_NE(description.find(" OpenMP, "), std::string::npos) << description;
  EXPECT_EQ(description.find("other thread"), std::string::npos) << description;
  if (old) setenv("OMP_NUM_THREADS", saved.c_str(), 1);
  else unsetenv("OMP_NUM_THREADS");
}

}  // namespace
}  // namespace poreflux::testing
