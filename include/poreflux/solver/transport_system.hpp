// The semi-discrete transport system dx/dt = F(x, t) on a backend's vectors, in the shape
// Boost.Odeint expects of a system: operator()(x, dxdt, t). Written once; each backend
// instantiates it with its Exec policy (see exec_concept.md).
#pragma once

#include <cstddef>
#include <vector>

#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/transport_functors_K.hpp"
#include "poreflux/problem.hpp"

namespace poreflux {

template <class Exec>
class TransportSystem {
 public:
  using vector = typename Exec::vector;

  explicit TransportSystem(const DiscreteProblem& problem) : problem_(problem) {
    problem.validate();
    Exec::upload(problem.dx, dx_);
    Exec::upload(problem.dy, dy_);
    Exec::upload(problem.dz, dz_);
    Exec::upload(problem.x_measure(), x_measure_);
    Exec::upload(problem.x_face_area(), x_face_);
    Exec::upload(problem.material, material_);
    view_.nx = problem.nx();
    view_.ny = problem.ny();
    view_.nz = problem.nz();
    view_.dx = Exec::data(dx_);
    view_.dy = Exec::data(dy_);
    view_.dz = Exec::data(dz_);
    view_.x_measure = Exec::data(x_measure_);
    view_.x_face = Exec::data(x_face_);
    view_.material = Exec::data(material_);
    view_.periodic_x = problem.periodic_x;
    view_.periodic_y = problem.periodic_y;
    view_.sink_bottom = problem.sink_bottom;
    view_.vehicle_contact = true;
    film_volume_cm3_ = problem.film_thickness_cm * problem.top_area_cm2();
    has_closure_ = false;
    for (const Material& m : problem.materials) has_closure_ = has_closure_ || m.closes_into >= 0;
    fixed_table_ = problem.coefficients_at(0.0);
  }

  // The odeint system signature.
  void operator()(const vector& x, vector& dxdt, double t) {
    ++rhs_evaluations_;
    const MaterialTable m = table_at(t);
    const double* xp = Exec::data(x);
    double* dp = Exec::data(dxdt);
    Exec::for_each_cell(view_.nx, view_.ny, view_.nz, TransportRateK{view_, m, xp, dp});
    const BoundaryFlows flows = Exec::sum(columns(), BoundaryFlowK{view_, m, xp}, BoundaryFlows{});
    const SinkRates sinks = m.any_volume_sink ? Exec::sum(cells(), SinkK{view_, m, xp}, SinkRates{}) : SinkRates{};
    Exec::for_each(1, ScalarRatesK{xp, dp, cells(), flows, sinks, film_volume_cm3_,
                                   problem_.vehicle_degradation_per_s, problem_.infinite_dose});
  }

  // Upper bound of the operator's spectral radius at time t (Gershgorin), for the RKC stage count.
  double spectral_radius(double t) {
    const MaterialTable m = table_at(t);
    const double cells_bound = Exec::max(cells(), GershgorinK{view_, m});
    double film_bound = 0.0;
    if (!problem_.infinite_dose)
      film_bound = Exec::sum(columns(), FilmGershgorinK{view_, m}, 0.0) / film_volume_cm3_ +
                   problem_.vehicle_degradation_per_s;
    return cells_bound > film_bound ? cells_bound : film_bound;
  }

  // Initial state: channel filling (if any) in the cells, the film at its concentration.
  vector initial_state() const {
    std::vector<double> host(state_size(), 0.0);
    if (!problem_.initial_concentration.empty())
      for (std::size_t c = 0; c < cells(); ++c) host[c] = problem_.initial_concentration[c];
    host[cells() + kVehicleConcentration] = problem_.vehicle_concentration;
    vector x;
    Exec::upload(host, x);
    return x;
  }

  // Wipe-off (MODEL §3): the film goes to "removed" and the surface is sealed from then on.
  void wipe(vector& x) {
    const std::size_t cv = cells() + kVehicleConcentration;
    // An infinite reservoir ends too; its film is counted as removed like a finite one.
    const double film_amount = Exec::get(x, cv) * film_volume_cm3_;
    Exec::set(x, cells() + kRemoved, Exec::get(x, cells() + kRemoved) + film_amount);
    Exec::set(x, cv, 0.0);
    view_.vehicle_contact = false;
  }

  // Seals or opens the surface (a wipe seals it); the host analysis mirrors the run with it.
  void set_vehicle_contact(bool contact) { view_.vehicle_contact = contact; }

  std::size_t cells() const { return cell_count(view_); }
  std::size_t columns() const { return static_cast<std::size_t>(view_.nx) * view_.ny; }
  std::size_t state_size() const { return cells() + kScalarSlots; }
  // Entries the error control weighs: the cells and the film concentration. The other scalar
  // slots are integrals of controlled quantities.
  std::size_t controlled_size() const { return cells() + 1; }
  long rhs_evaluations() const { return rhs_evaluations_; }
  const GridView& view() const { return view_; }
  const DiscreteProblem& problem() const { return problem_; }

  MaterialTable table_at(double t) const { return has_closure_ ? problem_.coefficients_at(t) : fixed_table_; }

 private:
  const DiscreteProblem& problem_;
  vector dx_, dy_, dz_, x_measure_, x_face_;
  typename Exec::byte_vector material_;
  GridView view_;
  double film_volume_cm3_ = 0.0;
  bool has_closure_ = false;
  MaterialTable fixed_table_;
  long rhs_evaluations_ = 0;
};

}  // namespace poreflux
