#pragma once
// Photos from the field, stored once each by their SHA-256: the whole ones
// (`photos`, a blob or bytea), the chunks of one still arriving
// (`photo_chunks`, kept durably so that a dropped connection resumes where
// it stopped), and which record sent which photo (`photo_uses`, for
// `photo_reused`). Tables are documented in docs/data-formats.md.

#include "store/sql.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace fieldflow::store {

struct StoredPhoto {
    std::string content_type;  // image/jpeg or image/png
    std::vector<std::byte> bytes;
};

class PhotoStore {
  public:
    // `create`: makes the tables when the store has none yet, in a writer's
    // transaction; `existing`, for a gateway's own parts once its store
    // opened (store/gateway_store.h makes them), which then write nothing
    // as they start.
    enum class Tables { create, existing };
    explicit PhotoStore(sql::Database& db, Tables tables = Tables::create);

    // Calls below run in the caller's transaction.

    bool has(const std::string& sha256);
    std::optional<StoredPhoto> photo(const std::string& sha256);

    // Bytes held of the unfinished photo `sha256` announced as
    // `total_bytes`; chunks kept under another total are dropped (the
    // sender changed its mind about the photo), and 0 returned.
    std::uint64_t held(const std::string& sha256, std::uint64_t total_bytes);
    void add_chunk(const std::string& sha256, std::uint64_t offset,
                   std::span<const std::byte> bytes, std::uint64_t total_bytes,
                   const std::string& device, std::int64_t at_ms);
    // The chunks held, in order, as one photo.
    std::vector<std::byte> assembled(const std::string& sha256);
    void drop_chunks(const std::string& sha256);
    // Stores a whole photo; a second copy of the same hash is not kept.
    void put(const std::string& sha256, const std::string& content_type,
             std::span<const std::byte> bytes, const std::string& device, std::int64_t at_ms);

    // A record that sent a photo, as `photo_uses` keeps it.
    struct Use {
        std::string device;
        std::uint64_t seq = 0;
        std::string terminal;
        std::int64_t captured_at_ms = 0;
    };
    // The uses held of each of `sha256s` (an empty list: none), found
    // together: a batch's photos in one query.
    using Uses = std::unordered_map<std::string, std::vector<Use>>;
    Uses uses_of(const std::vector<std::string>& sha256s);
    // The earliest of `uses` by another record than (`device`, `seq`), as
    // an operator reads it ("record 3 of device dev-001 at terminal T1,
    // captured 2026-12-03 09:12 UTC"); nothing when there is none.
    static std::optional<std::string> earlier_use(const std::vector<Use>& uses,
                                                  const std::string& device, std::uint64_t seq);
    void note_use(const std::string& sha256, const Use& use);

  private:
    sql::Database& db_;
};

}  // namespace fieldflow::store
