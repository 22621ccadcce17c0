#include "errors.hpp"

#include <pybind11/pybind11.h>

#include <stdexcept>

#include "io/output_paths.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/config.hpp"

namespace py = pybind11;

namespace poreflux::python {
namespace {

void raise(const char* class_name, const py::tuple& args, const py::dict& kwargs) {
  const py::object type = py::module_::import("poreflux.errors").attr(class_name);
  const py::object error = type(*args, **kwargs);
  PyErr_SetObject(type.ptr(), error.ptr());
}

}  // namespace

void register_error_translation() {
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const ConfigError& e) {
      raise("ConfigError", py::make_tuple(e.what()),
            py::dict(py::arg("file") = e.file(), py::arg("line") = e.line(), py::arg("key") = e.key_path(),
                     py::arg("subject") = e.subject(), py::arg("message") = e.message()));
    } catch (const OutputRefused& e) {
      raise("OutputRefused", py::make_tuple(e.what()), py::dict());
    } catch (const BackendUnavailable& e) {
      raise("BackendUnavailable", py::make_tuple(e.what()), py::dict());
    } catch (const Interrupted&) {
      // Only when the engine saw a signal Python did not (the poll raises KeyboardInterrupt).
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const CalibrationDataFailure& e) {
      raise("CalibrationDataError", py::make_tuple(e.what()), py::dict());
    }
  });
}

}  // namespace poreflux::python
