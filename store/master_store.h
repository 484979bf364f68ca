#pragma once
// Master data in the store, versioned. Every import that changes something
// makes the next version; each row of products, terminals, distributors and
// reps is kept with the version it took effect in and the version that
// replaced or removed it, so that any version can be read back whole and
// what changed since a version is one query (for a device that holds that
// version). Gateways sharing a store read the same versions.
// Tables are documented in docs/data-formats.md.

#include "store/sql.h"

#include <cstdint>
#include <string>
#include <vector>

#include "core/master_data.h"

namespace fieldflow::store {

// One version as `fieldflow master list` shows it.
struct MasterVersion {
    std::int64_t number = 0;
    std::int64_t imported_at_ms = 0;
    std::string source;  // the folder it was imported from
    std::string by;      // who imported it
    struct Counts {
        std::int64_t added = 0, changed = 0, removed = 0;
    };
    Counts products, terminals, distributors, reps;
};

struct MasterImport {
    std::int64_t version = 0;  // the new version; or the latest, when nothing changed
    bool created = false;      // false: the data equals the latest version
    core::MasterChanges changes;
};

class MasterStore {
  public:
    // `create`: makes the tables when the store has none yet, in a writer's
    // transaction; `existing`, for a reader beside a gateway that made them.
    enum class Tables { create, existing };
    explicit MasterStore(sql::Database& db, Tables tables = Tables::create);

    // The newest version; 0 when nothing was imported yet.
    std::int64_t latest();
    // Version `number` as it was imported.
    core::MasterData load(std::int64_t number);

    // Stores `data` as the next version, with what changed against the
    // latest, in one transaction of its own; nothing when nothing changed.
    MasterImport import(const core::MasterData& data, const std::string& source,
                        const std::string& by, std::int64_t at_ms);

    // Every version, oldest first.
    std::vector<MasterVersion> versions();

  private:
    sql::Database& db_;
};

}  // namespace fieldflow::store
