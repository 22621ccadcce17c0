#include "worker.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "poreflux/backend.hpp"

namespace py = pybind11;

namespace poreflux::python {
namespace {

// The latest progress, handed from the worker to the polling thread.
class LatestProgress : public ProgressSink {
 public:
  void update(const std::string& what, double t_s, double duration_s) override {
    std::lock_guard<std::mutex> lock(mutex_);
    what_ = what;
    t_s_ = t_s;
    duration_s_ = duration_s;
    fresh_ = true;
  }
  bool take(std::string* what, double* t_s, double* duration_s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!fresh_) return false;
    *what = what_;
    *t_s = t_s_;
    *duration_s = duration_s_;
    fresh_ = false;
    return true;
  }

 private:
  std::mutex mutex_;
  std::string what_;
  double t_s_ = 0.0, duration_s_ = 0.0;
  bool fresh_ = false;
};

}  // namespace

void run_without_gil(const std::function<void(const volatile std::sig_atomic_t*, ProgressSink&)>& work,
                     const py::object& progress) {
  volatile std::sig_atomic_t interrupt = 0;
  LatestProgress latest;
  std::mutex mutex;
  std::condition_variable finished_cv;
  bool finished = false;
  std::exception_ptr failure;

  std::thread worker([&]() {
    try {
      work(&interrupt, latest);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex);
    finished = true;
    finished_cv.notify_all();
  });

  // Polled every 0.1 s: an interrupt stops the engine well within the ~1 s a user waits.
  std::optional<py::error_already_set> python_error;
  for (;;) {
    bool done;
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(mutex);
      done = finished_cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return finished; });
    }
    if (done) break;
    if (python_error) continue;  // already stopping: wait for the worker to unwind
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      std::string what;
      double t_s = 0.0, duration_s = 0.0;
      if (!progress.is_none() && latest.take(&what, &t_s, &duration_s)) progress(what, t_s, duration_s);
    } catch (py::error_already_set& e) {
      python_error.emplace(std::move(e));
      interrupt = SIGINT;
    }
  }
  worker.join();
  if (python_error) {
    // The engine stopped because of it (Interrupted), or finished before noticing: either way
    // the Python exception is what the caller sees, and nothing was written.
    python_error->restore();
    throw py::error_already_set();
  }
  if (failure) std::rethrow_exception(failure);
  std::string what;
  double t_s = 0.0, duration_s = 0.0;
  if (!progress.is_none() && latest.take(&what, &t_s, &duration_s)) progress(what, t_s, duration_s);
}

}  // namespace poreflux::python
