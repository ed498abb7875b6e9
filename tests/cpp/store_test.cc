// The on-disk format without JAX: the record's bytes, the manifest's round trip, the run writer
// and reader, derived runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "store/derive.h"
#include "store/files.h"
#include "store/levels.h"
#include "store/manifest.h"
#include "store/record.h"
#include "store/run_reader.h"
#include "store/writer.h"
#include "temp_dir.h"

namespace jitsynth::store {
namespace {

namespace fs = std::filesystem;

using test::Read;
using test::TempDir;
using test::Write;

Record SampleRecord() {
  Record r;
  r.id = RecordId(7, 3);
  r.seed = 7;
  r.index = 3;
  r.category = "unary";
  r.entry = "kernel";
  r.python = "def kernel(x):\n    return x\n";
  r.args = {{"x", {4, 3}, "float32", -1.0, 2.5}};
  r.input_seed = 99;
  r.x64 = false;
  r.outputs = {{{4, 3}, "float32"}};
  r.levels = {"J", "S", "H", "O"};
  r.grad = GradPass{"kernel_vjp",
                    "P",
                    {{"x", {4, 3}, "float32", std::nullopt, std::nullopt},
                     {"ct", {4, 3}, "float32", std::nullopt, std::nullopt}},
                    {"gJ", "gS", "gH", "gO"}};
  r.cost = {12.0, 96.5, 0.0};
  r.provenance.jitsynth_version = "0.1.0";
  r.provenance.jax_version = "0.10.2";
  r.provenance.python_version = "3.11.7";  // a manifest field: never in a record
  r.provenance.policy_hash = "00000000000000ff";
  return r;
}

TEST(Record, BytesFollowTheSchemaOrder) {
  EXPECT_EQ(
      SampleRecord().ToJson().dump(),
      R"({"id":"js-7-3","seed":7,"index":3,"category":"unary","entry":"kernel",)"
      R"("python":"def kernel(x):\n    return x\n","args":[{"name":"x","shape":[4,3],)"
      R"("dtype":"float32","low":-1.0,"high":2.5}],"input_seed":99,"x64":false,)"
      R"("outputs":[{"shape":[4,3],"dtype":"float32"}],)"
      R"("jaxpr":"J","stablehlo":"S","hlo":"H","optimized_hlo":"O","grad":{"entry":"kernel_vjp",)"
      R"("python":"P","args":[{"name":"x","shape":[4,3],"dtype":"float32"},{"name":"ct",)"
      R"("shape":[4,3],"dtype":"float32"}],"jaxpr":"gJ","stablehlo":"gS","hlo":"gH",)"
      R"("optimized_hlo":"gO"},"cost":{"flops":12.0,"bytes_accessed":96.5,"transcendentals":0.0},)"
      R"("provenance":{"jitsynth_version":"0.1.0","jax_version":"0.10.2","jaxlib_version":"",)"
      R"("backend":"","xla_flags":"","optimized_hlo_from":"","policy_hash":"00000000000000ff","target":{"cpu_isa":"","compile_cpus":0}}})");
}

TEST(Record, NoGradIsNull) {
  Record r = SampleRecord();
  r.grad.reset();
  EXPECT_TRUE(r.ToJson().at("grad").is_null());
}

TEST(Record, KernelAndGpuLevelsOnlyWhenCaptured) {
  Record r = SampleRecord();
  r.levels.llvm_ir = "; ---- kernel: f\nL\n";
  r.levels.asm_ = "";  // a program without kernels: empty, and present
  r.grad->levels.asm_ = "# ---- kernel: g\nA\n";
  r.gpu = GpuPass{"sm_90", {"GO", "GL", "GP"}, std::nullopt};
  const Json j = r.ToJson();
  EXPECT_FALSE(j.contains("llvm_ir_unoptimized"));
  EXPECT_EQ(j.at("llvm_ir"), "; ---- kernel: f\nL\n");
  EXPECT_EQ(j.at("asm"), "");
  EXPECT_EQ(j.at("grad").at("asm"), "# ---- kernel: g\nA\n");
  EXPECT_FALSE(j.at("grad").contains("llvm_ir"));
  EXPECT_EQ(j.at("gpu").dump(),
            R"({"target":"sm_90","optimized_hlo":"GO","llvm_ir":"GL","ptx":"GP"})");
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "seed", "index", "category", "entry", "python",
                                             "args", "input_seed", "x64", "outputs", "jaxpr",
                                             "stablehlo", "hlo",
                                             "optimized_hlo", "llvm_ir", "asm", "grad", "gpu",
                                             "cost", "provenance"}));
  EXPECT_FALSE(SampleRecord().ToJson().contains("gpu"));
}

