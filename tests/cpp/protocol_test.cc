// The worker protocol's typed messages: what generate and extract send, and what they accept.
#include "driver/protocol.h"

#include <gtest/gtest.h>

namespace jitsynth::driver {
namespace {

using json = nlohmann::json;

TEST(CompileRequest, CarriesRangesAndSeedOnlyWhenExecuting) {
  CompileRequest r{.id = 17, .python = "src", .entry = "kernel"};
  r.args.push_back({"x", {4, 3}, "float32", -2.0, 2.0});
  r.x64 = false;
  r.grad = true;
  r.execute = true;
  r.input_seed = 1234567;
  EXPECT_EQ(r.ToJson(), json::parse(R"({"op": "compile", "id": 17, "python": "src",
      "entry": "kernel", "args": [{"name": "x", "shape": [4, 3], "dtype": "float32",
      "low": -2.0, "high": 2.0}], "x64": false, "grad": true, "execute": true,
      "input_seed": 1234567})"));
  CompileRequest traced{.id = 0, .python = "src", .entry = "f"};
  traced.args.push_back({"y", {}, "int32", {}, {}});
  const json j = traced.ToJson();
  EXPECT_FALSE(j.contains("input_seed"));
  EXPECT_FALSE(j.contains("inject"));
  EXPECT_FALSE(j["args"][0].contains("low"));
  traced.inject = "crash";
  EXPECT_EQ(traced.ToJson()["inject"], "crash");
}

TEST(CompileReply, ReadsEveryFieldOfASuccess) {
  const json raw = json::parse(R"({"ok": true, "id": 3, "jaxpr": "J", "stablehlo": "S",
      "hlo": "H", "optimized_hlo": "O", "outputs": [{"shape": [4], "dtype": "float32"}],
      "cost": {"flops": 12.0, "bytes_accessed": 96.0, "transcendentals": 4.0},
      "grad": {"entry": "k_vjp", "python": "P", "args": [{"name": "x", "shape": [4],
      "dtype": "float32"}], "jaxpr": "gJ", "stablehlo": "gS", "hlo": "gH", "optimized_hlo": "gO"},
      "timings": {"trace": 0.5, "compile": 1.5}})");
  const Result<CompileReply> r = CompileReply::FromJson(raw);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->levels.optimized_hlo, "O");
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(r->outputs[0].shape, std::vector<int64_t>{4});
  ASSERT_TRUE(r->grad.has_value());
  EXPECT_EQ(r->grad->levels.hlo, "gH");
  EXPECT_EQ(r->grad->args[0].name, "x");
  EXPECT_EQ(r->cost.transcendentals, 4.0);
  EXPECT_EQ(r->timings.at("compile"), 1.5);
}

TEST(CompileRequest, ListsLevelsAndGpuTargetOnlyWhenAsked) {
  CompileRequest r{.id = 1, .python = "src", .entry = "f"};
  EXPECT_FALSE(r.ToJson().contains("levels"));
  EXPECT_FALSE(r.ToJson().contains("gpu_target"));
  r.levels = {"llvm_ir", "grad.gpu"};
  r.gpu_target = "sm_90";
  EXPECT_EQ(r.ToJson()["levels"], json::parse(R"(["llvm_ir", "grad.gpu"])"));
  EXPECT_EQ(r.ToJson()["gpu_target"], "sm_90");
}

TEST(CompileReply, ReadsKernelAndGpuLevels) {
  const json raw = json::parse(R"({"ok": true, "id": 3, "jaxpr": "J", "stablehlo": "S",
      "hlo": "H", "optimized_hlo": "O", "llvm_ir": "L", "asm": "",
      "outputs": [], "cost": {"flops": 0, "bytes_accessed": 0, "transcendentals": 0},
      "grad": {"entry": "k_vjp", "python": "P", "args": [], "jaxpr": "gJ", "stablehlo": "gS",
      "hlo": "gH", "optimized_hlo": "gO", "llvm_ir_unoptimized": "gU"},
      "gpu": {"target": "sm_80", "optimized_hlo": "GO", "llvm_ir": "GL", "ptx": "GP",
      "grad": {"optimized_hlo": "gGO", "llvm_ir": "gGL", "ptx": "gGP"}}})");
  const Result<CompileReply> r = CompileReply::FromJson(raw);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->levels.llvm_ir_unoptimized.has_value());
  EXPECT_EQ(r->levels.llvm_ir, "L");
  EXPECT_EQ(r->levels.asm_, "");
  EXPECT_EQ(r->grad->levels.llvm_ir_unoptimized, "gU");
  ASSERT_TRUE(r->gpu.has_value());
  EXPECT_EQ(r->gpu->target, "sm_80");
  EXPECT_EQ(r->gpu->forward.ptx, "GP");
  ASSERT_TRUE(r->gpu->grad.has_value());
  EXPECT_EQ(r->gpu->grad->llvm_ir, "gGL");
  // A GPU reply without its PTX broke the protocol.
  json broken = raw;
  broken["gpu"].erase("ptx");
  EXPECT_FALSE(CompileReply::FromJson(broken).ok());
}

TEST(CompileReply, FailureKeepsItsStageAndAMalformedReplyIsAnError) {
  const Result<CompileReply> failed = CompileReply::FromJson(json::parse(
      R"({"ok": false, "id": 1, "stage": "lower", "error_type": "TypeError", "message": "m"})"));
  ASSERT_TRUE(failed.ok());
  EXPECT_FALSE(failed->ok);
  EXPECT_EQ(failed->error.stage, "lower");
  EXPECT_EQ(failed->error.error_type, "TypeError");

  const Result<CompileReply> broken =
      CompileReply::FromJson(json::parse(R"({"ok": true, "jaxpr": "J"})"));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kParseError);
}

TEST(InspectReply, ReadsParameters) {
  const Result<InspectReply> r = InspectReply::FromJson(json::parse(
      R"({"ok": true, "id": 0, "parameters": [{"name": "x", "kind": "POSITIONAL_OR_KEYWORD",
      "default": false}, {"name": "scale", "kind": "KEYWORD_ONLY", "default": true}]})"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->parameters.size(), 2u);
  EXPECT_EQ(r->parameters[1].kind, "KEYWORD_ONLY");
  EXPECT_TRUE(r->parameters[1].has_default);
}

TEST(Versions, BecomeTheProvenanceOfRecords) {
  const Versions v = Versions::FromJson(json::parse(
      R"({"jax": "0.10.2", "jaxlib": "0.10.2", "python": "3.11.7", "backend": "cpu"})"));
  EXPECT_EQ(v.optimized_hlo_from, "compiled_executable");  // what an old worker implies
  const store::Provenance p = MakeProvenance(v, "--xla_flag", "abc");
  EXPECT_EQ(p.jax_version, "0.10.2");
  EXPECT_EQ(p.xla_flags, "--xla_flag");
  EXPECT_EQ(p.policy_hash, "abc");
  EXPECT_EQ(p.jitsynth_version, JITSYNTH_VERSION);
}

}  // namespace
}  // namespace jitsynth::driver
