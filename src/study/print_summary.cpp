#include "print_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "parameters/resolve_parameters.hpp"
#include "summary_json.hpp"

namespace poreflux {

// What goes to the terminal from a config (titles, keys, values in messages): control
// characters shown as escapes, and the length capped.
std::string printable(const std::string& text, std::size_t max_length) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= max_length) {
      out += "... (cut)";
      break;
    }
    if (c == '\n' || c == '\t' || c >= 0x20) {
      out += static_cast<char>(c == 0x7f ? '?' : c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

namespace {

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? " " + text : std::string(width - text.size(), ' ') + text;
}

const char* kShort[] = {"vehicle", "removed", "degraded", "SC", "VE", "dermis", "receptor", "systemic", "evaporated", "deposit"};

// At most ~13 evenly spaced rows, always including the first and last output.
std::vector<std::size_t> table_rows(std::size_t n) {
  std::vector<std::size_t> rows;
  const std::size_t stride = std::max<std::size_t>(1, (n + 11) / 12);
  for (std::size_t i = 0; i < n; i += stride) rows.push_back(i);
  if (rows.back() != n - 1) rows.push_back(n - 1);
  return rows;
}

void time_table(std::ostream& out, const ScenarioResult& s) {
  out << "\n" << s.name << ": amounts over time [ug/cm2]\n";
  std::string header = "  t [h]";
  for (const char* name : kShort) header += pad_left(name, 10);
  header += pad_left("flux [ug/cm2/h]", 17);
  out << header << '\n';
  for (std::size_t t : table_rows(s.times_s.size())) {
    out << fmt("%7.2f", s.times_s[t] / 3600.0);
    for (std::size_t c = 0; c < s.amounts_ug_per_cm2.size(); ++c) out << fmt("%10.4g", s.amounts_ug_per_cm2[c][t]);
    out << fmt("%17.4g", s.flux_ug_per_cm2_h[t]) << '\n';
  }
}

std::string optional_h(const std::optional<double>& v, const char* none) { return v ? fmt("%.3g h", *v) : none; }

// The film's figures per application (MODEL.md §3): drying, evaporation, saturation, deposit.
void film_table(std::ostream& out, const Study& study, const RunResult& run) {
  if (study.vehicle.mode == DoseMode::infinite) return;
  out << '\n';
  print_vehicle(out, study);
  for (const ScenarioResult& s : run.scenarios) {
    out << "  " << s.name << ": application   at [h]  dose [ug/cm2]     dry after   vehicle evaporated   max saturation   saturated after   max deposit [ug/cm2]\n";
    for (std::size_t k = 0; k < s.applications.size(); ++k) {
      const FilmApplicationSummary& a = s.applications[k];
      out << pad_left(std::to_string(k + 1), 15 + s.name.size()) << fmt("%9.3g", a.applied_at_h)
          << fmt("%15.4g", a.dose_ug_per_cm2) << pad_left(optional_h(a.dry_after_h, "never"), 14)
          << pad_left(fmt("%.3g %%", 100.0 * a.vehicle_evaporated_fraction), 21)
          << pad_left(a.max_degree_of_saturation ? fmt("%.3g", *a.max_degree_of_saturation) : "n/a", 17)
          << pad_left(optional_h(a.saturated_after_h, "never"), 18) << fmt("%23.4g", a.max_precipitated_ug_per_cm2) << '\n';
    }
  }
}

}  // namespace

void print_vehicle(std::ostream& out, const Study& study) {
  const VehicleSpec& v = study.vehicle;
  if (v.mode == DoseMode::infinite) return;
  out << "vehicle: ";
  if (v.composition) {
    out << (v.composition->preset.empty() ? "composition" : "\"" + v.composition->preset + "\"") << " (";
    for (std::size_t i = 0; i < v.composition->components.size(); ++i)
      out << (i ? ", " : "") << v.composition->components[i].name << " " << fmt("%.3g", 100.0 * v.composition->volume_fractions[i]) << " %";
    out << "), vehicle/water partition " << fmt("%.3g", v.water_partition.value);
  } else {
    out << "a film that keeps its volume (no composition: nothing evaporates)";
  }
  const ProtocolSpec& p = study.protocol;
  out << (p.environment.occluded ? "; occluded" : "; open to air at " + fmt("%.3g m/s", p.environment.air_speed_cm_s / 100.0))
      << "; solubility " << (v.solubility_ug_per_cm3 ? fmt("%.4g mg/mL", v.solubility_ug_per_cm3->value / 1e3) : std::string("unknown (no deposit modelled)"))
      << "; " << p.applications.size() + 1 << (p.applications.empty() ? " application" : " applications");
  if (!p.washes.empty()) out << ", " << p.washes.size() << (p.washes.size() == 1 ? " wash" : " washes");
  if (p.wipe_time_s) out << ", wiped off at " << fmt("%.3g h", *p.wipe_time_s / 3600.0);
  out << '\n';
}

void print_conversions(std::ostream& out, const Study& study) {
  for (const std::string& n : study.notes) out << "note: " << printable(n, 400) << '\n';
  for (const std::string& c : study.vehicle.conversions) out << "converted: " << printable(c, 400) << '\n';
}

void print_parameters(std::ostream& out, const Study& study) {
  out << "parameters: relation set " << relation_set_description(study.parameter_model.relations) << '\n';
  if (!study.parameter_model.site.empty())
    out << "skin site: " << study.parameter_model.site << " (" << study.parameter_model.site_description << ")\n";
  for (const DerivedParameter& p : study.parameters) {
    if (p.name == "vehicle.non_ionised_fraction")
      out << "non-ionised at the vehicle pH " << fmt("%.3g", study.vehicle.ph) << ": " << fmt("%.4g", 100.0 * p.value) << " %\n";
  }
  for (const LayerSpec& layer : study.layers) {
    std::string name = "  " + layer.name;
    name.resize(22, ' ');
    out << name << fmt("%8.4g um", layer.thickness_cm * 1e4) << "  D " << fmt("%-10.3e", layer.diffusivity_cm2_s->value)
        << " cm2/s  K " << fmt("%-9.4g", layer.partition->value);
    if (layer.clearance_per_s && study.bottom == BottomBoundary::clearance)
      out << " clearance " << fmt("%.3g", layer.clearance_per_s->value) << " 1/s";
    out << "\n      D: " << layer.diffusivity_cm2_s->source << "\n      K: " << layer.partition->source << '\n';
  }
  for (const DerivedParameter& p : study.parameters) {
    if (p.name.size() > 18 && p.name.compare(p.name.size() - 18, 18, ".lag_time_estimate") == 0)
      out << "SC lag time estimate h^2/6D: " << fmt("%.3g", p.value) << " h\n";
  }
  print_warnings(out, study);
}

void print_warnings(std::ostream& out, const Study& study) {
  for (const StudyWarning& w : study.warnings) out << "warning: " << w.message << " [" << w.code << "]\n";
}

void print_summary(std::ostream& out, const Study& study, const RunResult& run) {
  out << "\n== " << printable(study.title, 300) << " ==\n";
  out << "compound: " << study.compound.name << ";  applied dose: " << fmt("%.4g", run.applied_ug_per_cm2)
      << " ug/cm2 (" << (study.vehicle.mode == DoseMode::finite ? "finite" : "infinite") << " dose, film "
      << fmt("%.3g", study.vehicle.film_thickness_cm * 1e4) << " um);  duration: " << fmt("%.4g", run.duration_h)
      << " h;  skin: " << (study.bottom == BottomBoundary::sink ? "in vitro (receptor sink)" : "in vivo (dermal clearance)")
      << '\n';
  print_conversions(out, study);
  out << "backend: " << run.backend << " (" << run.backend_description << ")\n";
  print_parameters(out, study);
  if (run.geometry) {
    const GeometrySummary& g = *run.geometry;
    const TreatmentSpec& t = *study.treatment;
    out << "treatment: " << t.device << ", " << fmt("%.4g", g.channels_per_cm2) << " channels/cm2 ("
        << t.density_per_cm2.source << "), " << fmt("%.4g", g.channel_depth_um) << " um deep ("
        << t.channel_depth_cm.source << "), " << fmt("%.4g", g.channel_diameter_um) << " um wide; closure tau "
        << fmt("%.3g", t.closure_tau_s.value / 3600.0) << " h (" << t.closure_tau_s.source << "); domain "
        << g.domain << ", " << g.cells << " cells\n";
  }
  film_table(out, study, run);
  for (const ScenarioResult& s : run.scenarios) time_table(out, s);

  std::string title = "\nAt " + fmt("%.4g", run.duration_h) + " h, % of the applied dose";
  title.resize(45, ' ');
  out << title;
  for (const ScenarioResult& s : run.scenarios) out << pad_left(s.name, 14);
  out << '\n';
  auto row = [&](const std::string& label, auto value_of, const char* format) {
    std::string line = "  " + label;
    line.resize(44, ' ');
    out << line;
    for (const ScenarioResult& s : run.scenarios) out << fmt(format, value_of(s));
    out << '\n';
  };
  for (std::size_t c = 0; c < compartment_names().size(); ++c)
    row(compartment_names()[c], [c](const ScenarioResult& s) { return 100.0 * s.summary.fraction_of_dose[c]; }, "%14.4g");
  row("uptake (SC+VE+dermis+receptor/systemic)", [](const ScenarioResult& s) { return 100.0 * s.summary.uptake_fraction; }, "%14.4g");
  row("dermal delivery (VE+dermis+receptor/sys)", [](const ScenarioResult& s) { return 100.0 * s.summary.dermal_delivery_fraction; }, "%14.4g");
  row("permeated [ug/cm2]", [](const ScenarioResult& s) { return s.summary.cumulative_permeated_ug_per_cm2; }, "%14.4g");
  row("peak flux [ug/cm2/h]", [](const ScenarioResult& s) { return s.summary.flux_max_ug_per_cm2_h; }, "%14.4g");
  row("time of peak flux [h]", [](const ScenarioResult& s) { return s.summary.t_flux_max_h; }, "%14.4g");
  row("lag time [h]", [](const ScenarioResult& s) { return s.summary.lag_time_h ? *s.summary.lag_time_h : NAN; }, "%14.4g");
  row("mass balance error [fraction of dose]", [](const ScenarioResult& s) { return s.summary.mass_balance_error; }, "%14.2e");
  row("cells", [](const ScenarioResult& s) { return static_cast<double>(s.solver.cells); }, "%14.0f");
  out << "  method";
  out << std::string(38, ' ');
  for (const ScenarioResult& s : run.scenarios)
    out << pad_left(s.solver.method_name + (s.solver.linear_solver.empty() ? "" : "/" + s.solver.linear_solver), 14);
  out << '\n';
  row("steps", [](const ScenarioResult& s) { return static_cast<double>(s.solver.steps); }, "%14.0f");
  row("rejected steps", [](const ScenarioResult& s) { return static_cast<double>(s.solver.rejected_steps); }, "%14.0f");
  row("RHS evaluations", [](const ScenarioResult& s) { return static_cast<double>(s.solver.rhs_evaluations); }, "%14.0f");
  row("linear solves", [](const ScenarioResult& s) { return static_cast<double>(s.solver.linear_solves); }, "%14.0f");
  row("Krylov iterations", [](const ScenarioResult& s) { return static_cast<double>(s.solver.linear_iterations); }, "%14.0f");
  row("largest RKC stage count", [](const ScenarioResult& s) { return static_cast<double>(s.solver.max_stages); }, "%14.0f");
  row("wall time [s]", [](const ScenarioResult& s) { return s.solver.wall_s; }, "%14.3f");
  for (const ScenarioResult& s : run.scenarios) {
    if (!s.summary.lag_time_h) out << "  lag time, " << s.name << ": " << s.summary.lag_time_note << '\n';
    out << "  solver, " << s.name << ": " << s.solver.method_choice << '\n';
  }
  if (const auto e = enhancement(run)) {
    auto ratio = [](const EnhancementRatio& r) { return r.value ? fmt("%.3g", *r.value) : std::string("n/a"); };
    out << "\nEnhancement (treated / intact): uptake " << ratio(e->uptake) << ", dermal delivery "
        << ratio(e->dermal_delivery) << ", permeated " << ratio(e->cumulative_permeated) << ", peak flux "
        << ratio(e->flux_max) << '\n';
    for (const auto* r : {&e->uptake, &e->dermal_delivery, &e->cumulative_permeated, &e->flux_max})
      if (!r->value) {
        out << "  (n/a: " << r->note << ")\n";
        break;
      }
  }
}

}  // namespace poreflux
