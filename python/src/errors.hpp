// The engine's exceptions as Python's (poreflux/errors.py): ConfigError (a ValueError with
// .file, .line, .key), OutputRefused, BackendUnavailable, CalibrationDataError; the message
// is the CLI's.
#pragma once

#include <stdexcept>

namespace poreflux::python {

// The fit's std::invalid_argument (bad data, unknown target), re-thrown as this where it is
// known to come from the calibration, so that no other invalid_argument is mislabelled.
struct CalibrationDataFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void register_error_translation();

}  // namespace poreflux::python
