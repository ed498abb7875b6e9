// The task table against hand-made records (every level, including those of runs made with
// LLVM IR, assembly and GPU levels), and the import parser against docs/schema.json's rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "record_properties.h"
#include "store/record_check.h"
#include "tasks/tasks.h"
#include "test_files.h"

namespace jitsynth {
namespace {

using store::Json;

// A record of docs/schema.json, small.
Json SchemaRecord() {
  const Json level = "HloModule m\nENTRY e { ROOT p = f32[4] parameter(0) }\n";
  Json grad = {{"entry", "f_vjp"},
               {"python", "import jax\ndef f_vjp(x, ct):\n  return x\n"},
               {"args", Json::array({{{"name", "x"}, {"shape", {4}}, {"dtype", "float32"}},
                                     {{"name", "ct"}, {"shape", {4}}, {"dtype", "float32"}}})},
               {"jaxpr", "{ lambda ; a. let in (a,) }"},
               {"stablehlo", "module @jit_f_vjp {}\n"},
               {"hlo", level},
               {"optimized_hlo", level}};
  return {{"id", "js-7-3"},
          {"seed", 7},
          {"index", 3},
          {"category", "unary"},
          {"entry", "f"},
          {"python", "import jax.numpy as jnp\n\ndef f(x):\n    return jnp.sin(x)\n"},
          {"args", Json::array({{{"name", "x"},
                                 {"shape", {4}},
                                 {"dtype", "float32"},
                                 {"low", -1.0},
                                 {"high", 1.0}}})},
          {"input_seed", 11},
          {"x64", false},
          {"outputs", Json::array({{{"shape", {4}}, {"dtype", "float32"}}})},
          {"jaxpr", "{ lambda ; a:f32[4]. let b = sin a in (b,) }"},
          {"stablehlo", "module @jit_f { func.func public @main() }\n"},
          {"hlo", level},
          {"optimized_hlo", "HloModule opt\n"},
          {"grad", grad},
          {"cost", {{"flops", 4.0}, {"bytes_accessed", 32.0}, {"transcendentals", 4.0}}},
          {"provenance",
           {{"jitsynth_version", "0.1.0"},
            {"jax_version", "0.10.2"},
            {"jaxlib_version", "0.10.2"},
            {"backend", "cpu"},
            {"xla_flags", ""},
            {"optimized_hlo_from", "post_scheduler_hook"},
            {"policy_hash", "0123456789abcdef"},
            {"target", {{"cpu_isa", "AVX2"}, {"compile_cpus", 1}}}}}};
}

// The schema's record with the lower levels a run may add (issue 12's fields).
nlohmann::json FullRecord() {
  nlohmann::json r = nlohmann::json::parse(SchemaRecord().dump());
  r["llvm_ir"] = "define void @fusion(ptr %0) { ret void }\n";
  r["llvm_ir_unoptimized"] = "define void @fusion(ptr %0) { ret void }\n";
  r["asm"] = "fusion:\n  ret\n";
  r["gpu"] = {{"target", "sm_90"},
              {"optimized_hlo", "HloModule gpu\n"},
              {"llvm_ir", "define void @k() { ret void }\n"},
              {"ptx", ".version 8.0\n.target sm_90\n"}};
  return r;
}

TEST(Tasks, EveryTaskMakesItsExampleFromAFullRecord) {
  const nlohmann::json record = FullRecord();
  std::set<std::string_view> names;
  for (const tasks::Task& task : tasks::AllTasks()) {
    SCOPED_TRACE(task.name);
    EXPECT_TRUE(names.insert(task.name).second) << "a name twice";
    EXPECT_GE(task.version, 1);
    const auto outcome = tasks::MakeExample(task, record);
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    ASSERT_EQ(outcome->skip, tasks::Skip::kNone);
    const tasks::Example& e = outcome->example;
    EXPECT_EQ(e.id, "js-7-3");
    const nlohmann::json& source = record.at(nlohmann::json::json_pointer(std::string(task.source)));
    const nlohmann::json& target = record.at(nlohmann::json::json_pointer(std::string(task.target)));
    EXPECT_NE(e.prompt.find(source.get<std::string>()), std::string::npos) << e.prompt;
    if (target.is_string()) {
      EXPECT_EQ(e.completion, target.get<std::string>());
    } else {
      EXPECT_EQ(nlohmann::json::parse(e.completion), target);
    }
    // Every placeholder was filled; the prompt ends with the source in a fenced block.
    EXPECT_EQ(e.prompt.find("{source}"), std::string::npos);
    EXPECT_EQ(e.prompt.find("{args}"), std::string::npos);
    EXPECT_TRUE(e.prompt.ends_with("```\n")) << e.prompt;
    EXPECT_GT(tasks::ExampleTokens(e), 5u);
  }
  EXPECT_EQ(names.size(), 9u);
}

TEST(Tasks, PromptsNameTheEntryTheArgumentsAndTheTarget) {
  const nlohmann::json record = FullRecord();
  auto prompt = [&](std::string_view name) {
    return tasks::MakeExample(**tasks::ParseTask(name), record)->example.prompt;
  };
  EXPECT_NE(prompt("python-to-stablehlo").find("`jax.jit(f).lower(*args).as_text()`"),
            std::string::npos);
  EXPECT_NE(prompt("python-to-stablehlo").find("x: float32[4]"), std::string::npos);
  EXPECT_NE(prompt("stablehlo-to-grad-stablehlo").find("x: float32[4], ct: float32[4]"),
            std::string::npos);
  EXPECT_NE(prompt("optimized-hlo-to-ptx").find("sm_90"), std::string::npos);
  EXPECT_NE(prompt("optimized-hlo-to-cost").find("{\"flops\": F"), std::string::npos);
  EXPECT_EQ(tasks::MakeExample(**tasks::ParseTask("optimized-hlo-to-cost"), record)
                ->example.completion,
            R"({"flops":4.0,"bytes_accessed":32.0,"transcendentals":4.0})");
}

TEST(Tasks, ARunWithoutTheLevelIsRefusedAndEmptyOrAbsentPassesAreSkipped) {
  const nlohmann::json schema_only = nlohmann::json::parse(SchemaRecord().dump());
  for (const char* name : {"optimized-hlo-to-llvm-ir", "python-to-asm", "optimized-hlo-to-ptx"}) {
    const auto outcome = tasks::MakeExample(**tasks::ParseTask(name), schema_only);
    ASSERT_FALSE(outcome.ok()) << name;
    EXPECT_EQ(outcome.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(outcome.status().message().find("made without that level"), std::string::npos);
  }
  nlohmann::json no_grad = schema_only;
  no_grad["grad"] = nullptr;
  EXPECT_EQ(tasks::MakeExample(**tasks::ParseTask("stablehlo-to-grad-stablehlo"), no_grad)->skip,
            tasks::Skip::kNoBackward);
  nlohmann::json no_kernel = FullRecord();
  no_kernel["asm"] = "";
  EXPECT_EQ(tasks::MakeExample(**tasks::ParseTask("python-to-asm"), no_kernel)->skip,
            tasks::Skip::kEmptyTarget);
  EXPECT_FALSE(tasks::ParseTask("python-to-c").ok());
  EXPECT_NE(tasks::ParseTask("x").status().message().find("python-to-stablehlo"),
            std::string::npos);
}

TEST(RecordCheck, AcceptsTheSchemasRecordAndNamesTheFirstBadField) {
  EXPECT_TRUE(store::CheckRecord(SchemaRecord()).ok()) << store::CheckRecord(SchemaRecord()).message();
  Json no_grad = SchemaRecord();
  no_grad["grad"] = nullptr;
  EXPECT_TRUE(store::CheckRecord(no_grad).ok());
  // The levels a run may add, in the schema's form: kernels after their header lines, or "".
  Json lower = SchemaRecord();
  lower["llvm_ir_unoptimized"] = "; ---- kernel: fusion\ndefine void @fusion() { ret void }\n";
  lower["llvm_ir"] = "";
  lower["asm"] = "# ---- kernel: fusion\nfusion:\n  ret\n";
  lower["grad"]["asm"] = "";
  lower["gpu"] = {{"target", "sm_90"},
                  {"optimized_hlo", "HloModule g\n"},
                  {"llvm_ir", "; ---- kernel: k\ndefine void @k() { ret void }\n"},
                  {"ptx", "// ---- kernel: k\n.version 8.0\n"}};
  EXPECT_TRUE(store::CheckRecord(lower).ok()) << store::CheckRecord(lower).message();
  Json extracted = SchemaRecord();
  extracted["input_seed"] = nullptr;
  extracted["args"][0].erase("low");
  extracted["args"][0].erase("high");
  EXPECT_TRUE(store::CheckRecord(extracted).ok()) << store::CheckRecord(extracted).message();
  Json half_range = SchemaRecord();
  half_range["args"][0].erase("high");
  EXPECT_FALSE(store::CheckRecord(half_range).ok());
  const std::vector<std::pair<std::string, Json>> bad = {
      {"/id", "record-1"},
      {"/seed", -1},
      {"/index", 1.5},
      {"/category", ""},
      {"/entry", "1f"},
      {"/python", ""},
      {"/args/0/dtype", "float31"},
      {"/args/0/shape/0", -2},
      {"/x64", "no"},
      {"/outputs", Json::array()},
      {"/stablehlo", 7},
      {"/grad/args/0/name", "a b"},
      {"/grad/hlo", ""},
      {"/cost/flops", -1},
      {"/provenance/optimized_hlo_from", "somewhere"},
      {"/provenance/policy_hash", "xyz"},
      {"/extra", 1},
      {"/cost/extra", 1},
      {"/input_seed", -3},
      {"/args/0/low", "low"},
      {"/provenance/target/compile_cpus", "one"},
      {"/provenance/target/extra", 1},
      {"/llvm_ir", "define void @f() { ret void }\n"},
      {"/asm", "; ---- kernel: f\nret\n"},
      {"/grad/llvm_ir", 3},
      {"/gpu", {{"target", "sm_90"}, {"optimized_hlo", "HloModule g\n"}, {"llvm_ir", ""}}},
  };
  for (const auto& [pointer, value] : bad) {
    Json r = SchemaRecord();
    r[Json::json_pointer(pointer)] = value;
    const Status s = store::CheckRecord(r);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << pointer;
    EXPECT_NE(s.message().find("field '"), std::string::npos) << s.message();
  }
  Json missing = SchemaRecord();
  missing.erase("cost");
  EXPECT_EQ(store::CheckRecord(missing).message(), "field 'cost': missing");
  EXPECT_FALSE(store::CheckRecord(Json::array()).ok());
}

TEST(RecordCheck, FuzzCorpusKeepsItsProperties) {
  size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(JITSYNTH_FUZZ_CORPUS_DIR) / "record")) {
    ++inputs;
    EXPECT_EQ(fuzz::CheckRecordLine(test::ReadFile(entry.path().string())), "") << entry.path();
  }
  EXPECT_GT(inputs, 0u);
  EXPECT_EQ(fuzz::CheckRecordLine(SchemaRecord().dump()), "");
  EXPECT_EQ(fuzz::CheckRecordLine(FullRecord().dump()), "");
}

}  // namespace
}  // namespace jitsynth
