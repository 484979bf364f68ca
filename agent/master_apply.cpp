#include "agent/master_apply.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <capnp/serialize.h>

#include <stdexcept>

#include "core/geo.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::agent {

namespace {

// A part inflates to far less: 2,000 terminals take about 300 KiB.
constexpr std::size_t max_part_bytes = 64u << 20;
constexpr std::uint32_t max_parts = 10'000;

capnp::ReaderOptions part_reader_options() {
    wire::ReadLimits limits;
    limits.max_frame_bytes = max_part_bytes;
    return limits.reader_options();
}

KnownTerminal terminal_row(SQLite::Statement& q, double lat, double lon) {
    KnownTerminal t{q.getColumn(0).getString(), q.getColumn(1).getString(),
                    q.getColumn(2).getDouble(), q.getColumn(3).getDouble(),
                    q.getColumn(4).getDouble()};
    t.distance_m = core::distance_m(lat, lon, t.lat, t.lon);
    return t;
}

std::string joined(capnp::List<capnp::Text>::Reader items) {
    std::string out;
    for (auto item : items) out += (out.empty() ? "" : ";") + std::string(item.cStr());
    return out;
}

void remove(SQLite::Database& db, const char* table, const char* column,
            capnp::List<capnp::Text>::Reader ids, std::uint64_t& removed) {
    SQLite::Statement q(db, std::string("DELETE FROM ") + table + " WHERE " + column + " = ?1");
    for (auto id : ids) {
        q.bind(1, id.cStr());
        removed += static_cast<std::uint64_t>(q.exec());
        q.reset();
    }
}

}  // namespace

std::uint64_t master_version(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT version FROM master_held WHERE id = 1");
    return q.executeStep() ? static_cast<std::uint64_t>(q.getColumn(0).getInt64()) : 0;
}

std::uint64_t terminals_known(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT count(*) FROM master_terminals");
    q.executeStep();
    return static_cast<std::uint64_t>(q.getColumn(0).getInt64());
}

