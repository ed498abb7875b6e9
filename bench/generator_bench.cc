// Generator-only throughput: programs built, verified and printed as Python
// per second on one core (no JAX). Run:
//   build/bench/generator_bench
// `items_per_second` of BM_Generate is programs/s per core under the default
// policy; BM_GenerateFamily/<i> forces family i of the family table.
#include <benchmark/benchmark.h>

#include "synth/families.h"
#include "synth/generator.h"

namespace {

using jitsynth::synth::Generator;
using jitsynth::synth::Policy;

void BM_Generate(benchmark::State& state) {
  const Generator generator(Policy::Default(), 0);
  uint64_t index = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    auto sample = generator.Generate(index++);
    if (!sample.ok()) state.SkipWithError(sample.status().message().c_str());
    bytes += sample->python.size();
    benchmark::DoNotOptimize(sample);
  }
  state.SetItemsProcessed(static_cast<int64_t>(index));
  state.counters["python_bytes"] =
      benchmark::Counter(static_cast<double>(bytes) / static_cast<double>(index));
}
BENCHMARK(BM_Generate);

void BM_GenerateFamily(benchmark::State& state) {
  const Generator generator(Policy::Default(), 0);
  const std::string_view family =
      jitsynth::synth::kFamilyTable[static_cast<size_t>(state.range(0))].name;
  uint64_t index = 0;
  for (auto _ : state) {
    auto sample = generator.Generate(index++, family);
    benchmark::DoNotOptimize(sample);
  }
  state.SetLabel(std::string(family));
  state.SetItemsProcessed(static_cast<int64_t>(index));
}
BENCHMARK(BM_GenerateFamily)
    ->DenseRange(0, static_cast<int64_t>(jitsynth::synth::kFamilyTable.size()) - 1);

}  // namespace

BENCHMARK_MAIN();
