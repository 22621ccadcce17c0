#include "worker.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "poreflux/backend.hpp"

namespace py = pybind11;

namespace poreflux::python {
namespace {

// The progress to pass on, handed from the worker to the polling thread: the latest update of
// the scenario running and the last of each one that ended since the previous poll (a
// scenario shorter than a poll still shows, finished).
class PendingProgress : public ProgressSink {
 public:
  struct Update {
    std::string what;
    double t_s = 0.0, duration_s = 0.0;
  };
  void update(const std::string& what, double t_s, double duration_s) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pending_.empty() && pending_.back().what == what) pending_.back() = {what, t_s, duration_s};
    else pending_.push_back({what, t_s, duration_s});
  }
  std::vector<Update> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Update> out;
    out.swap(pending_);
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<Update> pending_;
};

}  // namespace

void run_without_gil(const std::function<void(const volatile std::sig_atomic_t*, ProgressSink&)>& work,
                     const py::object& progress) {
  volatile std::sig_atomic_t interrupt = 0;
  PendingProgress pending;
  std::mutex mutex;
  std::condition_variable finished_cv;
  bool finished = false;
  std::exception_ptr failure;

  std::thread worker([&]() {
    try {
      work(&interrupt, pending);
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
      for (const PendingProgress::Update& u : pending.take())
        if (!progress.is_none()) progress(u.what, u.t_s, u.duration_s);
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
  for (const PendingProgress::Update& u : pending.take())
    if (!progress.is_none()) progress(u.what, u.t_s, u.duration_s);
}

}  // namespace poreflux::python
