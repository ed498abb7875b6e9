#include "store/manifest.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace jitsynth::store {
namespace fs = std::filesystem;
namespace {

template <typename Map>
Json MapJson(const Map& map) {
  Json j = Json::object();
  for (const auto& [key, value] : map) j[key] = value;
  return j;
}

// Reads the fields of a manifest that are present; a field of the wrong type throws.
class Reader {
 public:
  explicit Reader(const Json& j) : j_(j) {}
  template <typename T>
  void Get(const char* key, T& into) const {
    if (const auto it = j_.find(key); it != j_.end()) into = it->get<T>();
  }
  const Json& Object(const char* key) const {
    static const Json kEmpty = Json::object();
    const auto it = j_.find(key);
    return it != j_.end() && it->is_object() ? *it : kEmpty;
  }

 private:
  const Json& j_;
};

Result<ChunkInfo> ParseChunk(const fs::path& dir, const Json& entry, uint64_t expected_first) {
  ChunkInfo c;
  try {
    c.file = entry.at("file").get<std::string>();
    c.first_index = entry.at("first_index").get<uint64_t>();
    c.end_index = entry.at("end_index").get<uint64_t>();
    c.records = entry.at("records").get<uint64_t>();
    c.failures = entry.at("failures").get<uint64_t>();
    const Reader r(entry);
    r.Get("bytes", c.bytes);
    r.Get("xxh64", c.xxh64);
    r.Get("jsonl_bytes", c.jsonl_bytes);
  } catch (const nlohmann::json::exception& e) {
    return NotARun(dir, fmt::format("a chunk entry of manifest.json is malformed ({})", e.what()));
  }
  // A bare file name: a manifest must not point outside its directory.
  if (c.file.empty() || c.file.find('/') != std::string::npos || c.file == "." || c.file == "..") {
    return NotARun(dir, fmt::format("manifest.json names the chunk file '{}'", c.file));
  }
  if (c.first_index != expected_first || c.end_index <= c.first_index ||
      c.records + c.failures > c.end_index - c.first_index) {
    return NotARun(dir, fmt::format("manifest.json's entry for {} (indices {}..{}, {} records, {} "
                                    "failures) does not continue the chunks before it at {}",
                                    c.file, c.first_index, c.end_index, c.records, c.failures,
                                    expected_first));
  }
  return c;
}

// The fields beyond the format and the chunk list; a field of the wrong type throws.
void ReadFields(const Json& j, Manifest& m) {
  const Reader r(j);
  r.Get("command", m.command);
  r.Get("seed", m.seed);
  r.Get("count", m.count);
  r.Get("workers", m.workers);
  r.Get("policy", m.policy);
  r.Get("levels", m.levels);
  r.Get("gpu_target", m.gpu_target);
  r.Get("complete", m.complete);
  m.provenance = Provenance::FromJson(r.Object("provenance"));
  const Reader counts(r.Object("counts"));
  counts.Get("records", m.records);
  counts.Get("failures", m.failures);
  const Reader timings(r.Object("timings"));
  timings.Get("wall_seconds", m.wall_seconds);
  timings.Get("pairs_per_second", m.pairs_per_second);
  timings.Get("worker_stage_seconds", m.worker_stage_seconds);
  const Reader pool(r.Object("pool"));
  for (auto [key, field] : {std::pair{"requests", &m.pool.requests},
                            {"retries", &m.pool.retries},
                            {"timeouts", &m.pool.timeouts},
                            {"crashes", &m.pool.crashes},
                            {"restarts", &m.pool.restarts},
                            {"recycles", &m.pool.recycles}}) {
    pool.Get(key, *field);
  }
  pool.Get("peak_worker_rss_bytes", m.pool.peak_worker_rss_bytes);
  if (const auto it = j.find("derivation"); it != j.end() && it->is_array()) m.derivation = *it;
  if (const auto it = j.find("ray"); it != j.end() && it->is_object()) m.ray = *it;
}

// "partial": {"first_chunk": A, "end_chunk": B}, A < B, A's first index inside the run.
Status ReadPartial(const Json& j, const fs::path& dir, Manifest& m) {
  const auto it = j.find("partial");
  if (it == j.end()) return Status::Ok();
  const auto count = j.find("count");
  const bool valid = it->is_object() && it->contains("first_chunk") &&
                     it->contains("end_chunk") && (*it)["first_chunk"].is_number_unsigned() &&
                     (*it)["end_chunk"].is_number_unsigned() && count != j.end() &&
                     count->is_number_unsigned();
  if (!valid) return NotARun(dir, "manifest.json's \"partial\" is not {first_chunk, end_chunk}");
  const ChunkRange r{(*it)["first_chunk"].get<uint64_t>(), (*it)["end_chunk"].get<uint64_t>()};
  const uint64_t chunks_in_run = (count->get<uint64_t>() + m.chunk_size - 1) / m.chunk_size;
  if (r.first >= r.end || r.end > chunks_in_run) {
    return NotARun(dir, fmt::format("manifest.json's partial range {}:{} is not inside the run's "
                                    "{} chunks",
                                    r.first, r.end, chunks_in_run));
  }
  m.partial = r;
  return Status::Ok();
}

}  // namespace

