#pragma once
// The end of personal data's retention: check-ins' exact fixes and the
// photos from the stores, each kept a set number of days after capture
// (the gateway's --location-retention-days and --photo-retention-days).
// Each run is one writer's transaction with its audit entry; the records
// themselves, their verdicts and their entries stay as they were, and
// `fieldflow audit verify` still holds (store/fix_seal.h says how).

#include "store/audit_log.h"
#include "store/sql.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <span>

namespace fieldflow::store {

class Retention {
  public:
    // Runs against the store's tables, which exist already (a gateway's
    // store opened before).
    explicit Retention(sql::Database& db);

    // A check-in's distance from its terminal in whole metres, read from
    // its envelope before the fix goes; nullopt when its terminal is not
    // known.
    using DistanceOf = std::function<std::optional<std::int64_t>(std::span<const std::byte> raw)>;

    // Drops the fixes of check-ins captured before `captured_before_ms`,
    // oldest first, each replaced by its distance: at most `most` records
    // and `most` quarantined ones (rejected check-ins keep their fix too).
    // Returns how many; the caller repeats until none are left.
    std::size_t drop_fixes(std::int64_t captured_before_ms, const DistanceOf& distance_of,
                           std::size_t most, const std::string& why);

    // Deletes at most `most` photos whose every record was captured before
    // `captured_before_ms`, and pieces of photos never finished that
    // arrived before it. Returns how many photos.
    std::size_t drop_photos(std::int64_t captured_before_ms, std::size_t most,
                            const std::string& why);

    // After a run that dropped something: on SQLite, the write-ahead log
    // still holds the pages as they were before, until it is written over;
    // this checkpoints it and truncates it to nothing.
    void erase_old_copies();

  private:
    std::size_t drop_fixes_in(Audited audited, const std::string& table,
                              std::int64_t captured_before_ms, const DistanceOf& distance_of,
                              std::size_t most, const std::string& why);

    sql::Database& db_;
    AuditLog audit_;
};

}  // namespace fieldflow::store