std::string rep_role(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT role FROM rep_held WHERE id = 1");
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

std::uint64_t master_version_to_ask(SQLite::Database& db) {
    auto held = master_version(db);
    if (held == 0) return 0;
    SQLite::Statement told(db, "SELECT 1 FROM rep_held WHERE id = 1");
    return told.executeStep() ? held : 0;
}

std::optional<KnownTerminal> nearest_terminal(SQLite::Database& db, double lat, double lon) {
    // A rep's slice is a few thousand terminals at most: measuring to each
    // takes well under a millisecond.
    SQLite::Statement q(db, "SELECT terminal, name, lat, lon, radius_m FROM master_terminals");
    std::optional<KnownTerminal> nearest;
    while (q.executeStep()) {
        auto t = terminal_row(q, lat, lon);
        if (!nearest || t.distance_m < nearest->distance_m ||
            (t.distance_m == nearest->distance_m && t.id < nearest->id))
            nearest = std::move(t);
    }
    return nearest;
}

std::optional<KnownTerminal> known_terminal(SQLite::Database& db, const std::string& id, double lat,
                                            double lon) {
    SQLite::Statement q(db,
                        "SELECT terminal, name, lat, lon, radius_m FROM master_terminals "
                        "WHERE terminal = ?1");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return terminal_row(q, lat, lon);
}

void DownlinkParts::take(capnp::Data::Reader deflated) {
    auto inflated = wire::inflate_bytes(deflated, max_part_bytes);
    if (!inflated.error.empty())
        throw std::runtime_error("a downlink part that does not inflate: " + inflated.error);
    capnp::FlatArrayMessageReader reader(inflated.words, part_reader_options());
    auto downlink = reader.getRoot<wire::Downlink>();
    auto expected = static_cast<std::uint32_t>(words_.size()) + 1;
    if (downlink.getPart() != expected || downlink.getParts() == 0 ||
        downlink.getParts() > max_parts || (parts_ != 0 && downlink.getParts() != parts_))
        throw std::runtime_error("downlink part " + std::to_string(downlink.getPart()) + " of " +
                                 std::to_string(downlink.getParts()) + " where part " +
                                 std::to_string(expected) + " was expected");
    parts_ = downlink.getParts();
    words_.push_back(std::move(inflated.words));
}

DownlinkParts::Applied DownlinkParts::apply(SQLite::Database& db) const {
    if (!complete()) throw std::runtime_error("the downlink is not complete");
    Applied applied;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    auto held = master_version(db);
    SQLite::Statement terminal(
        db,
        "INSERT OR REPLACE INTO master_terminals (terminal, name, address, kind, territory, lat, "
        "lon, radius_m, grade) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    SQLite::Statement product(db,
                              "INSERT OR REPLACE INTO master_products (product, name, gtin, "
                              "drug_code_prefix, spec, unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    SQLite::Statement distributor(db,
                                  "INSERT OR REPLACE INTO master_distributors (distributor, name, "
                                  "tier, territories) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& words : words_) {
        capnp::FlatArrayMessageReader reader(words, part_reader_options());
        auto downlink = reader.getRoot<wire::Downlink>();
        if (downlink.hasPlan()) applied.plan = apply_plan(db, downlink.getPlan());
        if (!downlink.hasMaster()) continue;
        auto delta = downlink.getMaster();
        if (!applied.changed) {
            applied.changed = true;
            applied.from = delta.getFromVersion();
            applied.to = delta.getToVersion();
            applied.rep_role = delta.getRepRole();
            if (delta.getReplace()) {
                db.exec("DELETE FROM master_terminals");
                db.exec("DELETE FROM master_products");
                db.exec("DELETE FROM master_distributors");
            } else if (delta.getFromVersion() != held) {
                throw std::runtime_error(
                    "a master-data delta from version " + std::to_string(delta.getFromVersion()) +
                    " for a handheld that holds version " + std::to_string(held));
            }
        } else if (delta.getFromVersion() != applied.from || delta.getToVersion() != applied.to) {
            throw std::runtime_error("the parts of one downlink name different versions");
        }
        for (auto t : delta.getTerminals()) {
            terminal.bind(1, t.getId().cStr());
            terminal.bind(2, t.getName().cStr());
            terminal.bind(3, t.getAddress().cStr());
            terminal.bind(4, t.getKind().cStr());
            terminal.bind(5, t.getTerritory().cStr());
            terminal.bind(6, t.getLat());
            terminal.bind(7, t.getLon());
            terminal.bind(8, t.getRadiusM());
            terminal.bind(9, t.getGrade().cStr());
            terminal.exec();
            terminal.reset();
            ++applied.terminals;
        }
        for (auto p : delta.getProducts()) {
            product.bind(1, p.getId().cStr());
            product.bind(2, p.getName().cStr());
            // The catalogue matches one GTIN a product, as products.csv has.
            product.bind(3, p.getGtins().size() > 0 ? p.getGtins()[0].cStr() : "");
            product.bind(4, p.getDrugCodePrefix().cStr());
            product.bind(5, p.getSpec().cStr());
            product.bind(6, p.getUnit().cStr());
            product.exec();
            product.reset();
            ++applied.products;
        }
        for (auto d : delta.getDistributors()) {
            distributor.bind(1, d.getId().cStr());
            distributor.bind(2, d.getName().cStr());
            distributor.bind(3, d.getTier());
            distributor.bind(4, joined(d.getTerritories()));
            distributor.exec();
            distributor.reset();
            ++applied.distributors;
        }
        remove(db, "master_terminals", "terminal", delta.getRemovedTerminals(), applied.removed);
        remove(db, "master_products", "product", delta.getRemovedProducts(), applied.removed);
        remove(db, "master_distributors", "distributor", delta.getRemovedDistributors(),
               applied.removed);
    }
    if (!applied.changed && !applied.plan) return applied;
    if (applied.changed) {
        SQLite::Statement version(
            db, "INSERT OR REPLACE INTO master_held (id, version) VALUES (1, ?1)");
        version.bind(1, static_cast<std::int64_t>(applied.to));
        version.exec();
        SQLite::Statement role(db, "INSERT OR REPLACE INTO rep_held (id, role) VALUES (1, ?1)");
        role.bind(1, applied.rep_role);
        role.exec();
    }
    transaction.commit();
    return applied;
}

}  // namespace fieldflow::agent
