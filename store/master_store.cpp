#include "store/master_store.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

namespace fieldflow::store {

namespace {

// A row is in force in version V when valid_from <= V and (valid_until is
// null or V < valid_until). Coordinates are kept as the shortest text that
// reads back as the same double, so an unchanged folder compares equal.
constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS master_versions (
  version INTEGER NOT NULL PRIMARY KEY, imported_at_ms INTEGER NOT NULL,
  source TEXT NOT NULL, imported_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS master_changes (
  version INTEGER NOT NULL REFERENCES master_versions(version),
  kind TEXT NOT NULL CHECK (kind IN ('product','terminal','distributor','rep')),
  id TEXT NOT NULL,
  change TEXT NOT NULL CHECK (change IN ('added','changed','removed')),
  PRIMARY KEY (version, kind, id));
CREATE TABLE IF NOT EXISTS master_products (
  product_id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_until INTEGER,
  name TEXT NOT NULL, spec TEXT NOT NULL, unit TEXT NOT NULL, gtin TEXT NOT NULL,
  drug_code_prefix TEXT NOT NULL,
  PRIMARY KEY (product_id, valid_from));
CREATE TABLE IF NOT EXISTS master_terminals (
  terminal_id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_until INTEGER,
  name TEXT NOT NULL, kind TEXT NOT NULL, territory TEXT NOT NULL,
  lat TEXT NOT NULL, lon TEXT NOT NULL, radius_m TEXT NOT NULL, grade TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (terminal_id, valid_from));
CREATE TABLE IF NOT EXISTS master_distributors (
  distributor_id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_until INTEGER,
  name TEXT NOT NULL, tier INTEGER NOT NULL, territories TEXT NOT NULL,
  PRIMARY KEY (distributor_id, valid_from));
CREATE TABLE IF NOT EXISTS master_reps (
  rep_id TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_until INTEGER,
  name TEXT NOT NULL, role TEXT NOT NULL, territory TEXT NOT NULL, device_id TEXT NOT NULL,
  PRIMARY KEY (rep_id, valid_from));
CREATE INDEX IF NOT EXISTS master_products_current ON master_products(valid_until);
CREATE INDEX IF NOT EXISTS master_terminals_current ON master_terminals(valid_until);
CREATE INDEX IF NOT EXISTS master_distributors_current ON master_distributors(valid_until);
CREATE INDEX IF NOT EXISTS master_reps_current ON master_reps(valid_until);
)sql";

constexpr const char* in_force =
    " WHERE valid_from <= ?1 AND (valid_until IS NULL OR ?1 < valid_until)";

std::string number_text(double value) {
    char text[32];
    auto [end, error] = std::to_chars(text, text + sizeof text, value);
    return std::string(text, end);
}

double number_of(std::string_view text, const char* what) {
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw std::runtime_error(std::string("master data in the store: ") + what + " \"" +
                                 std::string(text) + "\" is not a number");
    return value;
}

core::TerminalKind terminal_kind(std::string_view text) {
    for (auto kind :
         {core::TerminalKind::hospital, core::TerminalKind::pharmacy, core::TerminalKind::clinic})
        if (core::name(kind) == text) return kind;
    throw std::runtime_error("master data in the store: unknown terminal kind \"" +
                             std::string(text) + "\"");
}

core::RepRole rep_role(std::string_view text) {
    for (auto role : {core::RepRole::retail, core::RepRole::otc, core::RepRole::commercial})
        if (core::name(role) == text) return role;
    throw std::runtime_error("master data in the store: unknown rep role \"" + std::string(text) +
                             "\"");
}

// Territory ids never hold ';': the CSV splits on it.
std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ";") + item;
    return out;
}

std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> items;
    while (!text.empty()) {
        auto cut = text.find(';');
        items.emplace_back(text.substr(0, cut));
        if (cut == std::string_view::npos) break;
        text.remove_prefix(cut + 1);
    }
    return items;
}

// How one kind of row is kept: its table, its id column and how a row is
// written and read.
struct Kind {
    const char* name;   // in master_changes
    const char* table;  // master_...
    const char* id;     // its id column
};
constexpr Kind products{"product", "master_products", "product_id"};
constexpr Kind terminals{"terminal", "master_terminals", "terminal_id"};
constexpr Kind distributors{"distributor", "master_distributors", "distributor_id"};
constexpr Kind reps{"rep", "master_reps", "rep_id"};

