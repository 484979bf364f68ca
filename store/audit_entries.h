#pragma once
// Reading the audit log (store/audit_log.h) a page at a time, newest first,
// for `fieldflow audit list` and the console's audit page: every query is
// bounded by its limit and walks the log's primary key down from `before`,
// so a log of millions of entries costs a page's worth per request.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.h"
#include "store/sql.h"

namespace fieldflow::store {

struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t at_ms = 0;
    std::string actor, action;
    std::string target;  // the table the entry speaks of (audit_log.cpp's specs)
    std::int64_t row = 0;
    // How many rows from `row` on the entry stands for, a digest each; for
    // dropped fixes, how many records' (each named with the distance kept).
    std::int64_t rows = 0;
    std::string detail;
    std::optional<std::string> subject;  // the key of a Kept table's row
    core::Sha256Digest hash{};
};

// What an operator looks for: a kind's targets (audit_kind_targets), an
// actor, a span of time [from_ms, until_ms), and the entries before an id
// (the last one of the page before). Empty fields do not filter.
struct AuditFilter {
    std::vector<std::string> targets;
    std::string actor;
    std::optional<std::int64_t> from_ms, until_ms;
    std::optional<std::int64_t> before;
    std::size_t limit = 50;
};

// The entries that match, newest first, at most `limit`. Oldest first
// when `oldest_first` (the CLI prints the chain in its order; then
// `before` is read as "after").
std::vector<AuditEntry> audit_entries(sql::Database& db, const AuditFilter& filter,
                                      bool oldest_first = false);

// The kinds an operator filters by are each a set of the log's targets:
// records, operators (accounts and logins), devices (enrolments and
// revocations), books (imports, closes, adjustments), plans, reviews,
// personal_data (each opening of a rep's photo or fix), fixes_dropped.
// A kind's targets; nullopt for a name that is not a kind.
std::optional<std::vector<std::string>> audit_kind_targets(std::string_view kind);
// The kind an entry of `target` belongs to ("" for none).
std::string_view audit_kind_of(std::string_view target);

}  // namespace fieldflow::store