Status NotARun(const fs::path& dir, std::string_view problem) {
  return InvalidArgument(
      fmt::format("{}: not a jitsynth output directory: {}", dir.string(), problem));
}

std::string ChunkName(uint64_t chunk, Compression compression) {
  return fmt::format("data-{:05}.jsonl{}", chunk, compression == Compression::kZstd ? ".zst" : "");
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kZstd:
      return "zstd";
  }
  return "none";
}

Result<Compression> ParseCompression(std::string_view text, std::string_view flag) {
  if (text == "none") return Compression::kNone;
  if (text == "zstd") return Compression::kZstd;
  return InvalidArgument(fmt::format("{} must be none or zstd, got '{}'", flag, text));
}

uint64_t Manifest::committed_failures() const {
  uint64_t n = 0;
  for (const ChunkInfo& c : chunks) n += c.failures;
  return n;
}

Json Manifest::ToJson() const {
  Json m = {{"format", format},
            {"command", command},
            {"seed", seed},
            {"count", count},
            {"chunk_size", chunk_size}};
  if (partial) m["partial"] = {{"first_chunk", partial->first}, {"end_chunk", partial->end}};
  m["workers"] = workers;
  m["policy"] = policy;
  m["levels"] = levels;
  m["gpu_target"] = gpu_target;
  m["provenance"] = provenance.ToJson(Provenance::Where::kManifest);
  // Absent for plain chunks: a run without compression keeps the manifest it always had.
  if (compression != Compression::kNone) m["compression"] = CompressionName(compression);
  Json chunk_list = Json::array();
  for (const ChunkInfo& c : chunks) chunk_list.push_back(c.ToJson());
  m["chunks"] = std::move(chunk_list);
  m["committed_through"] = committed_through();
  m["complete"] = complete;
  m["counts"] = {{"records", records}, {"failures", MapJson(failures)}};
  m["timings"] = {{"wall_seconds", wall_seconds},
                  {"pairs_per_second", pairs_per_second},
                  {"worker_stage_seconds", MapJson(worker_stage_seconds)}};
  m["pool"] = pool.ToJson();
  if (!ray.is_null()) m["ray"] = ray;
  if (!derivation.empty()) m["derivation"] = derivation;
  return m;
}

std::string Manifest::Dump() const { return ToJson().dump(2) + "\n"; }

Result<Manifest> Manifest::FromJson(const Json& j, const fs::path& dir) {
  if (!j.is_object()) return NotARun(dir, "manifest.json is corrupt: not a JSON object");
  Manifest m;
  m.format = j.value("format", "");
  if (m.format != kRunFormat) {
    return NotARun(
        dir, fmt::format("manifest.json has format '{}', expected '{}'", m.format, kRunFormat));
  }
  const auto chunk_size = j.find("chunk_size");
  const auto chunks = j.find("chunks");
  if (chunk_size == j.end() || !chunk_size->is_number_unsigned() ||
      chunk_size->get<uint64_t>() == 0 || chunks == j.end() || !chunks->is_array()) {
    return NotARun(dir, "manifest.json lacks a positive chunk_size or a chunks list");
  }
  m.chunk_size = chunk_size->get<uint64_t>();
  if (const auto it = j.find("compression"); it != j.end()) {
    auto compression =
        it->is_string() ? ParseCompression(it->get<std::string>(), "compression")
                        : Result<Compression>(InvalidArgument("compression is not a string"));
    if (!compression.ok()) {
      return NotARun(dir, fmt::format("manifest.json: {} (this jitsynth reads none and zstd)",
                                      compression.status().message()));
    }
    m.compression = *compression;
  }
  const bool zstd = m.compression == Compression::kZstd;
  RETURN_IF_ERROR(ReadPartial(j, dir, m));
  for (const Json& entry : *chunks) {
    ASSIGN_OR_RETURN(ChunkInfo c, ParseChunk(dir, entry, m.committed_through()));
    // The name says how a chunk is stored; a reader that trusted the wrong one would report a
    // corrupt chunk instead of a contradictory manifest.
    if (std::string_view(c.file).ends_with(".zst") != zstd) {
      return NotARun(dir, fmt::format("manifest.json names the chunk file '{}', but its "
                                      "compression is {}",
                                      c.file, CompressionName(m.compression)));
    }
    m.chunks.push_back(std::move(c));
  }
  try {
    ReadFields(j, m);
  } catch (const nlohmann::json::exception& e) {
    return NotARun(dir, fmt::format("a field of manifest.json has the wrong type ({})", e.what()));
  }
  return m;
}

Result<Manifest> Manifest::Read(const fs::path& dir) {
  const fs::path path = dir / "manifest.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotARun(dir, "it has no readable manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  const Json j = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return NotARun(dir, "manifest.json is corrupt: not JSON");
  return FromJson(j, dir);
}

}  // namespace jitsynth::store