void bind_row(sql::Statement& s, const core::Product& p) {
    s.bind(3, p.name).bind(4, p.spec).bind(5, p.unit).bind(6, p.gtin).bind(7, p.drug_code_prefix);
}
void bind_row(sql::Statement& s, const core::Terminal& t) {
    s.bind(3, t.name)
        .bind(4, std::string(core::name(t.kind)))
        .bind(5, t.territory)
        .bind(6, number_text(t.lat))
        .bind(7, number_text(t.lon))
        .bind(8, number_text(t.radius_m))
        .bind(9, std::string(1, t.grade))
        .bind(10, t.address);
}
void bind_row(sql::Statement& s, const core::Distributor& d) {
    s.bind(3, d.name).bind(4, d.tier).bind(5, joined(d.territories));
}
void bind_row(sql::Statement& s, const core::Rep& r) {
    s.bind(3, r.name)
        .bind(4, std::string(core::name(r.role)))
        .bind(5, r.territory)
        .bind(6, r.device);
}

const char* insert_sql(const Kind& kind) {
    if (&kind == &products)
        return "INSERT INTO master_products (product_id, valid_from, name, spec, unit, gtin, "
               "drug_code_prefix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    if (&kind == &terminals)
        return "INSERT INTO master_terminals (terminal_id, valid_from, name, kind, territory, lat, "
               "lon, radius_m, grade, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    if (&kind == &distributors)
        return "INSERT INTO master_distributors (distributor_id, valid_from, name, tier, "
               "territories) VALUES (?1, ?2, ?3, ?4, ?5)";
    return "INSERT INTO master_reps (rep_id, valid_from, name, role, territory, device_id) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
}

// Writes one kind's changes as version `version`: the rows it replaces or
// removes end there, the rows it adds or changes begin there.
template <typename T>
void write_changes(sql::Database& db, const Kind& kind, const core::MasterChanges::Ids& ids,
                   const std::unordered_map<std::string, T>& rows, std::int64_t version) {
    sql::Statement end(db, std::string("UPDATE ") + kind.table + " SET valid_until = ?2 WHERE " +
                               kind.id + " = ?1 AND valid_until IS NULL");
    sql::Statement insert(db, insert_sql(kind));
    sql::Statement change(db,
                          "INSERT INTO master_changes (version, kind, id, change) "
                          "VALUES (?1, ?2, ?3, ?4)");
    auto note = [&](const std::string& id, const char* what) {
        change.bind(1, version).bind(2, kind.name).bind(3, id).bind(4, what).exec();
    };
    for (const auto* list : {&ids.changed, &ids.removed})
        for (const auto& id : *list) end.bind(1, id).bind(2, version).exec();
    for (const auto* list : {&ids.added, &ids.changed})
        for (const auto& id : *list) {
            insert.bind(1, id).bind(2, version);
            bind_row(insert, rows.at(id));
            insert.exec();
        }
    for (const auto& id : ids.added) note(id, "added");
    for (const auto& id : ids.changed) note(id, "changed");
    for (const auto& id : ids.removed) note(id, "removed");
}

}  // namespace

MasterStore::MasterStore(sql::Database& db, Tables tables) : db_(db) {
    if (tables == Tables::existing) return;
    // In a writer's transaction: two processes creating the tables at once
    // would collide on PostgreSQL.
    sql::Transaction create(db_, sql::TransactionKind::write);
    db_.exec(schema);
    // Stores from before addresses: their terminals' rows read as having
    // none, so the next import that brings addresses counts them changed.
    if (!sql::has_column(db_, "master_terminals", "address"))
        db_.exec("ALTER TABLE master_terminals ADD COLUMN address TEXT NOT NULL DEFAULT ''");
    create.commit();
}

std::int64_t MasterStore::latest() {
    return db_.query_int64("SELECT coalesce(max(version), 0) FROM master_versions");
}

