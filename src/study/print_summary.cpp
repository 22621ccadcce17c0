#include "print_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "parameters/resolve_parameters.hpp"
#include "poreflux/outputs.hpp"
#include "run_events.hpp"
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

// A compartment's name in the narrow columns of the time table: the skin's upper layers
// abbreviated, the others as compartment_names() has them.
std::string short_name(std::size_t compartment) {
  const std::string& name = compartment_names()[compartment];
  return name == "stratum_corneum" ? "SC" : name == "viable_epidermis" ? "VE" : name;
}

// The rows of a time table: the outputs nearest to 0, to 5 and 30 min and 1 h (the first
// hour, where the film dries and the deposit and the treated flux peak), then to every 1/4 of
// the duration (1/12 when verbose); each output once, in order.
std::vector<std::size_t> table_rows(const std::vector<double>& times_s, bool verbose) {
  std::vector<std::size_t> rows;
  const std::size_t n = times_s.size();
  if (n == 0) return rows;
  const double duration = times_s.back();
  std::vector<double> targets{0.0};
  for (double minutes : {5.0, 30.0, 60.0})
    if (minutes * 60.0 < duration / 4.0) targets.push_back(minutes * 60.0);
  const int parts = verbose ? 12 : 4;
  for (int k = 1; k <= parts; ++k) targets.push_back(duration * k / parts);
  for (double target : targets) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (std::abs(times_s[i] - target) < std::abs(times_s[best] - target)) best = i;
    if (std::find(rows.begin(), rows.end(), best) == rows.end()) rows.push_back(best);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

bool all_zero(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return v == 0.0; });
}

// "t [h]" with enough digits for the first minutes.
std::string time_cell(double seconds) {
  const double h = seconds / 3600.0;
  return h != 0.0 && h < 0.1 ? fmt("%7.3f", h) : fmt("%7.2f", h);
}

void time_table(std::ostream& out, const ScenarioResult& s, bool verbose) {
  // Compartments that stay empty for the whole run are left out unless verbose (and named).
  std::vector<std::size_t> columns;
  std::string left_out;
  for (std::size_t c = 0; c < s.amounts_ug_per_cm2.size(); ++c) {
    if (verbose || !all_zero(s.amounts_ug_per_cm2[c])) columns.push_back(c);
    else left_out += (left_out.empty() ? "" : ", ") + short_name(c);
  }
  out << "\n" << s.name << ": amounts over time [ug/cm2]";
  if (!left_out.empty()) out << " (zero throughout: " << left_out << ")";
  out << '\n';
  std::string header = "  t [h]";
  for (std::size_t c : columns) header += pad_left(short_name(c), 10);
  header += pad_left("flux [ug/cm2/h]", 17);
  out << header << '\n';
  for (std::size_t t : table_rows(s.times_s, verbose)) {
    out << time_cell(s.times_s[t]);
    for (std::size_t c : columns) out << fmt("%10.4g", s.amounts_ug_per_cm2[c][t]);
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
    out << "  " << s.name
        << ": application   at [h]  dose [ug/cm2]     dry after   vehicle evaporated   max saturation   saturated "
           "after   max deposit [ug/cm2]\n";
    for (std::size_t k = 0; k < s.applications.size(); ++k) {
      const FilmApplicationSummary& a = s.applications[k];
      out << pad_left(std::to_string(k + 1), 15 + s.name.size()) << fmt("%9.3g", a.applied_at_h)
          << fmt("%15.4g", a.dose_ug_per_cm2) << pad_left(optional_h(a.dry_after_h, "never"), 14)
          << pad_left(fmt("%.3g %%", 100.0 * a.vehicle_evaporated_fraction), 21)
          << pad_left(a.max_degree_of_saturation ? fmt("%.3g", *a.max_degree_of_saturation) : "n/a", 17)
          << pad_left(optional_h(a.saturated_after_h, "never"), 18) << fmt("%23.4g", a.max_deposit_ug_per_cm2) << '\n';
    }
  }
}

