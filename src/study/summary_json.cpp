#include "summary_json.hpp"

#include <cmath>
#include <cstdio>

#include "json_writer.hpp"
#include "parameters/resolve_parameters.hpp"
#include "poreflux/version.hpp"

namespace poreflux {

EnhancementRatio enhancement_ratio(double treated_fraction, double intact_fraction) {
  if (intact_fraction >= kEnhancementFloor) return {treated_fraction / intact_fraction, ""};
  char buf[160];
  std::snprintf(buf, sizeof buf, "not meaningful: the intact value (%.3g of the dose) is below the floor of %.0e of the dose",
                intact_fraction, kEnhancementFloor);
  return {std::nullopt, buf};
}

std::optional<Enhancement> enhancement(const RunResult& run) {
  const ScenarioResult* intact = nullptr;
  const ScenarioResult* treated = nullptr;
  for (const ScenarioResult& s : run.scenarios) {
    if (s.name == "intact") intact = &s;
    if (s.name == "treated") treated = &s;
  }
  if (!intact || !treated) return std::nullopt;
  const ScenarioSummary &t = treated->summary, &i = intact->summary;
  const double dose = run.applied_ug_per_cm2;
  const double flux_scale = run.duration_h / dose;  // ug/cm2/h -> fraction of the dose over the run
  return Enhancement{enhancement_ratio(t.uptake_fraction, i.uptake_fraction),
                     enhancement_ratio(t.dermal_delivery_fraction, i.dermal_delivery_fraction),
                     enhancement_ratio(t.cumulative_permeated_ug_per_cm2 / dose, i.cumulative_permeated_ug_per_cm2 / dose),
                     enhancement_ratio(t.flux_max_ug_per_cm2_h * flux_scale, i.flux_max_ug_per_cm2_h * flux_scale)};
}

namespace {

void scenario_object(JsonWriter& w, const ScenarioResult& s) {
  w.begin_object(s.name);
  w.begin_object("fraction_of_dose");
  for (std::size_t c = 0; c < compartment_names().size(); ++c) w.field(compartment_names()[c], s.summary.fraction_of_dose[c]);
  w.end_object();
  w.field("uptake_fraction", s.summary.uptake_fraction);
  w.field("dermal_delivery_fraction", s.summary.dermal_delivery_fraction);
  w.field("cumulative_permeated_ug_per_cm2", s.summary.cumulative_permeated_ug_per_cm2);
  w.field("flux_max_ug_per_cm2_h", s.summary.flux_max_ug_per_cm2_h);
  w.field("t_flux_max_h", s.summary.t_flux_max_h);
  w.field("lag_time_h", s.summary.lag_time_h);
  if (!s.summary.lag_time_h) w.field("lag_time_note", s.summary.lag_time_note);
  w.field("mass_balance_error", s.summary.mass_balance_error);
  w.field("total_dose_ug_per_cm2", s.total_dose_ug_per_cm2);
  w.begin_array("applications");
  for (const FilmApplicationSummary& a : s.applications) {
    w.begin_object();
    w.field("applied_at_h", a.applied_at_h);
    w.field("dose_ug_per_cm2", a.dose_ug_per_cm2);
    w.field("dry_after_h", a.dry_after_h);
    w.field("vehicle_evaporated_fraction", a.vehicle_evaporated_fraction);
    w.field("max_degree_of_saturation", a.max_degree_of_saturation);
    w.field("saturated_after_h", a.saturated_after_h);
    w.field("max_precipitated_ug_per_cm2", a.max_precipitated_ug_per_cm2);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void vehicle_object(JsonWriter& w, const Study& study) {
  const VehicleSpec& v = study.vehicle;
  w.begin_object("vehicle");
  w.field("dose", std::string(v.mode == DoseMode::infinite ? "infinite" : "finite"));
  w.field("preset", v.composition ? v.composition->preset : std::string());
  w.begin_object("composition_volume_fractions");
  if (v.composition)
    for (std::size_t i = 0; i < v.composition->components.size(); ++i)
      w.field(v.composition->components[i].name, v.composition->volume_fractions[i]);
  w.end_object();
  w.field("water_partition", v.water_partition.value);
  w.field("solubility_mg_per_mL", v.solubility_ug_per_cm3 ? std::optional<double>(v.solubility_ug_per_cm3->value / 1e3) : std::nullopt);
  w.field("supersaturation_limit", v.supersaturation_limit);
  w.flag("occluded", study.protocol.environment.occluded);
  w.field("air_speed_m_s", study.protocol.environment.air_speed_cm_s / 100.0);
  w.field("relative_humidity", study.protocol.environment.relative_humidity);
  w.field("applications", static_cast<long long>(study.protocol.applications.size() + 1));
  w.field("washes", static_cast<long long>(study.protocol.washes.size() + (study.protocol.wipe_time_s ? 1 : 0)));
  w.end_object();
}

void parameters_array(JsonWriter& w, const Study& study) {
  w.begin_object("compound");
  w.field("name", study.compound.name);
  w.field("relations", study.parameter_model.relations);
  w.field("relations_description", std::string(relation_set_description(study.parameter_model.relations)));
  w.field("site", study.parameter_model.site);
  w.end_object();
  w.begin_array("parameters");
  for (const DerivedParameter& p : study.parameters) {
    w.begin_object();
    w.field("name", p.name);
    w.field("value", p.value);
    w.field("unit", p.unit);
    w.field("relation", p.relation);
    w.begin_object("inputs");
    for (const DerivationInput& in : p.inputs) {
      w.begin_object(in.name);
      w.field("value", in.value);
      w.field("unit", in.unit);
      w.end_object();
    }
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.begin_array("warnings");
  for (const StudyWarning& warning : study.warnings) {
    w.begin_object();
    w.field("code", warning.code);
    w.field("message", warning.message);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string summary_json(const Study& study, const RunResult& run) {
  JsonWriter w;
  w.begin_object();
  w.field("schema", std::string(kSummarySchema));
  w.field("poreflux_version", std::string(kVersion));
  w.field("backend", run.backend);
  w.field("backend_description", run.backend_description);
  w.field("duration_h", run.duration_h);
  w.field("applied_ug_per_cm2", run.applied_ug_per_cm2);
  parameters_array(w, study);
  vehicle_object(w, study);
  w.begin_object("scenarios");
  for (const ScenarioResult& s : run.scenarios) scenario_object(w, s);
  w.end_object();
  if (const auto e = enhancement(run)) {
    w.begin_object("enhancement");
    auto ratio = [&](const char* key, const EnhancementRatio& r) {
      w.field(key, r.value);
      if (!r.value) w.field(std::string(key) + "_note", r.note);
    };
    ratio("uptake", e->uptake);
    ratio("dermal_delivery", e->dermal_delivery);
    ratio("cumulative_permeated", e->cumulative_permeated);
    ratio("flux_max", e->flux_max);
    w.field("floor_fraction_of_dose", kEnhancementFloor);
    w.end_object();
  }
  if (run.geometry) {
    w.begin_object("geometry");
    w.field("domain", run.geometry->domain);
    w.field("channels_per_cm2", run.geometry->channels_per_cm2);
    w.field("channel_depth_um", run.geometry->channel_depth_um);
    w.field("channel_diameter_um", run.geometry->channel_diameter_um);
    w.field("cells", static_cast<long long>(run.geometry->cells));
    w.end_object();
  }
  // Solver figures: the last scenario's method; counts summed over scenarios.
  w.begin_object("solver");
  long long steps = 0, rhs = 0, cells = 0;
  int stages = 0;
  double wall = 0.0;
  for (const ScenarioResult& s : run.scenarios) {
    steps += s.solver.steps;
    rhs += s.solver.rhs_evaluations;
    stages = std::max(stages, s.solver.max_stages);
    cells += static_cast<long long>(s.solver.cells);
    wall += s.solver.wall_s;
  }
  w.field("method", run.scenarios.empty() ? std::string() : run.scenarios.back().solver.method);
  w.field("steps", steps);
  w.field("rhs_evaluations", rhs);
  w.field("max_stages", static_cast<long long>(stages));
  w.field("cells", cells);
  w.field("wall_s", wall);
  w.begin_object("per_scenario");
  for (const ScenarioResult& s : run.scenarios) {
    w.begin_object(s.name);
    w.field("method", s.solver.method_name);
    w.field("method_description", s.solver.method);
    w.field("method_choice", s.solver.method_choice);
    w.field("linear_solver", s.solver.linear_solver);
    w.field("steps", static_cast<long long>(s.solver.steps));
    w.field("rejected_steps", static_cast<long long>(s.solver.rejected_steps));
    w.field("rhs_evaluations", static_cast<long long>(s.solver.rhs_evaluations));
    w.field("operator_products", static_cast<long long>(s.solver.operator_products));
    w.field("linear_solves", static_cast<long long>(s.solver.linear_solves));
    w.field("linear_iterations", static_cast<long long>(s.solver.linear_iterations));
    w.field("factorizations", static_cast<long long>(s.solver.factorizations));
    w.field("spectral_radius_per_s", s.solver.spectral_radius_per_s);
    w.field("max_stages", static_cast<long long>(s.solver.max_stages));
    w.field("cells", static_cast<long long>(s.solver.cells));
    w.field("wall_s", s.solver.wall_s);
    w.end_object();
  }
  w.end_object();
  w.end_object();
  w.end_object();
  return w.str();
}

}  // namespace poreflux
