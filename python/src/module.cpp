// poreflux._core: the engine's entry points for Python — parse and resolve a study, run it,
// record and write the results, run a sweep to its files, derive a compound, calibrate. Every
// step is the function the command line calls (src/cli/*.cpp); this file only converts
// between C++ and Python. The Python API (poreflux/__init__.py) is built on these.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <vector>

#include "calibration/calibrated_study.hpp"
#include "calibration/fit_factors.hpp"
#include "config/study_reader.hpp"
#include "engine/run_sweep.hpp"
#include "errors.hpp"
#include "io/output_paths.hpp"
#include "io/write_xdmf.hpp"
#include "model/grid_budget.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/config.hpp"
#include "poreflux/library.hpp"
#include "poreflux/version.hpp"
#include "study/compound_on_site.hpp"
#include "study/run_plan.hpp"
#include "study/run_study.hpp"
#include "study/scenario_estimate.hpp"
#include "study/summary_json.hpp"
#include "worker.hpp"

namespace py = pybind11;
using namespace poreflux;
using python::ProgressSink;

namespace {

// A resolved study, as load_study / parse_study return it.
struct StudyHandle {
  Study study;
};

// A finished run: the study it ran (with the numerics it ran under) and what was recorded.
struct RunHandle {
  Study study;
  StudyRun run;
  std::string summary;  // summary_json(): the CLI's --summary-json text
};

py::dict parameter_row(const DerivedParameter& p) {
  py::list inputs;
  for (const DerivationInput& i : p.inputs)
    inputs.append(py::dict(py::arg("name") = i.name, py::arg("value") = i.value, py::arg("unit") = i.unit));
  return py::dict(py::arg("name") = p.name, py::arg("value") = p.value, py::arg("unit") = p.unit,
                  py::arg("relation") = p.relation, py::arg("inputs") = inputs);
}

py::list warning_list(const Study& study) {
  py::list out;
  for (const StudyWarning& w : study.warnings) out.append(py::make_tuple(w.code, w.message));
  return out;
}

py::object optional_sourced(const std::optional<Sourced>& s, double scale = 1.0) {
  if (!s) return py::none();
  return py::make_tuple(s->value * scale, s->source);
}

py::dict compound_record(const CompoundSpec& c) {
  py::list pka;
  for (const Pka& g : c.pka.value_or(std::vector<Pka>{}))
    pka.append(py::make_tuple(g.value, g.type == PkaType::acid ? "acid" : "base", g.source));
  return py::dict(py::arg("name") = c.name, py::arg("aliases") = c.aliases,
                  py::arg("molecular_weight_g_per_mol") = optional_sourced(c.molecular_weight_g_per_mol),
                  py::arg("log_kow") = optional_sourced(c.log_kow), py::arg("pka") = pka,
                  py::arg("water_solubility_mg_per_mL") = optional_sourced(c.water_solubility_ug_per_cm3, 1e-3),
                  py::arg("melting_point_C") = optional_sourced(c.melting_point_C), py::arg("note") = c.note,
                  py::arg("defined_at") = c.defined_at);
}

// The grids `poreflux validate` prints: cells, memory and run-time estimates per scenario.
py::list scenario_grids(Study study, bool allow_large) {
  study.numerics.allow_large = allow_large;
  study.numerics.on_gpu =
      study.numerics.backend == "cuda" || (study.numerics.backend == "auto" && cuda_device_available(nullptr));
  py::list out;
  const std::vector<Scenario> scenarios = build_scenarios(study);
  // A 3D treated grid's estimate counts its axisymmetric twin's work, as `poreflux validate`.
  const std::optional<double> twin =
      has_3d_treated(scenarios) ? twin_krylov_iterations(study, *make_cpu_backend()) : std::nullopt;
  for (const Scenario& s : scenarios)
    out.append(py::dict(py::arg("scenario") = s.name, py::arg("nx") = s.problem.nx(), py::arg("ny") = s.problem.ny(),
                        py::arg("nz") = s.problem.nz(), py::arg("cells") = s.problem.cell_count(),
                        py::arg("memory_bytes") = memory_estimate_bytes(s.problem),
                        py::arg("estimated_cpu_seconds") = estimated_scenario_seconds(s, twin)));
  return out;
}

std::unique_ptr<RunHandle> run(const StudyHandle& handle, const NumericsChoice& choice, const py::object& progress) {
  auto result = std::make_unique<RunHandle>();
  result->study = handle.study;
  apply_numerics_choice(result->study, choice);
  python::run_without_gil(
      [&](const volatile std::sig_atomic_t* interrupt, ProgressSink& sink) {
        const std::unique_ptr<Backend> backend = make_backend(result->study.numerics.backend, nullptr);
        result->study.numerics.on_gpu = backend->name() == "cuda";
        StudyProgress hooks;
        hooks.on_time = [&sink](const std::string& name, double t, double duration) { sink.update(name, t, duration); };
        result->run = run_study(result->study, *backend, hooks, interrupt, nullptr);
        result->summary = summary_json(result->study, result->run.result);
      },
      progress);
  return result;
}

void save(const RunHandle& r, const std::string& path, bool force) {
  std::vector<std::string> inputs{r.study.source_file};
  for (const std::string& f : r.study.parameter_model.library_files) inputs.push_back(f);
  check_outputs({{path, "results (HDF5)"}, {xdmf_path_for(path), "ParaView description (XDMF)"}}, inputs, force,
                nullptr);
  write_run_files(path, r.study, r.run, kVersion);
}

py::dict table_dict(const StudyOutputs& outputs) {
  py::list columns;
  for (const TableColumn& c : outputs.table.columns) {
    py::dict column(py::arg("name") = c.name, py::arg("units") = c.units, py::arg("description") = c.description,
                    py::arg("text") = c.text);
    if (c.text) column["values"] = c.texts;
    else column["values"] = c.numbers;
    columns.append(column);
  }
  py::dict out(py::arg("columns") = columns, py::arg("axes") = outputs.table.axes,
               py::arg("grid_axes") = outputs.table.grid_axes, py::arg("rows") = outputs.table.rows);
  if (outputs.population) {
    const PopulationSummary& p = *outputs.population;
    py::list sensitivity;
    for (const SensitivityEntry& e : p.sensitivity)
      sensitivity.append(
          py::dict(py::arg("output") = e.output, py::arg("spearman") = e.spearman, py::arg("prcc") = e.prcc));
    out["population"] =
        py::dict(py::arg("time_h") = p.time_h, py::arg("percentiles") = p.percentiles, py::arg("bands") = p.bands,
                 py::arg("inputs") = p.inputs, py::arg("sensitivity") = sensitivity);
  }
  return out;
}

// `poreflux sweep` on a plan given as TOML text, into out_h5 and out_csv.
py::dict sweep(const std::string& plan_toml, const std::string& source_name, const std::string& out_h5,
               const std::string& out_csv, int jobs, const std::string& backend, const std::string& method,
               const std::string& linear_solver, bool allow_large, bool force, const py::object& progress) {
  const StudyPlan plan = parse_study_plan(plan_toml, source_name);
  std::vector<std::string> inputs{source_name};
  for (const std::string& f : plan.cases.front().study.parameter_model.library_files) inputs.push_back(f);
  check_outputs({{out_h5, "study results (HDF5)"}, {out_csv, "results table (CSV)"}}, inputs, force, nullptr);
  const std::unique_ptr<Backend> probe =
      make_backend(backend.empty() ? plan.cases.front().study.numerics.backend : backend, nullptr);
  SweepSettings settings;
  settings.backend = probe->name();
  settings.method = method;
  settings.linear_solver = linear_solver;
  settings.jobs = jobs;
  settings.allow_large = allow_large;
  settings.force = force;
  settings.version = kVersion;
  StudyOutputs outputs;
  python::run_without_gil(
      [&](const volatile std::sig_atomic_t* interrupt, ProgressSink& sink) {
        SweepHooks hooks;
        hooks.interrupt = interrupt;
        hooks.on_time = [&sink](const std::string& what, double t, double duration) { sink.update(what, t, duration); };
        outputs = run_sweep_to_files(plan, shard_cases(plan, 0, 1), settings, out_h5, out_csv, hooks);
      },
      progress);
  return table_dict(outputs);
}

py::dict calibrate(const StudyHandle& handle, const std::string& config_text, const std::string& study_name,
                   const std::vector<std::string>& targets, const std::string& ivpt_csv,
                   const std::vector<std::string>& measures, const std::string& backend_name,
                   const std::string& output_hint, const std::string& data_label) {
  if (!handle.study.calibration.empty())
    throw ConfigError(study_name, 0, "calibration",
                      "this study already carries [calibration] factors; calibrate the uncalibrated study");
  for (const std::string& target : targets)
    if (!config::calibration_target_known(target))
      throw ConfigError(study_name, 0, "fit",
                        "unknown factor '" + target + "'; valid: " + config::calibration_targets_text());
  std::vector<calibration::Observation> data;
  calibration::FitReport report;
  try {
    if (!ivpt_csv.empty()) data = calibration::read_ivpt_csv(ivpt_csv);
    for (const std::string& m : measures) data.push_back(calibration::parse_measure(m));
    if (data.empty())
      throw std::invalid_argument(
          "calibrate needs data: an IVPT table (time_h, Q_ug_per_cm2[, sd_ug_per_cm2]) or measures such as "
          "\"uptake=0.05@24h\"");
    const std::unique_ptr<Backend> backend = make_backend(backend_name, nullptr);
    py::gil_scoped_release release;
    report = calibration::fit_factors(handle.study, targets, data, *backend);
  } catch (const std::invalid_argument& e) {
    throw python::CalibrationDataFailure(e.what());
  }
  py::list factors, residuals;
  for (const auto& f : report.factors)
    factors.append(py::dict(py::arg("target") = f.target, py::arg("value") = f.value, py::arg("ci95_low") = f.ci95_low,
                            py::arg("ci95_high") = f.ci95_high, py::arg("log_sd") = f.log_sd));
  for (const auto& r : report.residuals)
    residuals.append(py::dict(py::arg("observable") = calibration::observable_name(r.observation.what),
                              py::arg("time_h") = r.observation.time_s / 3600.0,
                              py::arg("measured") = r.observation.value, py::arg("predicted") = r.predicted,
                              py::arg("weighted_residual") = r.weighted));
  py::dict out(py::arg("factors") = factors, py::arg("residuals") = residuals, py::arg("chi2") = report.chi2,
               py::arg("dof") = report.dof, py::arg("r_squared") = report.r_squared,
               py::arg("iterations") = report.iterations, py::arg("runs") = report.runs,
               py::arg("status") = report.status, py::arg("identifiable") = report.identifiable,
               py::arg("identifiability") = report.identifiability);
  out["calibrated_toml"] =
      report.identifiable
          ? py::object(py::str(calibration::calibrated_study_text(
                config_text, report, study_name, data_label.empty() ? ivpt_csv : data_label, output_hint)))
          : py::object(py::none());
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "poreflux engine entry points (the Python API is the poreflux package)";
  python::register_error_translation();
  m.attr("version") = kVersion;

  py::class_<StudyHandle>(m, "StudyHandle")
      .def_property_readonly("title", [](const StudyHandle& h) { return h.study.title; })
      .def_property_readonly("source_file", [](const StudyHandle& h) { return h.study.source_file; })
      .def_property_readonly("has_treatment", [](const StudyHandle& h) { return h.study.treatment.has_value(); })
      .def("parameters",
           [](const StudyHandle& h) {
             py::list rows;
             for (const DerivedParameter& p : h.study.parameters) rows.append(parameter_row(p));
             return rows;
           })
      .def("warnings", [](const StudyHandle& h) { return warning_list(h.study); })
      .def("compound", [](const StudyHandle& h) { return compound_record(h.study.compound); })
      .def("resolved_toml", [](const StudyHandle& h) { return config::render_resolved_toml(h.study); })
      .def(
          "grids", [](const StudyHandle& h, bool allow_large) { return scenario_grids(h.study, allow_large); },
          py::arg("allow_large") = false);

  py::class_<RunHandle>(m, "RunHandle")
      .def_property_readonly("summary_json", [](const RunHandle& r) { return r.summary; })
      .def_property_readonly("backend", [](const RunHandle& r) { return r.run.result.backend; })
      .def_property_readonly("scenario_names",
                             [](const RunHandle& r) {
                               std::vector<std::string> names;
                               for (const Scenario& s : r.run.scenarios) names.push_back(s.name);
                               return names;
                             })
      .def("warnings", [](const RunHandle& r) { return warning_list(r.study); })
      .def("save", &save, py::arg("path"), py::arg("force") = false);

  m.def(
      "load_study",
      [](const std::string& path, const std::string& calibration) {
        return StudyHandle{load_study(path, calibration)};
      },
      py::arg("path"), py::arg("calibration") = "");
  m.def(
      "parse_study",
      [](const std::string& text, const std::string& source_name, const std::string& calibration) {
        return StudyHandle{parse_study(text, source_name, calibration)};
      },
      py::arg("text"), py::arg("source_name"), py::arg("calibration") = "");
  m.def("set_config_key", &set_config_key, py::arg("text"), py::arg("source_name"), py::arg("key"),
        py::arg("value_toml"));
  m.def(
      "run",
      [](const StudyHandle& h, const std::string& backend, const std::string& method, const std::string& linear_solver,
         bool allow_large, const py::object& progress) {
        return run(h, NumericsChoice{backend, method, linear_solver, allow_large}, progress);
      },
      py::arg("study"), py::arg("backend") = "", py::arg("method") = "", py::arg("linear_solver") = "",
      py::arg("allow_large") = false, py::arg("progress") = py::none());
  m.def("sweep", &sweep, py::arg("plan_toml"), py::arg("source_name"), py::arg("out_h5"), py::arg("out_csv"),
        py::arg("jobs") = 1, py::arg("backend") = "", py::arg("method") = "", py::arg("linear_solver") = "",
        py::arg("allow_large") = false, py::arg("force") = false, py::arg("progress") = py::none());
  m.def("cuda_available", []() {
    std::string why;
    const bool ok = cuda_device_available(&why);
    return py::make_tuple(ok, why);
  });
  m.def(
      "compound_library",
      [](const std::vector<std::string>& files) {
        py::list out;
        const CompoundLibrary library = CompoundLibrary::load(files);
        for (const CompoundSpec& c : library.compounds()) out.append(compound_record(c));
        return out;
      },
      py::arg("library_files") = std::vector<std::string>{});
  m.def("skin_sites", []() {
    std::vector<std::string> names;
    for (const SkinSite& s : skin_sites()) names.push_back(s.name);
    return names;
  });
  m.def(
      "compound_on_site",
      [](const std::string& name, const std::string& site, double ph, const std::string& relations,
         const std::vector<std::string>& library_files) {
        return StudyHandle{resolve_compound_on_site({name, site, ph, relations, library_files})};
      },
      py::arg("name"), py::arg("site") = "forearm", py::arg("ph") = 7.0, py::arg("relations") = "potts_guy",
      py::arg("library_files") = std::vector<std::string>{});
  m.def("calibrate", &calibrate, py::arg("study"), py::arg("config_text"), py::arg("study_name"), py::arg("targets"),
        py::arg("ivpt_csv") = "", py::arg("measures") = std::vector<std::string>{}, py::arg("backend") = "cpu",
        py::arg("output_hint") = "CALIBRATED.toml", py::arg("data_label") = "");
}
