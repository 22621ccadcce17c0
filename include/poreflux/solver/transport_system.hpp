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
//
// The film (film.hpp) is one more unknown with a time-dependent capacity K_f(t) from its
// history, coupled through its activity, which saturates: the rates use the full relation;
// the implicit stages use its linearisation about the step's regime (linearise()).
#pragma once

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/film.hpp"
#include "poreflux/kernels/implicit_K.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/transport_functors_K.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/solver/host_operator.hpp"

namespace poreflux {

template <class Exec>
class TransportSystem {
 public:
  using vector = typename Exec::vector;

  explicit TransportSystem(const DiscreteProblem& problem) : problem_(problem), film_(effective_film(problem)) {
    problem.validate();
    film_.validate(problem.duration_s);
    Exec::resize(film_coupling_, 2);
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
    view_.vehicle_contact = 1.0;
    film_volume_cm3_ = problem.film_thickness_cm * problem.top_area_cm2();
    evaporation_cm3_s_ = film_.active_evaporation_cm_per_s * problem.top_area_cm2();
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
    film_can_saturate_ = saturation_reachable();
    lin_regime_ = film_regime(problem.vehicle_concentration, 0.0);
    lin_inverse_capacity_ = inverse_capacity(0.0);
    lin_activity_slope_ = lin_regime_ == FilmRegime::dissolved ? lin_inverse_capacity_ : 0.0;
    view_.vehicle_contact = lin_regime_ != FilmRegime::sealed ? 1.0 : 0.0;
    if (!film_.can_saturate())
      for (std::size_t i = 0; i < film_.segments.size(); ++i)
        for (double k : film_.segments[i].capacity)
          if (!(k > kMinCapacity) && !(i > 0 && film_.events[i - 1].removed_fraction >= 1.0 &&
                                       film_.events[i - 1].added_state_ug_per_cm3 == 0.0))
            throw std::invalid_argument(
                "the vehicle film dries out completely, and the active's solubility is not known: give the "
                "compound's water_solubility or [vehicle] solubility, so that the residue can be modelled");
  }

  // The time loop integrates between breaks (run_transport.hpp): where the film dries or the SC
  // dehydrates, coefficients jump at a known time b. Integrating up to b, every evaluation up
  // to and including b must see the film before the jump: the left limit. Evaluated at b itself
  // the flags (t < dry_from) gave the state after it, so a step ending at b had its last stage
  // (ESDIRK's c = 1, TR-BDF2's BDF2 stage) and its end rate on the wrong side of the jump: a
  // local error of order h x the jump, which the controller met by cutting steps toward b until
  // it fell below the tolerance (docs/MODEL.md §8).
  void set_segment_end(double b) {
    segment_end_ = b;
    segment_end_left_ = std::nextafter(b, -std::numeric_limits<double>::infinity());
  }
  // The time at which the film's and the SC's discrete state (liquid, hydrated, the saturation
  // in force) are read: t, or just before the segment's end at and past it.
  double phase_time(double t) const { return t >= segment_end_ ? segment_end_left_ : t; }

  // Evaluates the coefficients at time t and rebuilds the cached conductances if they changed.
  void set_time(double t) {
    const double f = problem_.open_fraction(t, needled_at_s_);
    const bool liquid = film_.liquid(segment_, phase_time(t));
    const bool hydrated = film_.sc_hydrated(segment_, phase_time(t));
    const double top_resistance = liquid ? 0.0 : film_.dry_deposit_resistance_s_per_cm;
    // The SC's hydration and a dried deposit's resistance change every surface or SC cell:
    // a full rebuild (they jump at known times, which the time loop steps to).
    const bool everywhere = !built_once_ || hydrated != built_hydrated_ || top_resistance != built_top_resistance_;
    if (!everywhere && (!has_closure_ || (f == built_open_fraction_ && liquid == built_liquid_))) return;
    table_ = problem_.coefficients_at(t, liquid, needled_at_s_, hydrated, top_resistance);
    // After the first build only the cells next to a channel change: rebuilding just those
    // keeps closure cheap (it happens at every evaluation while channels close).
    if (!everywhere) Exec::for_each(closing_count_, ConductanceAtK{view_, table_, g_, Exec::data(closing_cells_)});
    else Exec::for_each_cell(view_.nx, view_.ny, view_.nz, ConductanceK{view_, table_, g_});
    built_once_ = true;
    built_open_fraction_ = f;
    built_liquid_ = liquid;
    built_hydrated_ = hydrated;
    built_top_resistance_ = top_resistance;
    ++coefficient_version_;
  }

