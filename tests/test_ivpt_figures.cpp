// The IVPT figures taken from the continuous permeation curve (MODEL.md §6): peak flux inside a
// step, the lag time only when a steady state was approached, and enhancement ratios that say
// "not meaningful" over an intact value below the floor.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/scenario_recorder.hpp"
#include "exact_solutions.hpp"
#include "study/summary_json.hpp"

namespace poreflux::testing {
namespace {

// Q(t) of Crank's infinite-dose membrane (tau = D t / h², in units of K C0 h), sampled at
// uneven "step ends" as the integrator would leave them.
analysis::PermeationTrace crank_trace(double tau_end, int steps) {
  analysis::PermeationTrace tr;
  for (int s = 0; s <= steps; ++s) {
    const double tau = tau_end * std::pow(static_cast<double>(s) / steps, 1.5);
    const double d = 1e-6;
    tr.t_s.push_back(tau);
    tr.q.push_back(exact::crank_infinite_dose_q(tau));
    const double lo = std::max(0.0, tau - d);
    tr.rate.push_back((exact::crank_infinite_dose_q(tau + d) - exact::crank_infinite_dose_q(lo)) / (tau + d - lo));
  }
  return tr;
}

TEST(IvptFigures, LagTimeOnlyAfterSteadyState) {
  // Long enough (10 lag times, lag = 1/6): Crank's h²/6D within 1 %.
  std::string note;
  const auto lag = analysis::lag_time_s(crank_trace(10.0 / 6.0, 400), &note);
  ASSERT_TRUE(lag.has_value()) << note;
  EXPECT_NEAR(*lag, 1.0 / 6.0, 0.01 / 6.0);
  // Stopped at 1.5 lag times: no steady state, and the note says why.
  note.clear();
  const auto early = analysis::lag_time_s(crank_trace(1.5 / 6.0, 200), &note);
  EXPECT_FALSE(early.has_value());
  EXPECT_NE(note.find("not reached"), std::string::npos) << note;
  EXPECT_NE(note.find("5 %"), std::string::npos) << note;
}

TEST(IvptFigures, PeakFluxFoundInsideAStep) {
  // Rate t (2 - t), Q = t² - t³/3: the peak, 1 at t = 1, lies inside the step 0.7 .. 1.6.
  analysis::PermeationTrace tr;
  for (double t : {0.0, 0.7, 1.6, 2.0}) {
    tr.t_s.push_back(t);
    tr.q.push_back(t * t - t * t * t / 3.0);
    tr.rate.push_back(t * (2.0 - t));
  }
  const auto peak = tr.peak();
  EXPECT_NEAR(peak.t_s, 1.0, 1e-2);   // between the step ends 0.7 and 1.6
  EXPECT_NEAR(peak.rate, 1.0, 1e-2);  // above both ends' rates (0.91, 0.64)
  EXPECT_GT(peak.rate, 0.91);
}

TEST(IvptFigures, EnhancementBelowTheFloorIsNotMeaningful) {
  const EnhancementRatio ok = enhancement_ratio(0.5, 0.1);
  ASSERT_TRUE(ok.value.has_value());
  EXPECT_DOUBLE_EQ(*ok.value, 5.0);
  const EnhancementRatio tiny = enhancement_ratio(0.5, 1e-40);
  EXPECT_FALSE(tiny.value.has_value());
  EXPECT_NE(tiny.note.find("below the floor"), std::string::npos) << tiny.note;
}

}  // namespace
}  // namespace poreflux::testing
