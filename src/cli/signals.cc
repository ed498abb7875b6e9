#include "cli/signals.h"

#include <csignal>

namespace jitsynth::cli {
namespace {

// Signal handlers can reach only globals; these are the CLI's only ones.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

void OnSignal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

}  // namespace

void InstallStopHandlers() {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
}

const std::atomic<bool>* StopFlag() { return &g_stop; }

int LastSignal() { return g_signal.load(); }

}  // namespace jitsynth::cli