core::MasterData MasterStore::load(std::int64_t number) {
    core::MasterData data;
    {
        sql::Statement q(db_, std::string("SELECT product_id, name, spec, unit, gtin, "
                                          "drug_code_prefix FROM master_products") +
                                  in_force);
        q.bind(1, number);
        while (q.step()) {
            core::Product p{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)};
            data.products.emplace(p.id, std::move(p));
        }
    }
    {
        sql::Statement q(db_, std::string("SELECT terminal_id, name, kind, territory, lat, lon, "
                                          "radius_m, grade, address FROM master_terminals") +
                                  in_force);
        q.bind(1, number);
        while (q.step()) {
            core::Terminal t;
            t.id = q.text(0);
            t.name = q.text(1);
            t.kind = terminal_kind(q.text_view(2));
            t.territory = q.text(3);
            t.lat = number_of(q.text_view(4), "lat");
            t.lon = number_of(q.text_view(5), "lon");
            t.radius_m = number_of(q.text_view(6), "radius_m");
            auto grade = q.text_view(7);
            t.grade = grade.empty() ? 'C' : grade.front();
            t.address = q.text(8);
            data.terminals.emplace(t.id, std::move(t));
        }
    }
    {
        sql::Statement q(db_, std::string("SELECT distributor_id, name, tier, territories "
                                          "FROM master_distributors") +
                                  in_force);
        q.bind(1, number);
        while (q.step()) {
            core::Distributor d;
            d.id = q.text(0);
            d.name = q.text(1);
            d.tier = static_cast<int>(q.int64(2));
            d.territories = split(q.text_view(3));
            data.distributors.emplace(d.id, std::move(d));
        }
    }
    {
        sql::Statement q(db_, std::string("SELECT rep_id, name, role, territory, device_id "
                                          "FROM master_reps") +
                                  in_force);
        q.bind(1, number);
        while (q.step()) {
            core::Rep r;
            r.id = q.text(0);
            r.name = q.text(1);
            r.role = rep_role(q.text_view(2));
            r.territory = q.text(3);
            r.device = q.text(4);
            data.reps.emplace(r.id, std::move(r));
        }
    }
    return data;
}

MasterImport MasterStore::import(const core::MasterData& data, const std::string& source,
                                 const std::string& by, std::int64_t at_ms) {
    // A writer's transaction: two imports at once make two versions, one
    // after the other, each compared with the one before it.
    sql::Transaction transaction(db_, sql::TransactionKind::write);
    MasterImport result;
    std::int64_t before = latest();
    result.changes = core::master_changes(load(before), data);
    if (result.changes.empty()) {
        result.version = before;
        return result;
    }
    result.version = before + 1;
    result.created = true;
    sql::Statement version(db_,
                           "INSERT INTO master_versions (version, imported_at_ms, source, "
                           "imported_by) VALUES (?1, ?2, ?3, ?4)");
    version.bind(1, result.version).bind(2, at_ms).bind(3, source).bind(4, by).exec();
    const auto& c = result.changes;
    write_changes(db_, products, c.products, data.products, result.version);
    write_changes(db_, terminals, c.terminals, data.terminals, result.version);
    write_changes(db_, distributors, c.distributors, data.distributors, result.version);
    write_changes(db_, reps, c.reps, data.reps, result.version);
    transaction.commit();
    return result;
}

std::vector<MasterVersion> MasterStore::versions() {
    sql::Transaction read(db_, sql::TransactionKind::read);
    std::vector<MasterVersion> out;
    sql::Statement q(db_,
                     "SELECT version, imported_at_ms, source, imported_by FROM master_versions "
                     "ORDER BY version");
    while (q.step()) {
        MasterVersion v;
        v.number = q.int64(0);
        v.imported_at_ms = q.int64(1);
        v.source = q.text(2);
        v.by = q.text(3);
        out.push_back(std::move(v));
    }
    sql::Statement counts(db_,
                          "SELECT version, kind, change, count(*) FROM master_changes "
                          "GROUP BY version, kind, change");
    while (counts.step()) {
        std::int64_t number = counts.int64(0);
        auto version =
            std::lower_bound(out.begin(), out.end(), number,
                             [](const MasterVersion& v, std::int64_t n) { return v.number < n; });
        if (version == out.end() || version->number != number) continue;
        auto kind = counts.text_view(1);
        auto& of = kind == "product"       ? version->products
                   : kind == "terminal"    ? version->terminals
                   : kind == "distributor" ? version->distributors
                                           : version->reps;
        auto change = counts.text_view(2);
        (change == "added"     ? of.added
         : change == "changed" ? of.changed
                               : of.removed) = counts.int64(3);
    }
    return out;
}

}  // namespace fieldflow::store
