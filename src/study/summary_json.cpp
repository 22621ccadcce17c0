#include "summary_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include <nlohmann/json.hpp>

#include "parameters/resolve_parameters.hpp"
#include "poreflux/outputs.hpp"
#include "poreflux/version.hpp"
#include "run_events.hpp"

namespace poreflux {

EnhancementRatio enhancement_ratio(double treated_fraction, double intact_fraction) {
  if (intact_fraction >= kEnhancementFloor) return {treated_fraction / intact_fraction, ""};
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "not meaningful: the intact value (%.3g of the dose) is below the floor of %.0e of the dose",
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
  const double dose = run.applied_ug_per_cm2;
  Enhancement e;
  for (const OutputReporting& r : output_reporting()) {
    if (!r.enhancement_key) continue;
    const ScalarOutput& o = scalar_output(r.output);
    e.push_back({r.enhancement_key, r.words,
                 enhancement_ratio(as_fraction_of_dose(o, o.value(*treated), dose, run.duration_h),
                                   as_fraction_of_dose(o, o.value(*intact), dose, run.duration_h))});
  }
  return e;
}

namespace {

using Json = nlohmann::ordered_json;  // keys in insertion order: the document's order is the schema's

// A number; non-finite or absent is null (JSON has no NaN / Infinity). Doubles are written with
// the fewest digits that read back as the same double (nlohmann's default).
Json number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }
Json number(const std::optional<double>& value) { return value ? number(*value) : Json(nullptr); }
Json integer(long long value) { return Json(value); }

Json scenario_object(const Study& study, const ScenarioResult& s) {
  Json o = Json::object();
  Json fractions = Json::object();
  for (std::size_t c = 0; c < compartment_names().size(); ++c)
    fractions[compartment_names()[c]] = number(s.summary.fraction_of_dose[c]);
  o["fraction_of_dose"] = std::move(fractions);
  // The registry's figures (poreflux/outputs.hpp), keys with their units; a note only where
  // there is no value.
  for (const ScalarOutput& output : scalar_outputs()) {
    const double value = output.value(s);
    o[keyed_name(output)] = number(value);
    if (output.note && !std::isfinite(value)) o[std::string(output.name) + "_note"] = output.note(s);
  }
  o["total_dose_ug_per_cm2"] = number(s.total_dose_ug_per_cm2);
  // The OECD TG 428 / SCCS categories at the end of the run (results.hpp).
  Json categories = Json::object();
  for (std::size_t c = 0; c < oecd_categories().size() && c < s.summary.oecd_ug_per_cm2.size(); ++c) {
    Json e = Json::object();
    e["ug_per_cm2"] = number(s.summary.oecd_ug_per_cm2[c]);
    e["fraction_of_dose"] = number(s.summary.oecd_ug_per_cm2[c] / s.total_dose_ug_per_cm2);
    categories[oecd_categories()[c].name] = std::move(e);
  }
  o["oecd_categories"] = std::move(categories);
  Json applications = Json::array();
  for (const FilmApplicationSummary& a : s.applications) {
    Json e = Json::object();
    e["applied_at_h"] = number(a.applied_at_h);
    e["dose_ug_per_cm2"] = number(a.dose_ug_per_cm2);
    e["dry_after_h"] = number(a.dry_after_h);
    e["sc_partially_hydrated_after_h"] = number(a.sc_partial_after_h);
    e["vehicle_evaporated_fraction"] = number(a.vehicle_evaporated_fraction);
    e["max_degree_of_saturation"] = number(a.max_degree_of_saturation);
    e["saturated_after_h"] = number(a.saturated_after_h);
    e["max_deposit_ug_per_cm2"] = number(a.max_deposit_ug_per_cm2);
    applications.push_back(std::move(e));
  }
  o["applications"] = std::move(applications);
  // What happened when: film dry, deposit formed and largest, peak flux, channels closed to 10 %.
  Json events = Json::array();
  for (const RunEvent& e : scenario_events(study, s)) {
    Json event = Json::object();
    event["event"] = e.code;
    event["time_h"] = number(e.time_h);
    if (e.value) {
      event["value"] = number(*e.value);
      event["unit"] = e.unit;
    }
    event["description"] = e.text;
    event["how"] = e.note;
    events.push_back(std::move(event));
  }
  o["events"] = std::move(events);
  return o;
}

Json vehicle_object(const Study& study) {
  const VehicleSpec& v = study.vehicle;
  Json o = Json::object();
  o["dose"] = v.mode == DoseMode::infinite ? "infinite" : "finite";
  o["preset"] = v.composition ? v.composition->preset : std::string();
  Json fractions = Json::object();
  if (v.composition)
    for (std::size_t i = 0; i < v.composition->components.size(); ++i)
      fractions[v.composition->components[i].name] = number(v.composition->volume_fractions[i]);
  o["composition_volume_fractions"] = std::move(fractions);
  o["water_partition"] = number(v.water_partition.value);
  o["solubility_mg_per_mL"] =
      number(v.solubility_ug_per_cm3 ? std::optional<double>(v.solubility_ug_per_cm3->value / 1e3) : std::nullopt);
  o["supersaturation_limit"] = number(v.supersaturation_limit);
  o["density_g_per_mL"] =
      number(v.density_g_per_cm3 ? std::optional<double>(v.density_g_per_cm3->value) : std::nullopt);
  Json conversions = Json::array();
  for (const std::string& c : v.conversions) conversions.push_back(c);
  o["conversions"] = std::move(conversions);            // amounts per mass of formulation turned into per volume
  o["occluded"] = study.protocol.environment.occluded;  // a JSON true / false
  o["air_speed_m_s"] = number(study.protocol.environment.air_speed_cm_s / 100.0);
  o["relative_humidity"] = number(study.protocol.environment.relative_humidity);
  o["applications"] = integer(static_cast<long long>(study.protocol.applications.size() + 1));
  o["washes"] = integer(static_cast<long long>(study.protocol.washes.size() + (study.protocol.wipe_time_s ? 1 : 0)));
  return o;
}

void parameters_array(Json& doc, const Study& study) {
  Json compound = Json::object();
  compound["name"] = study.compound.name;
  compound["relations"] = study.parameter_model.relations;
  compound["relations_description"] = std::string(relation_set_description(study.parameter_model.relations));
  compound["site"] = study.parameter_model.site;
  doc["compound"] = std::move(compound);
  Json parameters = Json::array();
  for (const DerivedParameter& p : study.parameters) {
    Json e = Json::object();
    e["name"] = p.name;
    e["value"] = number(p.value);
    e["unit"] = p.unit;
    e["relation"] = p.relation;
    Json inputs = Json::object();
    for (const DerivationInput& in : p.inputs) {
      Json input = Json::object();
      input["value"] = number(in.value);
      input["unit"] = in.unit;
      inputs[in.name] = std::move(input);
    }
    e["inputs"] = std::move(inputs);
    parameters.push_back(std::move(e));
  }
  doc["parameters"] = std::move(parameters);
  Json warnings = Json::array();
  for (const StudyWarning& warning : study.warnings) {
    Json e = Json::object();
    e["code"] = warning.code;
    e["message"] = warning.message;
    warnings.push_back(std::move(e));
  }
  doc["warnings"] = std::move(warnings);
}

}  // namespace

