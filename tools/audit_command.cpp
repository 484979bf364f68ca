// `fieldflow audit verify --db DB`: walks the hash-chained audit log and
// checks that every row it vouches for is still as it was written; names the
// first entry that does not hold; with --head ENTRY:HASH, also that the
// chain still holds a head recorded earlier. `fieldflow audit list` prints
// the log, `fieldflow audit head` its last entry as ENTRY:HASH.

#include <iostream>

#include "core/digest.h"
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
        store::sql::Statement q(
            store.db(),
            "SELECT id, at_ms, actor, action, target, row, CASE WHEN target IN "
            "('fix_redactions', 'quarantine_fix_redactions') THEN length(content) / 16 "
            "ELSE length(content) / 32 END, detail, hash "
            "FROM audit_log ORDER BY id");
        // `rows`: how many rows from `row` on the entry stands for, a digest
        // each; for dropped fixes, how many records' (each named with the
        // distance kept). The last entry's hash, kept elsewhere, vouches for
        // the chain.
        std::cout << "entry,at,actor,action,target,row,rows,detail,hash\n";
        while (q.step())
            std::cout << q.int64(0) << ',' << iso8601_utc(q.int64(1)) << ',' << csv_field(q.text(2))
                      << ',' << csv_field(q.text(3)) << ',' << q.text(4) << ',' << q.int64(5) << ','
                      << q.int64(6) << ',' << csv_field(q.text(7)) << ',' << core::hex(q.blob(8))
                      << '\n';
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
