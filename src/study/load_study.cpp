// The facade every caller reads studies through (poreflux/config.hpp, poreflux/sweep.hpp): the
// config layer reads the TOML (config/study_reader.hpp), and this layer gives it the resolve step
// (resolve_parameters: every D, K and rate not given derived, with its relation and inputs), also
// to the runs of a measurement file (load_measurement.hpp).
#include "config/study_reader.hpp"
#include "load_measurement.hpp"
#include "parameters/resolve_parameters.hpp"
#include "poreflux/config.hpp"
#include "poreflux/sweep.hpp"

namespace poreflux {
namespace {

const config::StudyResolver& resolve_step() {
  static const config::StudyResolver resolve = [](Study& study) { resolve_parameters(study); };
  return resolve;
}

}  // namespace

qualify::MeasurementCase qualify::read_measurement_file(const std::string& path,
                                                        const std::vector<std::string>& overrides) {
  return read_measurement(path, overrides, resolve_step());
}

Study load_study(const std::string& path, const std::string& calibration_file) {
  return config::read_study_file(path, calibration_file, resolve_step());
}

Study parse_study(const std::string& toml_text, const std::string& source_name, const std::string& calibration_file) {
  return config::read_study_text(toml_text, source_name, calibration_file, resolve_step());
}

StudyPlan load_study_plan(const std::string& path) { return config::read_study_plan_file(path, resolve_step()); }

StudyPlan parse_study_plan(const std::string& toml_text, const std::string& source_name) {
  return config::read_study_plan_text(toml_text, source_name, resolve_step());
}

}  // namespace poreflux