std::string summary_json(const Study& study, const RunResult& run) {
  Json doc = Json::object();
  doc["schema"] = kSummarySchema;
  doc["poreflux_version"] = kVersion;
  doc["backend"] = run.backend;
  doc["backend_description"] = run.backend_description;
  doc["duration_h"] = number(run.duration_h);
  doc["applied_ug_per_cm2"] = number(run.applied_ug_per_cm2);
  parameters_array(doc, study);
  doc["vehicle"] = vehicle_object(study);
  Json scenarios = Json::object();
  for (const ScenarioResult& s : run.scenarios) scenarios[s.name] = scenario_object(study, s);
  doc["scenarios"] = std::move(scenarios);
  if (const auto e = enhancement(run)) {
    Json o = Json::object();
    auto ratio = [&](const char* key, const EnhancementRatio& r) {
      o[key] = number(r.value);
      if (!r.value) o[std::string(key) + "_note"] = r.note;
    };
    for (const EnhancementEntry& entry : *e) ratio(entry.key, entry.ratio);
    o["floor_fraction_of_dose"] = number(kEnhancementFloor);
    doc["enhancement"] = std::move(o);
  }
  if (run.geometry) {
    Json o = Json::object();
    o["domain"] = run.geometry->domain;
    o["channels_per_cm2"] = number(run.geometry->channels_per_cm2);
    o["channel_depth_um"] = number(run.geometry->channel_depth_um);
    o["channel_diameter_um"] = number(run.geometry->channel_diameter_um);
    o["cells"] = integer(static_cast<long long>(run.geometry->cells));
    doc["geometry"] = std::move(o);
  }
  // Solver figures: the last scenario's method; counts summed over scenarios.
  Json solver = Json::object();
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
  solver["method"] = run.scenarios.empty() ? std::string() : run.scenarios.back().solver.method;
  solver["steps"] = integer(steps);
  solver["rhs_evaluations"] = integer(rhs);
  solver["max_stages"] = integer(stages);
  solver["cells"] = integer(cells);
  solver["wall_s"] = number(wall);
  Json per_scenario = Json::object();
  for (const ScenarioResult& s : run.scenarios) {
    Json o = Json::object();
    o["method"] = s.solver.method_name;
    o["method_description"] = s.solver.method;
    o["method_choice"] = s.solver.method_choice;
    o["linear_solver"] = s.solver.linear_solver;
    o["steps"] = integer(static_cast<long long>(s.solver.steps));
    o["rejected_steps"] = integer(static_cast<long long>(s.solver.rejected_steps));
    o["rhs_evaluations"] = integer(static_cast<long long>(s.solver.rhs_evaluations));
    o["operator_products"] = integer(static_cast<long long>(s.solver.operator_products));
    o["linear_solves"] = integer(static_cast<long long>(s.solver.linear_solves));
    o["linear_iterations"] = integer(static_cast<long long>(s.solver.linear_iterations));
    o["factorizations"] = integer(static_cast<long long>(s.solver.factorizations));
    o["spectral_radius_per_s"] = number(s.solver.spectral_radius_per_s);
    o["max_stages"] = integer(static_cast<long long>(s.solver.max_stages));
    o["cells"] = integer(static_cast<long long>(s.solver.cells));
    o["wall_s"] = number(s.solver.wall_s);
    per_scenario[s.name] = std::move(o);
  }
  solver["per_scenario"] = std::move(per_scenario);
  doc["solver"] = std::move(solver);
  // Two-space indent and a trailing newline, as before. Config strings (titles, notes, messages)
  // may hold invalid UTF-8: replaced by U+FFFD rather than thrown over.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

}  // namespace poreflux
