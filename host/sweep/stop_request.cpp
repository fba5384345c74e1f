// The one piece of process-wide state: a signal handler can only talk through a static flag.
#include "host/sweep/stop_request.hpp"

#include <csignal>

namespace symbreak {
namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int signal) {
  g_stop = signal;
  std::signal(signal, SIG_DFL);  // a second Ctrl-C ends the process at once
}

}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

bool stop_requested() {
  return g_stop != 0;
}

int stop_signal() {
  return static_cast<int>(g_stop);
}

}  // namespace symbreak
