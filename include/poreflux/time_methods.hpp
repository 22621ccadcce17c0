// The time integrators, one declaration each (issue 18): its name (the config's
// numerics.method and --method), a one-line description, the work vectors it holds per cell
// (the memory estimate), whether it solves implicit stages through the linear-solver seam, and
// its factory (the stepper class template, forward-declared here and defined in
// include/poreflux/solver/). The config's choice list, the CLI's --method checks, the memory
// estimate, the string-to-enum of the model layer, the time loop (run_transport.hpp) and the
// test fixture's method list are all built from TimeMethodList. Adding a method: write its
// stepper, add a TimeMethod value and one struct below, append it to TimeMethodList.
// Free of solver and Boost headers: the config and CLI layers include it.
#pragma once

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "poreflux/problem.hpp"

namespace poreflux {

template <class Exec>
class RkcStepper;
template <class Exec, class Linear>
class TrBdf2Stepper;
template <class Exec, class Linear>
class EsdirkStepper;

struct RkcMethod {
  static constexpr TimeMethod id = TimeMethod::rkc;
  static constexpr const char* name = "rkc";
  static constexpr const char* description =
      "RKC2 (Sommeijer-Shampine-Verwer 1998, damping 2/13), symmetrised Gershgorin spectral radius";
  static constexpr bool implicit = false;
  static constexpr double work_vectors_per_cell = 6.0;  // rkc_stepper.hpp's vectors
  template <class Exec, class Linear>
  using stepper = RkcStepper<Exec>;
};

struct TrBdf2Method {
  static constexpr TimeMethod id = TimeMethod::implicit;
  static constexpr const char* name = "implicit";
  static constexpr const char* description = "TR-BDF2 (Bank et al. 1985, Hosea-Shampine 1996 error control)";
  static constexpr bool implicit = true;
  static constexpr double work_vectors_per_cell = 10.0;  // 8 in the stepper, 2 in its stage solver
  template <class Exec, class Linear>
  using stepper = TrBdf2Stepper<Exec, Linear>;
};

struct EsdirkMethod {
  static constexpr TimeMethod id = TimeMethod::esdirk;
  static constexpr const char* name = "esdirk";
  static constexpr const char* description =
      "ESDIRK4(3)6L[2]SA (Kennedy-Carpenter 2003, fourth order, embedded third-order error control)";
  static constexpr bool implicit = true;
  static constexpr double work_vectors_per_cell = 12.0;  // 6 stage rates + 4 in the stepper, 2 in its stage solver
  template <class Exec, class Linear>
  using stepper = EsdirkStepper<Exec, Linear>;
};

template <class... Methods>
struct MethodList {};
using TimeMethodList = MethodList<RkcMethod, TrBdf2Method, EsdirkMethod>;

// Below this rtol `auto` takes the fourth-order ESDIRK over TR-BDF2 for a stiff problem; the
// default rtol (1e-5) is below it. Measured (docs/BENCHMARKS.md, "Work-precision" and "Why
// ESDIRK's report-time error was large"): ESDIRK takes 4-6x fewer steps at rtol 1e-5, and since
// the implicit stages solve the film's deposit with its Jacobian, coefficient jumps are
// integrated as left limits, every break restarts the step and ESDIRK lands its steps where the
// film changes regime, its error at report times is TR-BDF2's or smaller (the vitamin C sweep:
// at most 4e-6 of the uptake at 4 h against 1.3e-5; the 1D intact configs: within 1.3x of
// TR-BDF2's, most smaller). What it costs: its negative tableau entries (a_32, b_5) leave
// round-off-sized negative amounts (~1e-45 ug, measured on configs/default.toml) in cells the
// active has not reached, which TR-BDF2 leaves at zero; the reported amounts count them as zero
// (ScenarioRecorder), the profiles keep them. At rtol 1e-4 and looser auto keeps TR-BDF2 (few
// steps either way; `method = "esdirk"` is one key away).
constexpr double kHighOrderRtol = 1e-4;

// The registry's plain data, for the layers that only need names and sizes.
struct TimeMethodInfo {
  TimeMethod id;
  const char* name;
  const char* description;
  bool implicit;
  double work_vectors_per_cell;
};

namespace detail {
template <class... Methods>
constexpr std::array<TimeMethodInfo, sizeof...(Methods)> method_infos(MethodList<Methods...>) {
  return {{{Methods::id, Methods::name, Methods::description, Methods::implicit, Methods::work_vectors_per_cell}...}};
}
}  // namespace detail

inline constexpr auto kTimeMethods = detail::method_infos(TimeMethodList{});
inline constexpr const char* kAutomaticMethodName = "auto";

// "auto" then every method's name: the config's choice list and --method's.
inline std::vector<std::string> time_method_choices() {
  std::vector<std::string> names{kAutomaticMethodName};
  for (const TimeMethodInfo& m : kTimeMethods) names.emplace_back(m.name);
  return names;
}

// Calls f with the same list as an initializer_list (TableReader::choice's argument).
namespace detail {
template <class F, class... Methods>
decltype(auto) with_choices(F&& f, MethodList<Methods...>) {
  return f(std::initializer_list<std::string_view>{kAutomaticMethodName, Methods::name...});
}
}  // namespace detail
template <class F>
decltype(auto) with_time_method_choices(F&& f) {
  return detail::with_choices(f, TimeMethodList{});
}

// The method a choice names (empty for a name not in the registry).
inline std::optional<TimeMethod> time_method_from_name(const std::string& name) {
  if (name == kAutomaticMethodName) return TimeMethod::automatic;
  for (const TimeMethodInfo& m : kTimeMethods)
    if (name == m.name) return m.id;
  return std::nullopt;
}

inline const char* time_method_name(TimeMethod id) {
  for (const TimeMethodInfo& m : kTimeMethods)
    if (m.id == id) return m.name;
  return kAutomaticMethodName;
}

}  // namespace poreflux
