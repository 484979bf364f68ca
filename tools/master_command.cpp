// `fieldflow master import DIR --db DB` and `fieldflow master list --db DB`:
// the master data in the store, versioned. An import reads the four CSV
// files as the gateway does and stores them as the next version, with what
// changed per row; a folder with a bad row imports nothing, and a folder
// equal to the latest version makes none. Running gateways take up a new
// version within seconds (docs/operations.md).

#include <filesystem>
#include <iostream>

#include "core/clock.h"
#include "store/master_store.h"
#include "tools/bad_rows.h"
#include "tools/commands.h"
#include "tools/csv_output.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

namespace {

void print_counts(const char* kind, const core::MasterChanges::Ids& ids, bool last) {
    std::cout << kind << ' ' << ids.added.size() << " added, " << ids.changed.size() << " changed, "
              << ids.removed.size() << " removed" << (last ? "\n" : "; ");
}

int import_master(const MasterOptions& o) {
    if (!std::filesystem::is_directory(o.dir)) {
        std::cerr << "fieldflow master import: no master data folder at " << o.dir << '\n';
        return 1;
    }
    auto load = core::load_master_data(
        o.dir, o.encoding == "gbk" ? core::MasterEncoding::gbk : core::MasterEncoding::utf8);
    if (!load.errors.empty()) {
        auto language = language_from_environment();
        print_bad_rows(std::cerr, load.errors, language);
        print_nothing_imported(std::cerr, "master import", load.errors.size(), language);
        return 1;
    }
    // A gateway cannot judge a record against master data without them.
    for (auto [empty, file] : {std::pair{load.data.terminals.empty(), "terminals.csv"},
                               {load.data.reps.empty(), "reps.csv"}})
        if (empty) {
            std::cerr << "fieldflow master import: "
                      << (std::filesystem::path(o.dir) / file).string()
                      << " has no rows; nothing imported\n";
            return 1;
        }
    auto source = std::filesystem::absolute(o.dir).lexically_normal().string();
    auto db = store::sql::Database::open(o.db);
    store::MasterStore master(*db);
    auto imported = master.import(load.data, source, operator_name(o.by), core::unix_now_ms());
    if (!imported.created) {
        std::cout << o.dir << ": the same as version " << imported.version << "; no new version\n";
        return 0;
    }
    const auto& c = imported.changes;
    std::cout << "version " << imported.version << " from " << o.dir << ": ";
    print_counts("products", c.products, false);
    print_counts("terminals", c.terminals, false);
    print_counts("distributors", c.distributors, false);
    print_counts("reps", c.reps, true);
    return 0;
}

int list_master(const MasterOptions& o) {
    if (!existing_store("master list", o.db)) return 1;
    auto db = store::sql::Database::open(o.db);
    store::MasterStore master(*db);
    std::cout << "version,imported_at,source,by";
    for (const char* kind : {"products", "terminals", "distributors", "reps"})
        std::cout << ',' << kind << "_added," << kind << "_changed," << kind << "_removed";
    std::cout << '\n';
    for (const auto& v : master.versions()) {
        std::cout << v.number << ',' << iso8601_utc(v.imported_at_ms) << ',' << csv_field(v.source)
                  << ',' << csv_field(v.by);
        for (const auto* counts : {&v.products, &v.terminals, &v.distributors, &v.reps})
            std::cout << ',' << counts->added << ',' << counts->changed << ',' << counts->removed;
        std::cout << '\n';
    }
    return 0;
}

}  // namespace

int master_command(const MasterOptions& o) {
    try {
        return o.action == "import" ? import_master(o) : list_master(o);
    } catch (const std::exception& e) {
        std::cerr << "fieldflow master " << o.action << ": " << e.what() << '\n';
        return 1;
    }
}

}  // namespace fieldflow::tools
