// SIGINT and SIGTERM: the only process-wide state of the CLI. A handler sets the stop flag that
// long commands poll; the exit code says which signal stopped them.
#pragma once

#include <atomic>

namespace jitsynth::cli {

// Installs the handlers for SIGINT and SIGTERM.
void InstallStopHandlers();

// Becomes true when a handled signal arrives.
const std::atomic<bool>* StopFlag();

// The last handled signal, 0 when none came.
int LastSignal();

}  // namespace jitsynth::cli