TEST(Levels, ParseKeepsTheTableOrderAndTheAlwaysCapturedLevels) {
  const Result<LevelSet> set = ParseLevels("asm,grad.llvm_ir,llvm_ir");
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->Joined(),
            "jaxpr,stablehlo,hlo,optimized_hlo,llvm_ir,asm,grad.jaxpr,grad.stablehlo,grad.hlo,"
            "grad.optimized_hlo,grad.llvm_ir");
  EXPECT_EQ(set->Optional(), (std::vector<std::string>{"llvm_ir", "asm", "grad.llvm_ir"}));
  EXPECT_TRUE(set->HasKernelLevel());
  EXPECT_FALSE(ParseLevels("jaxpr,grad.hlo")->HasKernelLevel());
  EXPECT_TRUE(ParseLevels("grad.asm")->HasKernelLevel());
  const Result<LevelSet> defaults = ParseLevels(kDefaultLevels);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->Optional(),
            (std::vector<std::string>{"llvm_ir_unoptimized", "llvm_ir", "asm"}));
}

TEST(Levels, UnknownOrEmptyNamesAreRefusedNamingThem) {
  for (const char* bad : {"llvm", "asm,", "", "grad.ptx", "ASM"}) {
    const Result<LevelSet> set = ParseLevels(bad);
    ASSERT_FALSE(set.ok()) << bad;
    EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(set.status().message().find("--levels: unknown level"), std::string::npos);
    EXPECT_NE(set.status().message().find("grad.asm"), std::string::npos);
  }
}

TEST(Failure, BytesFollowTheSchemaOrder) {
  const Failure f{RecordId(1, 2), 2, "loop", "compile", "XlaRuntimeError", "boom"};
  EXPECT_EQ(f.ToJson().dump(), R"({"id":"js-1-2","index":2,"category":"loop","stage":"compile",)"
                               R"("error_type":"XlaRuntimeError","message":"boom"})");
}

Manifest FullManifest() {
  Manifest m;
  m.command = {"jitsynth", "generate", "--count", "5"};
  m.seed = 9;
  m.count = 5;
  m.chunk_size = 2;
  m.workers = 2;
  m.policy = "[family]\nloop = 1.0\n";
  m.levels = {"jaxpr", "stablehlo", "hlo", "optimized_hlo", "asm"};
  m.gpu_target = "sm_90";
  m.provenance = SampleRecord().provenance;
  m.chunks = {{"data-00000.jsonl", 0, 2, 1, 1, 10, "0123456789abcdef"},
              {"data-00001.jsonl", 2, 4, 2, 0, 20, "fedcba9876543210"}};
  m.complete = false;
  m.records = 3;
  m.failures = {{"compile", 1}};
  m.wall_seconds = 1.5;
  m.pairs_per_second = 2.0;
  m.worker_stage_seconds = {{"compile", 0.75}, {"trace", 0.25}};
  m.pool = {5, 1, 0, 1, 1, 0, 123456789};
  m.derivation.push_back({{"tool", "dedup"}});
  return m;
}

