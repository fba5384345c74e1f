// What `--engine auto` means: the fastest engine for this sweep's shapes, by a table of measured
// speeds (engine_choice.cpp) rather than a fixed order, since on a CPU the double-precision cpu-ref
// beats the float cpu engine for the shapes its layered kernel trains.
#pragma once

#include <string>

#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

// The engine "auto" stands for in this sweep. A GPU engine where one can run (the fastest by far
// for sweeps of any size); otherwise cpu or cpu-ref, whichever the measured table expects to
// finish the sweep's configurations first. `reference_allowed` = false leaves cpu-ref out (verify
// compares an engine with cpu-ref).
std::string choose_auto_engine(const SweepPlan& plan, bool reference_allowed);

// Estimated seconds of one network-epoch of `config` on "cpu" or "cpu-ref" (all cores of the
// machine the table was measured on): what choose_auto_engine compares.
double estimated_network_epoch_seconds(const SweepPlan& plan, const Config& config,
                                       std::string_view engine);

}  // namespace symbreak