  // The film's regime for a state whose film slot is s, at t: what film_coupling does with it.
  enum class FilmRegime { reservoir, dissolved, deposit, sealed };
  FilmRegime film_regime(double s, double t) const {
    const double inv = inverse_capacity(t);
    if (problem_.infinite_dose && inv > 0.0) return FilmRegime::reservoir;
    if (inv > 0.0 && s * inv < film_.saturation_at(segment_, phase_time(t))) return FilmRegime::dissolved;
    return s > 0.0 ? FilmRegime::deposit : FilmRegime::sealed;
  }
  FilmRegime film_regime(const vector& x, double t) const {
    return film_regime(Exec::get(x, cells() + kVehicleConcentration), t);
  }

  // Fixes the film's linearisation for the implicit stages about state z at time t (their
  // Newton iteration's Jacobian): dissolved, the film is an unknown of capacity K_f(t), its
  // activity s / K_f; a dry particulate deposit that covers part of the surface is an unknown
  // too, its activity c(s) a_sat linearised about z (slope a_sat dc/ds, deposit_activity_slope);
  // saturated in full contact, or empty, it is held (its activity does not depend on its
  // amount), in contact or sealed. Returns the regime.
  FilmRegime linearise(const vector& z, double t) {
    set_time(t);
    const double s = Exec::get(z, cells() + kVehicleConcentration);
    const FilmRegime regime = film_regime(s, t);
    const double inv = inverse_capacity(t);
    const double contact = regime == FilmRegime::sealed ? 0.0 : 1.0;
    lin_coverage_ = regime == FilmRegime::deposit ? deposit_coverage(s, t) : 1.0;
    const double slope = regime == FilmRegime::dissolved ? inv
                         : regime == FilmRegime::deposit ? deposit_activity_slope(s, t)
                                                         : 0.0;
    if (regime != lin_regime_ || slope != lin_activity_slope_ || inv != lin_inverse_capacity_ ||
        contact != view_.vehicle_contact)
      ++coefficient_version_;
    lin_regime_ = regime;
    lin_activity_slope_ = slope;
    lin_inverse_capacity_ = inv;
    view_.vehicle_contact = contact;
    return regime;
  }

  // Whether the film's coupling can change regime within a run (a solubility limit, or a film
  // that can empty): the implicit stages then iterate on the regime (TrBdf2Stepper).
  bool film_is_nonlinear() const { return film_can_saturate_; }

  // Whether the linearisation still describes state z at t: the same regime and, for a
  // particulate deposit, the same coverage (to far below the tolerances), so that the implicit
  // stages iterate until the coverage they assumed is the one their solution has.
  bool linearisation_holds(const vector& z, double t) const {
    if (film_regime(z, t) != lin_regime_) return false;
    if (lin_regime_ != FilmRegime::deposit || !(film_.deposit_full_coverage_ug_per_cm2 > 0.0)) return true;
    const double c = deposit_coverage(Exec::get(z, cells() + kVehicleConcentration), t);
    return std::fabs(c - lin_coverage_) <= kCoverageTolerance * std::max(c, 1e-300);
  }