TEST(Manifest, RoundTripsEveryField) {
  const Manifest m = FullManifest();
  const Result<Manifest> back = Manifest::FromJson(m.ToJson(), "run");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->Dump(), m.Dump());
  EXPECT_EQ(back->committed_through(), 4u);
  EXPECT_EQ(back->committed_failures(), 1u);
  EXPECT_EQ(m.ToJson().at("committed_through"), 4);
}

TEST(Manifest, KeyOrderIsTheDocumentedOne) {
  std::vector<std::string> keys;
  const Json json = FullManifest().ToJson();
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"format", "command", "seed", "count", "chunk_size", "workers",
                                      "policy", "levels", "gpu_target", "provenance", "chunks",
                                      "committed_through",
                                      "complete", "counts", "timings", "pool", "derivation"}));
}

TEST(Manifest, RefusesWhatIsNotARunNamingTheProblem) {
  auto refused = [](const std::string& text, const std::string& words) {
    const Result<Manifest> m = Manifest::FromJson(Json::parse(text), "somewhere");
    ASSERT_FALSE(m.ok()) << text;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find(words), std::string::npos) << m.status().message();
    EXPECT_NE(m.status().message().find("somewhere"), std::string::npos);
  };
  refused("[1]", "not a JSON object");
  refused(R"({"format": "other/1", "chunk_size": 1, "chunks": []})", "has format 'other/1'");
  refused(R"({"format": "jitsynth-run/1", "chunks": []})", "positive chunk_size");
  refused(R"({"format": "jitsynth-run/1", "chunk_size": 0, "chunks": []})", "positive chunk_size");
  refused(R"({"format": "jitsynth-run/1", "chunk_size": 2, "chunks": [
            {"file": "../x", "first_index": 0, "end_index": 2, "records": 1, "failures": 0}]})",
          "names the chunk file '../x'");
  refused(R"({"format": "jitsynth-run/1", "chunk_size": 2, "chunks": [
            {"file": "a", "first_index": 1, "end_index": 2, "records": 1, "failures": 0}]})",
          "does not continue");
  refused(R"({"format": "jitsynth-run/1", "chunk_size": 2, "chunks": [
            {"file": "a", "first_index": 0, "end_index": 2, "records": 2, "failures": 1}]})",
          "does not continue");
  refused(R"({"format": "jitsynth-run/1", "chunk_size": 2, "chunks": [{"file": "a"}]})",
          "malformed");
  refused(R"({"format": "jitsynth-run/1", "chunk_size": 2, "chunks": [], "seed": "seven"})",
          "wrong type");
}

TEST(Manifest, PartialRunRoundTripsAndStartsAtItsFirstChunk) {
  Manifest m = FullManifest();
  m.partial = ChunkRange{1, 3};
  m.chunks = {{"data-00001.jsonl", 2, 4, 2, 0, 20, "fedcba9876543210"}};
  m.ray = {{"tasks", 3}};
  const Json json = m.ToJson();
  EXPECT_EQ(json.at("partial"), Json::parse(R"({"first_chunk": 1, "end_chunk": 3})"));
  const Result<Manifest> back = Manifest::FromJson(json, "run");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->Dump(), m.Dump());
  EXPECT_EQ(back->start_index(), 2u);
  EXPECT_EQ(back->end_index(), 5u);  // min(count 5, 3 chunks of 2)
  Manifest empty = m;
  empty.chunks.clear();
  EXPECT_EQ(empty.committed_through(), 2u);
  // A partial run whose chunks start elsewhere, or a range outside the run, is refused.
  Json shifted = json;
  shifted["partial"]["first_chunk"] = uint64_t{0};
  const Result<Manifest> unshifted = Manifest::FromJson(shifted, "run");
  ASSERT_FALSE(unshifted.ok());
  EXPECT_NE(unshifted.status().message().find("does not continue"), std::string::npos);
  Json outside = json;
  outside["partial"]["end_chunk"] = uint64_t{4};  // 5 samples in chunks of 2: 3 chunks
  const Result<Manifest> refused = Manifest::FromJson(outside, "run");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("not inside the run's 3 chunks"), std::string::npos);
}

