// Ctrl-C (SIGINT) and SIGTERM ask a running sweep to stop after its current chunk, so that every
// network already trained still reaches the output files. A second signal ends the process.
#pragma once

namespace symbreak {

void install_stop_handlers();
bool stop_requested();
// The signal that asked to stop (SIGINT or SIGTERM), 0 when none did.
int stop_signal();

}  // namespace symbreak