  // d(activity)/ds of a deposit of film slot s at t: a_sat dc/ds = a_sat (2/3) c / (s - s_dissolved)
  // while a dry particulate deposit covers part of the surface (c < 1); 0 otherwise (the
  // deposit's activity does not depend on its amount). Without it in the stages' Jacobian, the
  // coverage was iterated as a fixed point, which diverges once h |dF/ds| > 1 (long steps) and
  // left the stage equations unsolved after kRegimeIterations (docs/MODEL.md §8).
  double deposit_activity_slope(double s, double t) const {
    const double excess = undissolved(s, t);  // s - s_dissolved
    const double deposit = excess * problem_.film_thickness_cm;
    if (!(deposit > 0.0) || deposit >= film_.deposit_full_coverage_ug_per_cm2) return 0.0;
    return film_.saturation_at(segment_, phase_time(t)) * (2.0 / 3.0) * deposit_coverage(s, t) / excess;
  }

  // The share of the surface a dry particulate deposit of film slot s touches at t (1 while the
  // film is liquid, or for a deposit in full contact): min(1, (M / M_full)^(2/3)), M its
  // amount per area (what the film holds beyond its dissolved part).
  double deposit_coverage(double s, double t) const {
    const double full = film_.deposit_full_coverage_ug_per_cm2;
    const double deposit = undissolved(s, t) * problem_.film_thickness_cm;
    if (!(deposit > 0.0)) return 1.0;
    return deposit >= full ? 1.0 : std::cbrt((deposit / full) * (deposit / full));
  }

  // What a dry film of slot s holds at t beyond its dissolved part, in the slot's units (times
  // the film thickness: the deposit per area); 0 while the film is liquid or the deposit has no
  // coverage model (deposit_full_coverage_ug_per_cm2 unset). The one computation the coverage
  // and its slope share.
  double undissolved(double s, double t) const {
    if (!(film_.deposit_full_coverage_ug_per_cm2 > 0.0) || film_.liquid(segment_, phase_time(t))) return 0.0;
    const double inv = inverse_capacity(t);
    return s - (inv > 0.0 ? std::min(s, film_.saturation_at(segment_, phase_time(t)) / inv) : 0.0);
  }

  // An event of the film's history (wash, application): applied to the state between two
  // integration segments; the next segment of the history starts.
  void apply_event(vector& x, std::size_t event) {
    const FilmEvent& e = film_.events.at(event);
    const std::size_t slot = cells() + kVehicleConcentration;
    const double s = Exec::get(x, slot);
    const double removed = e.removed_fraction * s * film_volume_cm3_;
    const double added = e.added_state_ug_per_cm3 * film_volume_cm3_;
    Exec::set(x, cells() + kRemoved, Exec::get(x, cells() + kRemoved) + removed);
    Exec::set(x, cells() + kApplied, Exec::get(x, cells() + kApplied) + added);
    Exec::set(x, slot,
              e.removed_fraction >= 1.0 ? e.added_state_ug_per_cm3
                                        : s * (1.0 - e.removed_fraction) + e.added_state_ug_per_cm3);
    segment_ = event + 1;
    built_once_ = built_once_ && !has_closure_;  // the channels' top contact may change
    lin_regime_ = FilmRegime::sealed;
    ++coefficient_version_;
    set_time(e.time_s);
  }
  std::size_t segment() const { return segment_; }

  // A later needling session (problem().needling_times_s): the channels are made again and
  // start to close anew. Their cells keep what they hold (the state is C, so mass is kept as
  // K changes back to the channel's); the film above fills them through their open mouths.
  void needle_again(double t) {
    needled_at_s_ = t;
    ++coefficient_version_;
    set_time(t);
  }
  const FilmHistory& film() const { return film_; }

  // Changes whenever the coefficients do (closure, a wipe): a factorisation or preconditioner
  // built for one version stays valid while it holds.
  long coefficient_version() const { return coefficient_version_; }

  // Checked at every evaluation (so within a fraction of a second, even inside a long linear
  // solve): non-zero stops the run with Interrupted.
  void set_interrupt(const volatile std::sig_atomic_t* flag) { interrupt_ = flag; }

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