TEST(RunWriter, APartialRunStartsAtItsFirstIndex) {
  TempDir tmp;
  RunWriter writer(tmp.path(), 3, 7, {}, 3);
  EXPECT_FALSE(writer.AddRecord(0, "{}").ok());  // before the range
  for (uint64_t i = 3; i < 7; ++i) ASSERT_TRUE(writer.Skip(i).ok());
  ASSERT_EQ(writer.chunks().size(), 2u);
  EXPECT_EQ(writer.chunks()[0].file, "data-00001.jsonl");
  EXPECT_EQ(writer.chunks()[1].end_index, 7u);
}

// Writes indices [0, 7) in chunks of 3: records at even indices, a failure at 3, a skip at 5.
std::vector<ChunkInfo> WriteSmallRun(const fs::path& dir, Manifest& m) {
  m.chunk_size = 3;
  m.count = 7;
  RunWriter writer(dir, m.chunk_size, m.count);
  for (uint64_t i = 0; i < 7; ++i) {
    Status st;
    if (i == 3) {
      const Failure failure{RecordId(0, i), i, "c", "compile", "E", "m"};
      st = writer.AddFailure(i, failure.ToJson().dump());
    } else if (i == 5) {
      st = writer.Skip(i);
    } else {
      Record r = SampleRecord();
      r.index = i;
      st = writer.AddRecord(i, r.ToJson().dump());
    }
    EXPECT_TRUE(st.ok()) << st.message();
  }
  m.chunks = writer.chunks();
  m.complete = true;
  EXPECT_TRUE(WriteFileAtomic(dir / "manifest.json", m.Dump()).ok());
  return writer.chunks();
}

TEST(RunWriter, ChunksCoverFixedIndexRangesWithTheirChecksums) {
  TempDir tmp;
  Manifest m;
  const std::vector<ChunkInfo> chunks = WriteSmallRun(tmp.path(), m);
  ASSERT_EQ(chunks.size(), 3u);
  const uint64_t expect[3][4] = {{0, 3, 3, 0}, {3, 6, 1, 1}, {6, 7, 1, 0}};
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(chunks[k].file, ChunkName(k));
    EXPECT_EQ(chunks[k].first_index, expect[k][0]);
    EXPECT_EQ(chunks[k].end_index, expect[k][1]);
    EXPECT_EQ(chunks[k].records, expect[k][2]);
    EXPECT_EQ(chunks[k].failures, expect[k][3]);
    const auto hashed = HashFile(tmp.path() / chunks[k].file);
    ASSERT_TRUE(hashed.ok());
    EXPECT_EQ(hashed->first, chunks[k].xxh64);
    EXPECT_EQ(hashed->second, chunks[k].bytes);
    EXPECT_FALSE(fs::exists(tmp.path() / (chunks[k].file + ".tmp")));
  }
  const Failure failure{RecordId(0, 3), 3, "c", "compile", "E", "m"};
  EXPECT_EQ(Read(tmp.path() / "failures.jsonl"), failure.ToJson().dump() + "\n");
}

TEST(RunReader, ReadsBackWhatTheWriterWrote) {
  TempDir tmp;
  Manifest m;
  WriteSmallRun(tmp.path(), m);
  const Result<store::Run> run = OpenRun(tmp.path());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->manifest.Dump(), m.Dump());
  EXPECT_TRUE(run->complete());
  EXPECT_EQ(run->end_index(), 7u);
  std::vector<uint64_t> seen;
  ASSERT_TRUE(ForEachRecord(*run, [&](const RecordLine& r) {
                seen.push_back(r.index);
                EXPECT_EQ(r.json.at("index"), r.index);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1, 2, 4, 6}));
  const auto failures = ReadFailures(*run);
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ(failures->begin()->first, 3u);
}

