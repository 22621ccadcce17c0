#include "progress.hpp"

#include <cstdio>

namespace poreflux::cli {

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled) {}

void ProgressLine::update(const std::string& scenario, double t_s, double duration_s) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (scenario != scenario_) {
    finish();
    scenario_ = scenario;
    scenario_start_ = now;
  } else if (now - last_draw_ < std::chrono::milliseconds(200) && t_s < duration_s) {
    return;
  }
  last_draw_ = now;
  const double fraction = duration_s > 0 ? t_s / duration_s : 1.0;
  const double elapsed = std::chrono::duration<double>(now - scenario_start_).count();
  const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
  std::fprintf(stderr, "\r  [%s] t = %8.3f h of %.4g h (%5.1f %%), elapsed %.1f s, ETA %.0f s   ", scenario.c_str(),
               t_s / 3600.0, duration_s / 3600.0, 100.0 * fraction, elapsed, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace poreflux::cli
