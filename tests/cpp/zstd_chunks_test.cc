// Compressed chunks (--compress zstd): the writer's frames, the reader's streaming decompression,
// the manifest's record of the compression, derived runs that keep or change it, and the reader
// fed corrupt, truncated and random bytes (a bounded fuzz loop here; fuzz/fuzz_zstd_lines.cc is
// the libFuzzer target over the same check, fuzz/store_properties.h).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "store/derive.h"
#include "store/files.h"
#include "store/manifest.h"
#include "store/run_reader.h"
#include "store/writer.h"
#include "temp_dir.h"
#include "store/zstd_lines.h"
#include "store_properties.h"

namespace jitsynth::store {
namespace {

namespace fs = std::filesystem;

using test::Read;
using test::TempDir;
using test::Write;

// A record line of `size` bytes or so, compressible like IR text.
std::string Line(uint64_t index, size_t size = 300) {
  std::string text;
  while (text.size() < size) text += "%v" + std::to_string(text.size() % 97) + " = fadd float; ";
  return nlohmann::json{{"index", index}, {"text", text}}.dump();
}

// Indices [0, 7) in chunks of 3, compressed as asked: records except a failure at 3, a skip at 5.
// The lines of index 4 are long enough to span several of zstd's output blocks.
Manifest WriteRun(const fs::path& dir, Compression compression) {
  fs::create_directories(dir);
  Manifest m;
  m.chunk_size = 3;
  m.count = 7;
  m.compression = compression;
  RunWriter writer(dir, m.chunk_size, m.count, {}, 0, compression);
  for (uint64_t i = 0; i < 7; ++i) {
    Status st = i == 3   ? writer.AddFailure(i, nlohmann::json{{"index", i}}.dump())
                : i == 5 ? writer.Skip(i)
                         : writer.AddRecord(i, Line(i, i == 4 ? 400000 : 300));
    EXPECT_TRUE(st.ok()) << st.message();
  }
  m.chunks = writer.chunks();
  m.complete = true;
  EXPECT_TRUE(WriteFileAtomic(dir / "manifest.json", m.Dump()).ok());
  return m;
}

std::vector<std::string> ReadLines(const Run& run, Status* status = nullptr) {
  std::vector<std::string> lines;
  const Status st = ForEachRecord(run, [&](const RecordLine& r) {
    lines.emplace_back(r.line);
    return Status::Ok();
  });
  if (status != nullptr) *status = st;
  return lines;
}

TEST(ZstdChunks, HoldTheSameLinesAsPlainChunksInOneFramePerChunk) {
  TempDir tmp;
  const Manifest plain = WriteRun(tmp.path() / "plain", Compression::kNone);
  const Manifest zstd = WriteRun(tmp.path() / "zstd", Compression::kZstd);
  ASSERT_EQ(zstd.chunks.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    const ChunkInfo& c = zstd.chunks[k];
    EXPECT_EQ(c.file, ChunkName(k, Compression::kZstd));
    EXPECT_TRUE(c.file.ends_with(".jsonl.zst"));
    // bytes and xxh64 are of the file as stored; jsonl_bytes of what it holds.
    const auto hashed = HashFile(tmp.path() / "zstd" / c.file);
    ASSERT_TRUE(hashed.ok());
    EXPECT_EQ(hashed->first, c.xxh64);
    EXPECT_EQ(hashed->second, c.bytes);
    const std::string compressed = Read(tmp.path() / "zstd" / c.file);
    const std::string jsonl = Read(tmp.path() / "plain" / plain.chunks[k].file);
    EXPECT_EQ(c.jsonl_bytes, jsonl.size());
    EXPECT_EQ(plain.chunks[k].jsonl_bytes, 0u);
    // One frame, whose declared size may be unknown (streamed) but whose content is the JSONL.
    EXPECT_EQ(ZSTD_findFrameCompressedSize(compressed.data(), compressed.size()),
              compressed.size());
    std::string out(jsonl.size() + 1, '\0');
    const size_t n = ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
    ASSERT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
    EXPECT_EQ(out.substr(0, n), jsonl);
  }
  EXPECT_LT(zstd.chunks[1].bytes * 20, zstd.chunks[1].jsonl_bytes);  // IR-like text compresses
  const Result<store::Run> a = OpenRun(tmp.path() / "plain");
  const Result<store::Run> b = OpenRun(tmp.path() / "zstd");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->manifest.compression, Compression::kZstd);
  EXPECT_EQ(ReadLines(*a), ReadLines(*b));
  EXPECT_EQ(ReadLines(*b).size(), 5u);
}

TEST(ZstdChunks, ThePlainManifestIsUnchangedAndTheCompressedOneSaysSo) {
  TempDir tmp;
  const Manifest plain = WriteRun(tmp.path() / "plain", Compression::kNone);
  const Manifest zstd = WriteRun(tmp.path() / "zstd", Compression::kZstd);
  EXPECT_FALSE(plain.ToJson().contains("compression"));
  EXPECT_FALSE(plain.ToJson()["chunks"][0].contains("jsonl_bytes"));
  EXPECT_EQ(zstd.ToJson()["compression"], "zstd");
  const Result<Manifest> back = Manifest::FromJson(zstd.ToJson(), tmp.path());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Dump(), zstd.Dump());
  // A manifest whose chunk names contradict its compression, or an unknown compression.
  Json wrong = zstd.ToJson();
  wrong.erase("compression");
  EXPECT_NE(Manifest::FromJson(wrong, tmp.path()).status().message().find("compression is none"),
            std::string::npos);
  wrong["compression"] = "brotli";
  EXPECT_NE(Manifest::FromJson(wrong, tmp.path()).status().message().find("none or zstd"),
            std::string::npos);
}

