// What happened in the first hours of a scenario, with when (issue 20): the film dry, a deposit
// formed and at its largest, the peak permeation flux, microchannels closed to 10 % open. For the
// printed summary and the summary JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

struct RunEvent {
  std::string code;     // "film_dry", "deposit_formed", "deposit_peak", "flux_peak", "channels_closed_to_10_percent"
  std::string text;     // "film dry", ... for the printed line
  double time_h = 0.0;  // since the first application
  std::optional<double> value;  // the amount or flux at that time, where one belongs to the event
  std::string unit;             // of value
  std::string note;             // how the time was found
};

// The events of one scenario, in time order. Film and deposit events per application come from
// the film's history (exact); the deposit's peak and the flux peak from the output times and
// the solution (the deposit peak is the largest at an output time: dense early outputs resolve
// it); the channels' closure from their time constant (open fraction exp(-t/tau) = 0.1 at
// tau ln 10, after the first needling).
std::vector<RunEvent> scenario_events(const Study& study, const ScenarioResult& scenario);

// "2.5 min" below an hour, "3.45 h" from there on.
std::string event_time_text(double hours);

}  // namespace poreflux