TEST(RunReader, RefusesTruncatedChunksAndMissingFiles) {
  TempDir tmp;
  Manifest m;
  const std::vector<ChunkInfo> chunks = WriteSmallRun(tmp.path(), m);
  const fs::path chunk = tmp.path() / chunks[0].file;
  const std::string whole = Read(chunk);
  Write(chunk, whole.substr(0, whole.size() - 1));  // the last newline gone
  Result<store::Run> run = OpenRun(tmp.path());
  ASSERT_TRUE(run.ok());
  Status st = ForEachRecord(*run, [](const RecordLine&) { return Status::Ok(); });
  EXPECT_EQ(st.code(), StatusCode::kParseError);
  EXPECT_NE(st.message().find("truncated"), std::string::npos) << st.message();

  Write(chunk, whole.substr(0, whole.find('\n') + 1));  // one record where the manifest says 3
  st = ForEachRecord(*run, [](const RecordLine&) { return Status::Ok(); });
  EXPECT_NE(st.message().find("holds 1 records, manifest.json says 3"), std::string::npos)
      << st.message();

  fs::remove(chunk);
  run = OpenRun(tmp.path());
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("listed in manifest.json but missing"), std::string::npos);
}

TEST(RunReader, ToolsNeverWriteInsideTheirInput) {
  TempDir tmp;
  Manifest m;
  WriteSmallRun(tmp.path(), m);
  const Result<store::Run> run = OpenRun(tmp.path());
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(CheckOutsideRun(*run, tmp.path() / "sub" / "out", "--out").ok());
  EXPECT_FALSE(CheckOutsideRun(*run, tmp.path(), "--out").ok());
  EXPECT_FALSE(PrepareDerivedDir(*run, tmp.path() / "derived").ok());
  EXPECT_TRUE(CheckOutsideRun(*run, tmp.path().string() + "-elsewhere", "--out").ok());
}

TEST(Derive, PartsKeepTheInputsChunkBoundariesAndSayHowTheyWereMade) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in";
  fs::create_directory(in);
  Manifest m;
  WriteSmallRun(in, m);
  const Result<store::Run> run = OpenRun(in);
  ASSERT_TRUE(run.ok());
  std::vector<Part> parts(2);
  for (size_t p = 0; p < 2; ++p) {
    parts[p].dir = tmp.path() / ("part" + std::to_string(p));
    parts[p].failures = p == 0;
    parts[p].derivation = {{"tool", "test"}, {"part", p}};
    ASSERT_TRUE(PrepareDerivedDir(*run, parts[p].dir).ok());
  }
  // Records 0, 1, 2, 4, 6 (in order) go to parts 0, 1, nowhere, 0, 1.
  const std::vector<size_t> part_of_record = {0, 1, kNoPart, 0, 1};
  ASSERT_TRUE(WriteParts(*run, parts, part_of_record).ok());
  std::vector<std::vector<uint64_t>> got(2);
  for (size_t p = 0; p < 2; ++p) {
    const Result<store::Run> out = OpenRun(parts[p].dir);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(out->chunk_size(), 3u);
    EXPECT_EQ(out->end_index(), 7u);
    ASSERT_EQ(out->manifest.derivation.size(), 1u);
    EXPECT_EQ(out->manifest.derivation[0].at("part"), p);
    ASSERT_TRUE(ForEachRecord(*out, [&](const RecordLine& r) {
                  got[p].push_back(r.index);
                  return Status::Ok();
                }).ok());
    EXPECT_EQ(out->manifest.failures.size(), p == 0 ? 1u : 0u);
  }
  EXPECT_EQ(got[0], (std::vector<uint64_t>{0, 4}));
  EXPECT_EQ(got[1], (std::vector<uint64_t>{1, 6}));
}

}  // namespace
}  // namespace jitsynth::store