TEST(ZstdChunks, CorruptOrTruncatedChunksAreParseErrorsNamingTheFile) {
  TempDir tmp;
  const Manifest m = WriteRun(tmp.path(), Compression::kZstd);
  const fs::path chunk = tmp.path() / m.chunks[1].file;
  const std::string whole = Read(chunk);
  auto read_error = [&](const std::string& bytes) {
    Write(chunk, bytes);
    const Result<store::Run> run = OpenRun(tmp.path());
    EXPECT_TRUE(run.ok());
    Status st;
    ReadLines(*run, &st);
    EXPECT_EQ(st.code(), StatusCode::kParseError) << st.message();
    EXPECT_NE(st.message().find(chunk.string()), std::string::npos) << st.message();
    return st.message();
  };
  EXPECT_NE(read_error(whole.substr(0, whole.size() / 2)).find("ends early"), std::string::npos);
  EXPECT_NE(read_error("").find("empty"), std::string::npos);
  EXPECT_NE(read_error("not zstd at all\n").find("corrupt"), std::string::npos);
  std::string flipped = whole;
  flipped[flipped.size() - 2] ^= 0x40;  // the content checksum, or the data before it
  EXPECT_NE(read_error(flipped).find("corrupt or truncated zstd chunk"), std::string::npos);
  // A frame that holds a line without its newline: a truncated chunk, as in plain files.
  std::string jsonl = Line(3) + "\n" + Line(4);
  std::string frame(ZSTD_compressBound(jsonl.size()), '\0');
  frame.resize(ZSTD_compress(frame.data(), frame.size(), jsonl.data(), jsonl.size(), 3));
  EXPECT_NE(read_error(frame).find("no newline"), std::string::npos);
}

TEST(ZstdChunks, DerivedRunsKeepTheInputsCompressionOrTakeTheirOwn) {
  TempDir tmp;
  WriteRun(tmp.path() / "in", Compression::kZstd);
  const Result<store::Run> run = OpenRun(tmp.path() / "in");
  ASSERT_TRUE(run.ok());
  std::vector<Part> parts(2);
  for (size_t p = 0; p < 2; ++p) {
    parts[p].dir = tmp.path() / ("part" + std::to_string(p));
    parts[p].derivation = {{"tool", "test"}};
    ASSERT_TRUE(PrepareDerivedDir(*run, parts[p].dir).ok());
  }
  parts[1].compression = Compression::kNone;
  ASSERT_TRUE(WriteParts(*run, parts, std::vector<size_t>{0, 1, 0, 1, 0}).ok());
  const Result<store::Run> kept = OpenRun(parts[0].dir);
  const Result<store::Run> plain = OpenRun(parts[1].dir);
  ASSERT_TRUE(kept.ok() && plain.ok());
  EXPECT_EQ(kept->manifest.compression, Compression::kZstd);
  EXPECT_TRUE(fs::exists(parts[0].dir / "data-00000.jsonl.zst"));
  EXPECT_EQ(plain->manifest.compression, Compression::kNone);
  EXPECT_TRUE(fs::exists(parts[1].dir / "data-00000.jsonl"));
  EXPECT_EQ(ReadLines(*kept).size() + ReadLines(*plain).size(), 5u);
}

TEST(ZstdLines, FeedingInPiecesGivesTheSameLines) {
  std::string jsonl;
  for (uint64_t i = 0; i < 50; ++i) jsonl += Line(i, 1000 + 997 * i) + "\n";
  std::string frame(ZSTD_compressBound(jsonl.size()), '\0');
  frame.resize(ZSTD_compress(frame.data(), frame.size(), jsonl.data(), jsonl.size(), 3));
  for (const size_t piece : {size_t{1}, size_t{7}, size_t{4096}, frame.size()}) {
    std::string joined;
    ZstdLines lines("mem", [&](size_t, std::string_view line) {
      joined += std::string(line) + "\n";
      return Status::Ok();
    });
    for (size_t at = 0; at < frame.size(); at += piece) {
      ASSERT_TRUE(lines.Feed(std::string_view(frame).substr(at, piece)).ok());
    }
    ASSERT_TRUE(lines.Finish().ok());
    EXPECT_EQ(joined, jsonl) << "pieces of " << piece;
  }
}

// The bounded fuzz loop: mutations of a valid frame (bit flips, cuts, splices, random bytes)
// never crash the reader, which answers Ok or a kParseError (fuzz/store_properties.h).
TEST(ZstdLines, SurvivesMutatedFrames) {
  std::string jsonl;
  for (uint64_t i = 0; i < 20; ++i) jsonl += Line(i, 200 + 50 * i) + "\n";
  std::string frame(ZSTD_compressBound(jsonl.size()), '\0');
  frame.resize(ZSTD_compress(frame.data(), frame.size(), jsonl.data(), jsonl.size(), 3));
  EXPECT_EQ(fuzz::CheckZstdLines(frame), "");
  std::mt19937_64 rng(12);
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string data = frame;
    switch (rng() % 4) {
      case 0:
        for (int flips = 1 + rng() % 4; flips > 0; --flips) data[rng() % data.size()] ^= 1 << (rng() % 8);
        break;
      case 1:
        data.resize(rng() % data.size());
        break;
      case 2:
        data.insert(rng() % data.size(), frame.substr(rng() % frame.size(), rng() % 64));
        break;
      default:
        for (char& c : data) c = static_cast<char>(rng());
        data.resize(rng() % 512);
    }
    ASSERT_EQ(fuzz::CheckZstdLines(data), "") << "iteration " << iteration;
  }
}

}  // namespace
}  // namespace jitsynth::store
