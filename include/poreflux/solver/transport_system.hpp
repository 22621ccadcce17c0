// The semi-discrete transport system dx/dt = F(x, t) on a backend's vectors, in the shape
// Boost.Odeint expects of a system: operator()(x, dxdt, t). Written once; each backend
// instantiates it with its Exec policy (see exec_concept.md).
//
// Coefficients that change with time (closing channels) are evaluated at each evaluation's own
// time: the cached face conductances are rebuilt whenever the channels' open fraction has
// moved. (Freezing them per step was measured to make the closing channels' stiff cells jump
// at every step boundary, which multiplied the step count 7-270x.) The state is C, so mass is
// conserved exactly whatever the coefficients do. Once the channels have closed (or never
// close) the cache is left alone.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/transport_functors_K.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/solver/host_operator.hpp"

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
    Exec::upload(reciprocals(problem.x_measure()), inv_x_measure_);
    Exec::upload(reciprocals(problem.dy), inv_dy_);
    Exec::upload(reciprocals(problem.dz), inv_dz_);
    for (auto* v : {&gx_, &gy_, &gz_, &inv_k_, &decay_, &clearance_}) Exec::resize(*v, problem.cell_count());
    Exec::resize(gtop_, problem.dx.size() * problem.dy.size());
    g_.gx = Exec::data(gx_);
    g_.gy = Exec::data(gy_);
    g_.gz = Exec::data(gz_);
    g_.top = Exec::data(gtop_);
    g_.inv_k = Exec::data(inv_k_);
    g_.decay = Exec::data(decay_);
    g_.clearance = Exec::data(clearance_);
    g_.inv_x_measure = Exec::data(inv_x_measure_);
    g_.inv_dy = Exec::data(inv_dy_);
    g_.inv_dz = Exec::data(inv_dz_);
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
    if (has_closure_) {
      const std::vector<std::size_t> touched = cells_touched_by_channels(problem);
      Exec::upload(touched, closing_cells_);
      closing_count_ = touched.size();
    }
    volumes_.resize(problem.cell_count());
    for (int k = 0; k < problem.nz(); ++k)
      for (int j = 0; j < problem.ny(); ++j)
        for (int i = 0; i < problem.nx(); ++i) volumes_[problem.index(i, j, k)] = problem.cell_volume(i, j, k);
    set_time(0.0);
  }

  // Evaluates the coefficients at time t and rebuilds the cached conductances if they changed.
  void set_time(double t) {
    const double f = problem_.open_fraction(t);
    if (built_once_ && (!has_closure_ || f == built_open_fraction_)) return;
    table_ = problem_.coefficients_at(t);
    // After the first build only the cells next to a channel change: rebuilding just those
    // keeps closure cheap (it happens at every evaluation while channels close).
    if (built_once_)
      Exec::for_each(closing_count_, ConductanceAtK{view_, table_, g_, Exec::data(closing_cells_)});
    else
      Exec::for_each_cell(view_.nx, view_.ny, view_.nz, ConductanceK{view_, table_, g_});
    built_once_ = true;
    built_open_fraction_ = f;
    ++coefficient_version_;
  }

  // Changes whenever the coefficients do (closure, a wipe): a factorisation or preconditioner
  // built for one version stays valid while it holds.
  long coefficient_version() const { return coefficient_version_; }

  // The odeint system signature.
  void operator()(const vector& x, vector& dxdt, double t) {
    ++rhs_evaluations_;
    rates(x, dxdt, t, true);
  }

  // The operator applied to a vector that is not the state (a Krylov direction): the cells'
  // and the film's rates only, the scalar slots' sinks skipped. Counted apart from RHS calls.
  void apply_operator(const vector& x, vector& dxdt, double t) {
    ++operator_applications_;
    rates(x, dxdt, t, false);
  }

  // Upper bound of the operator's spectral radius with the coefficients at time t: Gershgorin
  // on the symmetrised operator (transport_K.hpp), the film's row and column included.
  // Channels only close, so the bound at a step's start holds over it.
  double spectral_radius(double t) {
    set_time(t);
    const double s_film = film_is_unknown() ? 1.0 / std::sqrt(film_volume_cm3_) : 0.0;
    const double cells_bound = Exec::max(pencils(), GershgorinK{view_, table_, g_, s_film}, view_.nx);
    double film_bound = 0.0;
    if (film_is_unknown())
      film_bound = Exec::sum(columns(), FilmGershgorinK{view_, g_, s_film}, 0.0) + problem_.vehicle_degradation_per_s;
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
    ++coefficient_version_;
  }

  std::size_t cells() const { return cell_count(view_); }
  std::size_t pencils() const { return static_cast<std::size_t>(view_.ny) * view_.nz; }
  std::size_t columns() const { return static_cast<std::size_t>(view_.nx) * view_.ny; }
  std::size_t state_size() const { return cells() + kScalarSlots; }
  // Entries the error control weighs: the cells and the film concentration. The other scalar
  // slots are integrals of controlled quantities.
  std::size_t controlled_size() const { return cells() + 1; }
  long rhs_evaluations() const { return rhs_evaluations_; }
  const GridView& view() const { return view_; }
  const DiscreteProblem& problem() const { return problem_; }

  long operator_applications() const { return operator_applications_; }
  // The film concentration evolves (a finite dose); an infinite dose holds it fixed.
  bool film_is_unknown() const { return !problem_.infinite_dose; }
  double film_volume_cm3() const { return film_volume_cm3_; }

  // The coefficients as they stand (after set_time), copied to the host: what a host-side
  // sparse direct solver assembles its matrix from.
  HostOperator host_operator() const {
    HostOperator h;
    h.nx = view_.nx;
    h.ny = view_.ny;
    h.nz = view_.nz;
    h.periodic_x = view_.periodic_x;
    h.periodic_y = view_.periodic_y;
    h.vehicle_contact = view_.vehicle_contact;
    h.film_unknown = film_is_unknown();
    h.film_volume_cm3 = film_volume_cm3_;
    h.film_decay_per_s = problem_.vehicle_degradation_per_s;
    Exec::download(gx_, h.gx);
    Exec::download(gy_, h.gy);
    Exec::download(gz_, h.gz);
    Exec::download(gtop_, h.top);
    Exec::download(inv_k_, h.inv_k);
    Exec::download(decay_, h.decay);
    h.volume = volumes_;
    return h;
  }

  const MaterialTable& coefficient_table() const { return table_; }
  const Conductances& conductances() const { return g_; }

 private:
  const DiscreteProblem& problem_;
  vector dx_, dy_, dz_, x_measure_, x_face_;
  typename Exec::byte_vector material_;
  GridView view_;
  double film_volume_cm3_ = 0.0;
  bool has_closure_ = false;
  bool built_once_ = false;
  double built_open_fraction_ = 1.0;
  MaterialTable table_;
  vector gx_, gy_, gz_, gtop_, inv_k_, decay_, clearance_, inv_x_measure_, inv_dy_, inv_dz_;
  Conductances g_;

  typename Exec::index_vector closing_cells_;
  std::size_t closing_count_ = 0;

  // Channel cells and their six neighbours: every cell whose stored conductances (its +x,
  // +y, +z faces and the surface), 1/K or decay can change while channels close.
  static std::vector<std::size_t> cells_touched_by_channels(const DiscreteProblem& p) {
    std::vector<char> mark(p.cell_count(), 0);
    const int nx = p.nx(), ny = p.ny(), nz = p.nz();
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          if (p.materials[p.material[p.index(i, j, k)]].closes_into < 0) continue;
          mark[p.index(i, j, k)] = 1;
          mark[p.index((i + 1) % nx, j, k)] = 1;
          mark[p.index((i + nx - 1) % nx, j, k)] = 1;
          mark[p.index(i, (j + 1) % ny, k)] = 1;
          mark[p.index(i, (j + ny - 1) % ny, k)] = 1;
          if (k + 1 < nz) mark[p.index(i, j, k + 1)] = 1;
          if (k > 0) mark[p.index(i, j, k - 1)] = 1;
        }
    std::vector<std::size_t> cells;
    for (std::size_t c = 0; c < mark.size(); ++c)
      if (mark[c]) cells.push_back(c);
    return cells;
  }

  static std::vector<double> reciprocals(std::vector<double> v) {
    for (double& e : v) e = 1.0 / e;
    return v;
  }

  // dx/dt of the cells and the film; with_sinks: also the scalar slots (the full RHS).
  void rates(const vector& x, vector& dxdt, double t, bool with_sinks) {
    set_time(t);
    const MaterialTable& m = table_;
    const double* xp = Exec::data(x);
    double* dp = Exec::data(dxdt);
    Exec::for_each_cell(view_.nx, view_.ny, view_.nz, TransportRateK{view_, g_, xp, dp, xp + cells() + kVehicleConcentration});
    const BoundaryFlows flows = Exec::sum(columns(), BoundaryFlowK{view_, m, g_, xp}, BoundaryFlows{});
    const SinkRates sinks = with_sinks && m.any_volume_sink ? Exec::sum(pencils(), SinkK{view_, g_, xp}, SinkRates{}, view_.nx) : SinkRates{};
    Exec::for_each(1, ScalarRatesK{xp, dp, cells(), flows, sinks, film_volume_cm3_,
                                   problem_.vehicle_degradation_per_s, problem_.infinite_dose});
  }

  std::vector<double> volumes_;  // per cell [cm³], host (geometry never changes)
  long rhs_evaluations_ = 0;
  long operator_applications_ = 0;
  long coefficient_version_ = 0;
};

}  // namespace poreflux