// What was applied, where, for how long: one line.
void applied_line(std::ostream& out, const Study& study, const RunResult& run) {
  const VehicleSpec& v = study.vehicle;
  out << "applied: " << study.compound.name << " " << fmt("%.4g mg/mL", v.concentration_ug_per_cm3 / 1e3) << " in "
      << fmt("%.3g uL/cm2", v.film_thickness_cm * 1e3) << " = " << fmt("%.4g ug/cm2", run.applied_ug_per_cm2);
  if (v.composition)
    out << " of "
        << (v.composition->preset.empty() ? std::string("the given composition") : "\"" + v.composition->preset + "\"");
  out << " (" << (v.mode == DoseMode::finite ? "finite" : "infinite") << " dose";
  const ProtocolSpec& p = study.protocol;
  if (!p.applications.empty()) out << ", " << p.applications.size() + 1 << " applications";
  if (v.mode == DoseMode::finite) out << (p.environment.occluded ? ", occluded" : ", open to air");
  out << "); "
      << (study.parameter_model.site.empty() ? std::string("skin of the [[layer]] tables") : study.parameter_model.site)
      << ", " << (study.bottom == BottomBoundary::sink ? "in vitro (receptor sink)" : "in vivo (dermal clearance)")
      << "; " << fmt("%.4g h", run.duration_h) << '\n';
}

void events_lines(std::ostream& out, const Study& study, const RunResult& run) {
  for (const ScenarioResult& s : run.scenarios) {
    const std::vector<RunEvent> events = scenario_events(study, s);
    if (events.empty()) continue;
    std::string line = "events, " + s.name + ":";
    std::size_t later_dry = 0;
    bool first = true;
    for (const RunEvent& e : events) {
      // A regimen dries many films: the first is shown, the others counted.
      if ((e.code == "film_dry" || e.code == "deposit_formed") && e.text.find("(application 1)") == std::string::npos &&
          e.text.find("(application") != std::string::npos) {
        ++later_dry;
        continue;
      }
      std::string text = e.text;
      const std::size_t app = text.find(" (application 1)");
      if (app != std::string::npos) text.erase(app);
      line += std::string(first ? " " : "; ") + text + " at " + event_time_text(e.time_h);
      if (e.value) line += " (" + fmt("%.3g", *e.value) + " " + e.unit + ")";
      first = false;
    }
    if (later_dry > 0) line += "; " + std::to_string(later_dry) + " more for the later applications (summary JSON)";
    out << line << '\n';
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
      out << (i ? ", " : "") << v.composition->components[i].name << " "
          << fmt("%.3g", 100.0 * v.composition->volume_fractions[i]) << " %";
    out << "), vehicle/water partition " << fmt("%.3g", v.water_partition.value);
  } else {
    out << "a film that keeps its volume (no composition: nothing evaporates)";
  }
  const ProtocolSpec& p = study.protocol;
  out << (p.environment.occluded ? "; occluded"
                                 : "; open to air at " + fmt("%.3g m/s", p.environment.air_speed_cm_s / 100.0))
      << "; solubility "
      << (v.solubility_ug_per_cm3 ? fmt("%.4g mg/mL", v.solubility_ug_per_cm3->value / 1e3)
                                  : std::string("unknown (no deposit modelled)"))
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
      out << "non-ionised at the vehicle pH " << fmt("%.3g", study.vehicle.ph) << ": " << fmt("%.4g", 100.0 * p.value)
          << " %\n";
  }
  for (const LayerSpec& layer : study.layers) {
    std::string name = "  " + layer.name;
    name.resize(22, ' ');
    out << name << fmt("%8.4g um", layer.thickness_cm * 1e4) << "  D " << fmt("%-10.3e", layer.diffusivity_cm2_s->value)
        << " cm2/s  K " << fmt("%-9.4g", layer.partition->value);
    if (layer.clearance_per_s && study.bottom == BottomBoundary::clearance)
      out << " clearance " << fmt("%.3g", layer.clearance_per_s->value) << " 1/s";
    out << "\n      D: " << layer.diffusivity_cm2_s->source << "\n      K: " << layer.partition->source << '\n';
    if (layer.partial_diffusivity_cm2_s && layer.partial_partition)
      out << "      partially hydrated (open skin once the film's water has gone): D "
          << fmt("%.3e", layer.partial_diffusivity_cm2_s->value) << " cm2/s  K "
          << fmt("%.4g", layer.partial_partition->value) << '\n';
  }
  for (const DerivedParameter& p : study.parameters) {
    const bool partial = p.name.find(".partial_hydration.") != std::string::npos;
    if (p.name.size() > 18 && p.name.compare(p.name.size() - 18, 18, ".lag_time_estimate") == 0)
      out << "SC lag time estimate h^2/6D" << (partial ? ", partially hydrated: " : ": ") << fmt("%.3g", p.value)
          << " h\n";
  }
  out << "stratum corneum hydration: " << study.parameter_model.sc_hydration
      << "; a dried deposit: " << study.vehicle.deposit << ", "
      << (study.vehicle.deposit_contact == "particles"
              ? "particles of " + fmt("%.3g um", study.vehicle.deposit_particle_size_cm.value * 1e4)
              : std::string("full contact"))
      << " (docs/VEHICLES.md §6)\n";
  print_warnings(out, study);
}

