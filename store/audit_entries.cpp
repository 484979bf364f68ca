#include "store/audit_entries.h"

#include <algorithm>
#include <utility>

namespace fieldflow::store {

namespace {

struct Kind {
    std::string_view name;
    std::vector<std::string_view> targets;
};

const std::vector<Kind>& kinds() {
    static const std::vector<Kind> all{
        {"records", {"records", "quarantine"}},
        {"operators", {"operators"}},
        {"devices", {"device_credentials"}},
        {"books",
         {"book_sources", "book_rows", "period_log", "flow_adjustments", "closed_periods"}},
        {"plans", {"plan_imports"}},
        {"reviews", {"reviews"}},
        {"personal_data", {"personal_data"}},
        {"fixes_dropped", {"fix_redactions", "quarantine_fix_redactions"}},
    };
    return all;
}

}  // namespace

std::optional<std::vector<std::string>> audit_kind_targets(std::string_view kind) {
    for (const auto& k : kinds())
        if (k.name == kind) return std::vector<std::string>(k.targets.begin(), k.targets.end());
    return std::nullopt;
}

std::string_view audit_kind_of(std::string_view target) {
    for (const auto& k : kinds())
        if (std::ranges::find(k.targets, target) != k.targets.end()) return k.name;
    return {};
}

std::vector<AuditEntry> audit_entries(sql::Database& db, const AuditFilter& filter,
                                      bool oldest_first) {
    std::string sql =
        "SELECT id, at_ms, actor, action, target, row, CASE WHEN target IN "
        "('fix_redactions', 'quarantine_fix_redactions') THEN length(content) / 16 "
        "ELSE length(content) / 32 END, detail, subject, hash FROM audit_log WHERE 1 = 1";
    int next = 1;
    std::vector<std::pair<int, std::string>> texts;
    std::vector<std::pair<int, std::int64_t>> numbers;
    auto text = [&](const std::string& value) {
        texts.emplace_back(next, value);
        return "?" + std::to_string(next++);
    };
    auto number = [&](std::int64_t value) {
        numbers.emplace_back(next, value);
        return "?" + std::to_string(next++);
    };
    if (!filter.targets.empty()) {
        sql += " AND target IN (";
        for (std::size_t i = 0; i < filter.targets.size(); ++i)
            sql += (i ? ", " : "") + text(filter.targets[i]);
        sql += ")";
    }
    if (!filter.actor.empty()) sql += " AND actor = " + text(filter.actor);
    if (filter.from_ms) sql += " AND at_ms >= " + number(*filter.from_ms);
    if (filter.until_ms) sql += " AND at_ms < " + number(*filter.until_ms);
    if (filter.before) sql += (oldest_first ? " AND id > " : " AND id < ") + number(*filter.before);
    sql += oldest_first ? " ORDER BY id" : " ORDER BY id DESC";
    sql += " LIMIT " + number(static_cast<std::int64_t>(filter.limit));

    sql::Statement q(db, sql);
    for (const auto& [at, value] : texts) q.bind(at, value);
    for (const auto& [at, value] : numbers) q.bind(at, value);
    std::vector<AuditEntry> out;
    while (q.step()) {
        AuditEntry e;
        e.id = q.int64(0);
        e.at_ms = q.int64(1);
        e.actor = q.text(2);
        e.action = q.text(3);
        e.target = q.text(4);
        e.row = q.int64(5);
        e.rows = q.int64(6);
        e.detail = q.text(7);
        if (!q.is_null(8)) e.subject = q.text(8);
        auto hash = q.blob(9);
        if (hash.size() == e.hash.size())
            std::transform(hash.begin(), hash.end(), e.hash.begin(),
                           [](std::byte b) { return static_cast<unsigned char>(b); });
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace fieldflow::store