  // The implicit stage's product fused with the Krylov inner product: q = p - dh A p on the
  // cells and the film (A linearised as apply_operator's), returning <p, q>_W with W = V/K on
  // the cells and film_weight on the film. The cells' rates, the update and their share of the
  // product are one pass (StageApplyDotK): one parallel loop where apply_operator and a
  // separate update made two (docs/ARCHITECTURE.md, threads).
  double apply_stage_dot(const vector& p, vector& q, double t, double dh, double film_weight) {
    ++operator_applications_;
    double cells_dot = 0.0;
    rates(p, q, t, false, [&](const TransportRateK& cell_rates) {
      cells_dot = Exec::sum(pencils(), StageApplyDotK{cell_rates, dh}, 0.0, view_.nx);
    });
    const double film_dot = Exec::sum(
        1, FilmApplyDotK{Exec::data(p), Exec::data(q), cells() + kVehicleConcentration, dh, film_weight}, 0.0);
    return cells_dot + film_dot;
  }

  // Upper bound of the operator's spectral radius over [t0, t1] for the state x: Gershgorin on
  // the symmetrised operator (transport_K.hpp), the film's row and column included while it is
  // dissolved, with its smallest capacity over the interval (a drying film stiffens). Channels
  // only close, so the cells' bound at t0 holds over the interval.
  double spectral_radius(const vector& x, double t0, double t1) {
    const double s = Exec::get(x, cells() + kVehicleConcentration);
    const bool dissolved = film_regime(s, t0) == FilmRegime::dissolved;
    return spectral_bound(
        t0,
        dissolved ? std::max(smallest_capacity(t0, t1), 0.5 * s / film_.saturation_at(segment_, phase_time(t0))) : 0.0);
  }
  // The same at one instant with the film taken as dissolved (a finite dose) at its capacity.
  double spectral_radius(double t) {
    return spectral_bound(t, film_is_unknown_at(t) ? film_.capacity(segment_, t) : 0.0);
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
  // The film is an unknown of the implicit stages when its activity depends on its amount as
  // linearised: dissolved (a finite dose with liquid, below saturation), or a dry particulate
  // deposit covering part of the surface; held otherwise (see linearise()).
  bool film_is_unknown() const { return lin_activity_slope_ > 0.0 && lin_regime_ != FilmRegime::reservoir; }
  // d(activity)/ds as linearised: 1 / K_f dissolved (the film's weight in the V/K inner
  // product is V_ref / K_f, a cell of capacity K_f); a partial deposit's slope likewise.
  double film_inverse_capacity() const { return lin_activity_slope_; }
  double film_weight() const { return film_volume_cm3_ * lin_activity_slope_; }
  // The linearised film's own first-order loss [1/s]: d/ds of its degradation (of the
  // dissolved part, K_f V_ref a) and its evaporation (per unit of activity).
  double linear_film_decay_per_s() const {
    if (lin_regime_ == FilmRegime::dissolved) return film_decay_per_s(lin_inverse_capacity_);  // the same, exactly
    const double dissolved_capacity = lin_inverse_capacity_ > 0.0 ? film_volume_cm3_ / lin_inverse_capacity_ : 0.0;
    return (problem_.vehicle_degradation_per_s * dissolved_capacity + evaporation_cm3_s_) * lin_activity_slope_ /
           film_volume_cm3_;
  }
  // The film's own first-order loss as a rate of its slot [1/s]: degradation of the dissolved
  // active and its evaporation.
  double film_decay_per_s(double inverse_capacity) const {
    return problem_.vehicle_degradation_per_s + evaporation_cm3_s_ * inverse_capacity / film_volume_cm3_;
  }
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
    h.film_inverse_capacity = film_is_unknown() ? lin_activity_slope_ : 1.0;
    h.film_decay_per_s = linear_film_decay_per_s();
    h.film_drives_cells = lin_regime_ == FilmRegime::reservoir;
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
  const volatile std::sig_atomic_t* interrupt_ = nullptr;
  FilmHistory film_;
  std::size_t segment_ = 0;
  double segment_end_ = std::numeric_limits<double>::infinity();  // set_segment_end
  double segment_end_left_ = std::numeric_limits<double>::infinity();
  FilmRegime lin_regime_ = FilmRegime::sealed;
  double needled_at_s_ = 0.0;
  bool film_can_saturate_ = false;
  double lin_inverse_capacity_ = -1.0;  // 1 / K_f at the linearisation (0: no liquid)
  double lin_activity_slope_ = -1.0;    // d(activity)/ds at the linearisation (film_inverse_capacity)
  vector film_coupling_;                // [activity, contact] of the last evaluation, where the state lives
  double evaporation_cm3_s_ = 0.0;
  bool built_liquid_ = true;
  bool built_hydrated_ = true;
  double built_top_resistance_ = 0.0;
  double lin_coverage_ = 1.0;  // a particulate deposit's coverage at the linearisation
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

  // Capacities below this (relative to the first film) count as no liquid at all.
  static constexpr double kMinCapacity = 1e-12;
  // The implicit stages iterate until a particulate deposit's coverage settles to this.
  static constexpr double kCoverageTolerance = 1e-9;

  // The history the problem asks for; a problem with none keeps its film (and a legacy wipe
  // empties it).
  static FilmHistory effective_film(const DiscreteProblem& p) {
    if (!p.film.segments.empty()) return p.film;
    return p.wipe_time_s ? FilmHistory::constant_until_wiped(p.duration_s, *p.wipe_time_s)
                         : FilmHistory::constant(p.duration_s);
  }

  // Whether the film can ever reach its saturation activity: at most all the active ever put
  // on the skin in the smallest capacity the film has. A film that cannot stays on the plain
  // linear path (one solve per stage).
  bool saturation_reachable() const {
    if (problem_.infinite_dose || !film_.can_saturate()) return false;
    double most = problem_.vehicle_concentration, least_capacity = 1e300;
    for (const FilmEvent& e : film_.events) most += e.added_state_ug_per_cm3;
    for (const FilmSegment& seg : film_.segments)
      for (double k : seg.capacity) least_capacity = std::min(least_capacity, k);
    // A dried deposit's activity counts only for a film that can dry.
    bool can_dry = false;
    for (const FilmSegment& seg : film_.segments) can_dry = can_dry || std::isfinite(seg.dry_from_s);
    const double saturation =
        can_dry ? std::min(film_.saturation_activity, film_.dry_deposit_activity) : film_.saturation_activity;
    return !(least_capacity > kMinCapacity) || most / least_capacity >= saturation;
  }

  double inverse_capacity(double t) const {
    const double k = film_.capacity(segment_, t);
    return k > kMinCapacity ? 1.0 / k : 0.0;
  }
  bool film_is_unknown_at(double t) const { return !problem_.infinite_dose && inverse_capacity(t) > 0.0; }

  // The smallest film capacity over [t0, t1] within the current segment (knots and ends).
  double smallest_capacity(double t0, double t1) const {
    const FilmSegment& seg = film_.segments[segment_];
    double k = std::min(film_.capacity(segment_, t0), film_.capacity(segment_, t1));
    for (std::size_t i = 0; i < seg.t_s.size(); ++i)
      if (seg.t_s[i] > t0 && seg.t_s[i] < t1) k = std::min(k, seg.capacity[i]);
    return k;
  }

  // The Gershgorin bound at t with the film dissolved at capacity `film_capacity` (0: the film
  // is held and has no row).
  double spectral_bound(double t, double film_capacity) {
    set_time(t);
    const bool unknown = film_capacity > kMinCapacity && !problem_.infinite_dose;
    const double inv = unknown ? 1.0 / film_capacity : 0.0;
    const double s_film = unknown ? std::sqrt(inv / film_volume_cm3_) : 0.0;
    const double contact = view_.vehicle_contact;
    view_.vehicle_contact = 1.0;  // the bound covers a film in full contact
    const double cells_bound = Exec::max(pencils(), GershgorinK{view_, table_, g_, s_film}, view_.nx);
    double film_bound = 0.0;
    if (unknown) film_bound = Exec::sum(columns(), FilmGershgorinK{view_, g_, s_film}, 0.0) + film_decay_per_s(inv);
    view_.vehicle_contact = contact;
    return cells_bound > film_bound ? cells_bound : film_bound;
  }

  // dx/dt of the cells and the film; with_sinks: the full RHS (the film's full relation and the
  // scalar slots' sinks), else the operator linearised about the step's regime.
  // `cells_pass` runs the cells' rates (TransportRateK, given); by default one launch over the
  // cells, apply_stage_dot fuses more work into it.
  void rates(const vector& x, vector& dxdt, double t, bool with_sinks) {
    rates(x, dxdt, t, with_sinks,
          [&](const TransportRateK& cell_rates) { Exec::for_each_cell(view_.nx, view_.ny, view_.nz, cell_rates); });
  }
  template <class CellsPass>
  void rates(const vector& x, vector& dxdt, double t, bool with_sinks, const CellsPass& cells_pass) {
    if (interrupt_ && *interrupt_) throw Interrupted();
    set_time(t);
    const MaterialTable& m = table_;
    const double* xp = Exec::data(x);
    double* dp = Exec::data(dxdt);
    // The linearised film's activity is slope x s (film_inverse_capacity; 1 / K_f dissolved).
    const double inv = with_sinks ? inverse_capacity(t) : lin_activity_slope_;
    int mode = kFilmFree;
    if (with_sinks && problem_.infinite_dose && inv > 0.0) mode = kFilmReservoir;
    if (!with_sinks)
      mode = lin_regime_ == FilmRegime::reservoir ? kFilmReservoir
             : film_is_unknown()                  ? kFilmLinearDissolved
                                                  : kFilmLinearHeld;
    double* film = Exec::data(film_coupling_);
    // A dry film's deposit holds the deposit model's activity (FilmHistory::saturation_at);
    // with no liquid left at all it is what a dry deposit presents.
    const double saturation = film_.saturation_at(segment_, phase_time(t));
    const double dry_activity =
        film_.liquid(segment_, phase_time(t)) ? std::min(film_.solubility_activity, saturation) : saturation;
    // A particulate deposit's coverage scales the activity it presents (the full rates only; the
    // implicit stages hold it and iterate until it settles, linearisation_holds).
    const double coverage = mode == kFilmFree && film_.deposit_full_coverage_ug_per_cm2 > 0.0
                                ? deposit_coverage(Exec::get(x, cells() + kVehicleConcentration), t)
                                : 1.0;
    Exec::for_each(1, FilmCouplingK{xp + cells() + kVehicleConcentration, film, inv, saturation, dry_activity, mode,
                                    view_.vehicle_contact, coverage});
    cells_pass(TransportRateK{view_, g_, xp, dp, film});
    const BoundaryFlows flows = Exec::sum(columns(), BoundaryFlowK{view_, m, g_, xp, film}, BoundaryFlows{});
    const SinkRates sinks = with_sinks && m.any_volume_sink
                                ? Exec::sum(pencils(), SinkK{view_, g_, xp}, SinkRates{}, view_.nx)
                                : SinkRates{};
    const double capacity_inv = with_sinks ? inv : lin_inverse_capacity_;
    const double dissolved_capacity = capacity_inv > 0.0 ? film_volume_cm3_ / capacity_inv : 0.0;
    const bool reservoir = mode == kFilmReservoir;
    const bool held = reservoir || mode == kFilmLinearHeld;
    Exec::for_each(1, ScalarRatesK{xp, dp, cells(), flows, sinks, film, film_volume_cm3_, dissolved_capacity,
                                   problem_.vehicle_degradation_per_s, evaporation_cm3_s_, reservoir, held});
  }

  std::vector<double> volumes_;  // per cell [cm³], host (geometry never changes)
  long rhs_evaluations_ = 0;
  long operator_applications_ = 0;
  long coefficient_version_ = 0;
};

}  // namespace poreflux