void print_warnings(std::ostream& out, const Study& study) {
  for (const StudyWarning& w : study.warnings) out << "warning: " << w.message << " [" << w.code << "]\n";
}

std::string default_domain_remark(const TreatmentSpec& t) {
  if (!t.domain_by_default || t.domain != DomainKind::axisymmetric) return "";
  return std::string("; domain axisymmetric by default for a regular ") +
         (t.lattice == Lattice::hexagonal ? "hexagonal" : "square") +
         " lattice (uptake within ~0.01 % of the 3D cell; domain = \"unit_cell\" gives the 3D unit cell, \"patch\" the"
         " device's pattern)";
}

void print_summary(std::ostream& out, const Study& study, const RunResult& run, bool verbose) {
  out << "\n== " << printable(study.title, 300) << " ==\n";
  applied_line(out, study, run);
  print_conversions(out, study);
  if (verbose) out << "backend: " << run.backend << " (" << run.backend_description << ")\n";
  if (verbose) print_parameters(out, study);
  else print_warnings(out, study);
  if (run.geometry) {
    const GeometrySummary& g = *run.geometry;
    const TreatmentSpec& t = *study.treatment;
    if (verbose) {
      out << "treatment: " << t.device << ", " << fmt("%.4g", g.channels_per_cm2) << " channels/cm2 ("
          << t.density_per_cm2.source << "), " << fmt("%.4g", g.channel_depth_um) << " um deep ("
          << t.channel_depth_cm.source << "), " << fmt("%.4g", g.channel_diameter_um) << " um wide; closure tau "
          << fmt("%.3g", t.closure_tau_s.value / 3600.0) << " h (" << t.closure_tau_s.source << "); domain " << g.domain
          << ", " << g.cells << " cells" << default_domain_remark(t) << '\n';
    } else {
      out << "treatment: " << t.device << ", " << fmt("%.4g", g.channels_per_cm2) << " channels/cm2, "
          << fmt("%.4g", g.channel_depth_um) << " um deep, " << fmt("%.4g", g.channel_diameter_um) << " um wide; "
          << (std::isfinite(t.closure_tau_s.value)
                  ? "channels close with time constant " + fmt("%.3g h", t.closure_tau_s.value / 3600.0)
                  : std::string("channels stay open"))
          << default_domain_remark(t) << '\n';
    }
  }
  if (verbose) film_table(out, study, run);
  events_lines(out, study, run);
  for (const ScenarioResult& s : run.scenarios) time_table(out, s, verbose);

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
  std::string empty_rows;
  for (std::size_t c = 0; c < compartment_names().size(); ++c) {
    const bool empty = std::all_of(run.scenarios.begin(), run.scenarios.end(),
                                   [c](const ScenarioResult& s) { return all_zero(s.amounts_ug_per_cm2[c]); });
    if (empty && !verbose) {
      empty_rows += (empty_rows.empty() ? "" : ", ") + compartment_names()[c];
      continue;
    }
    row(
        compartment_names()[c], [c](const ScenarioResult& s) { return 100.0 * s.summary.fraction_of_dose[c]; },
        "%14.4g");
  }
  if (!empty_rows.empty()) out << "  (zero throughout: " << empty_rows << ")\n";
  // The registry's figures of one kind (poreflux/outputs.hpp): shares of the dose in %, the
  // numerics' checks in e-notation, a missing value as the output's own word; those not on the
  // first screen only with --verbose.
  const auto output_rows = [&](OutputKind kind) {
    for (const ScalarOutput& o : scalar_outputs()) {
      if (o.kind != kind || !(o.first_screen || verbose)) continue;
      std::string line = "  " + std::string(o.label);
      line.resize(44, ' ');
      out << line;
      for (const ScenarioResult& s : run.scenarios) {
        const double value = (kind == OutputKind::share_of_dose ? 100.0 : 1.0) * o.value(s);
        if (!std::isfinite(value) && o.absent_text) out << pad_left(o.absent_text, 14);
        else out << fmt(kind == OutputKind::check ? "%14.2e" : "%14.4g", value);
      }
      out << '\n';
    }
  };
  output_rows(OutputKind::share_of_dose);
  // As the studies report them (OECD TG 428 / SCCS, MODEL.md §6): compare a measurement only
  // with its own category.
  // The summary shows the categories the compartments above do not (all of them with --verbose).
  const auto category_share = [](const ScenarioResult& s, std::size_t c) {
    return c < s.summary.oecd_ug_per_cm2.size() ? 100.0 * s.summary.oecd_ug_per_cm2[c] / s.total_dose_ug_per_cm2 : NAN;
  };
  if (verbose) {
    out << "  as OECD/SCCS categories [% of dose]:\n";
    for (std::size_t c = 0; c < oecd_categories().size(); ++c)
      row(
          std::string("  ") + oecd_categories()[c].name,
          [&, c](const ScenarioResult& s) { return category_share(s, c); }, "%14.4g");
  } else {
    for (const ScenarioResult& s : run.scenarios) {
      out << "  OECD/SCCS, " << s.name << " [% of dose]:";
      const char* sep = " ";
      for (std::size_t c = 0; c < oecd_categories().size(); ++c) {
        const std::string name = oecd_categories()[c].name;
        if (name != "dislodgeable" && name != "skin" && name != "absorbed" && name != "potentially_absorbable")
          continue;
        out << sep << name << " " << fmt("%.4g", category_share(s, c));
        sep = ", ";
      }
      out << '\n';
    }
  }
  output_rows(OutputKind::figure);
  output_rows(OutputKind::check);
  if (verbose) {
    // Solver statistics: for whoever tunes the numerics (also in the summary JSON and HDF5).
    row(
        "cells", [](const ScenarioResult& s) { return static_cast<double>(s.solver.cells); }, "%14.0f");
    out << "  method";
    out << std::string(38, ' ');
    for (const ScenarioResult& s : run.scenarios)
      out << pad_left(s.solver.method_name + (s.solver.linear_solver.empty() ? "" : "/" + s.solver.linear_solver), 14);
    out << '\n';
    row(
        "steps", [](const ScenarioResult& s) { return static_cast<double>(s.solver.steps); }, "%14.0f");
    row(
        "rejected steps", [](const ScenarioResult& s) { return static_cast<double>(s.solver.rejected_steps); },
        "%14.0f");
    row(
        "RHS evaluations", [](const ScenarioResult& s) { return static_cast<double>(s.solver.rhs_evaluations); },
        "%14.0f");
    row(
        "linear solves", [](const ScenarioResult& s) { return static_cast<double>(s.solver.linear_solves); }, "%14.0f");
    row(
        "Krylov iterations", [](const ScenarioResult& s) { return static_cast<double>(s.solver.linear_iterations); },
        "%14.0f");
    row(
        "largest RKC stage count", [](const ScenarioResult& s) { return static_cast<double>(s.solver.max_stages); },
        "%14.0f");
    row(
        "wall time [s]", [](const ScenarioResult& s) { return s.solver.wall_s; }, "%14.3f");
    for (const ScenarioResult& s : run.scenarios) {
      if (!s.summary.lag_time_h) out << "  lag time, " << s.name << ": " << s.summary.lag_time_note << '\n';
      out << "  solver, " << s.name << ": " << s.solver.method_choice << '\n';
    }
  }
  if (const auto e = enhancement(run)) {
    auto ratio = [](const EnhancementRatio& r) { return r.value ? fmt("%.3g", *r.value) : std::string("n/a"); };
    out << "\nEnhancement (treated / intact):";
    for (std::size_t k = 0; k < e->size(); ++k) out << (k ? ", " : " ") << (*e)[k].words << ' ' << ratio((*e)[k].ratio);
    out << '\n';
    for (const EnhancementEntry& entry : *e)
      if (!entry.ratio.value) {
        out << "  (n/a: " << entry.ratio.note << ")\n";
        break;
      }
  }
}

}  // namespace poreflux
