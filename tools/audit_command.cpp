// `fieldflow audit verify --db DB`: walks the hash-chained audit log and
// checks that every row it vouches for is still as it was written; names the
// first entry that does not hold; with --head ENTRY:HASH, also that the
// chain still holds a head recorded earlier. `fieldflow audit list` prints
// the log, `fieldflow audit head` its last entry as ENTRY:HASH.

#include <iostream>

#include "core/digest.h"
#include "store/audit_entries.h"
#include "store/gateway_store.h"
#include "tools/commands.h"
#include "tools/csv_output.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

int audit_command(const AuditOptions& o) {
    std::string command = "audit " + o.action;
    if (!existing_store(command.c_str(), o.db)) return 1;
    store::GatewayStore store(o.db);
    if (o.action == "list") {
        // `rows`: how many rows from `row` on the entry stands for, a digest
        // each; for dropped fixes, how many records' (each named with the
        // distance kept). The last entry's hash, kept elsewhere, vouches for
        // the chain. Read a page at a time: the log can be millions long.
        std::cout << "entry,at,actor,action,target,row,rows,detail,hash\n";
        store::AuditFilter page;
        page.limit = 1000;
        for (;;) {
            auto entries = store::audit_entries(store.db(), page, true);
            for (const auto& e : entries)
                std::cout << e.id << ',' << iso8601_utc(e.at_ms) << ',' << csv_field(e.actor) << ','
                          << csv_field(e.action) << ',' << e.target << ',' << e.row << ',' << e.rows
                          << ',' << csv_field(e.detail) << ',' << core::hex(e.hash) << '\n';
            if (entries.size() < page.limit) break;
            page.before = entries.back().id;
        }
        return 0;
    }
    if (o.action == "head") {
        auto head = store.audit().head();
        if (!head) {
            std::cerr << "fieldflow audit head: the audit log of " << store::sql::shown(o.db)
                      << " has no entries yet\n";
            return 1;
        }
        std::cout << store::format_head(*head) << '\n';
        return 0;
    }
    auto report = store.audit().verify(o.head);
    if (report.problem) {
        std::cout << "audit log broken at entry " << report.problem->entry << ": "
                  << report.problem->what << '\n';
        return 1;
    }
    std::cout << "audit log intact: " << report.entries << " entries, every row as written";
    if (o.head) std::cout << ", entry " << o.head->entry << " is the recorded head";
    std::cout << '\n';
    return 0;
}

}  // namespace fieldflow::tools
