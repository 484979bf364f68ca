#include "store/book_writer.h"

#include "store/audit_log.h"

#include <set>
#include <string>
#include <string_view>

namespace fieldflow::store {

namespace {
// A stock line booked before keeps its first content, added or held.
constexpr std::string_view stock_on_conflict =
    "ON CONFLICT (report_id, holder, product, lot) DO NOTHING";
}  // namespace

BookWriter::BookWriter(sql::Database& db, AuditLog& audit)
    : db_(db),
      audit_(audit),
      insert_name_(db, "INSERT INTO book_names (text) VALUES (?1) ON CONFLICT (text) DO NOTHING"),
      find_name_(db, "SELECT id FROM book_names WHERE text = ?1"),
      insert_shipment_(db,
                       "INSERT INTO shipments (shipment_id, day, booked_day, distributor, "
                       "product, lot, expiry, qty, source, line) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                       "ON CONFLICT (shipment_id, product, lot) DO NOTHING"),
      find_shipment_(db,
                     "SELECT day, distributor, expiry, qty FROM shipments "
                     "WHERE shipment_id = ?1 AND product = ?2 AND lot = ?3"),
      insert_flow_(db,
                   "INSERT INTO flows (flow_id, day, booked_day, seller, buyer, product, lot, "
                   "qty, source, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                   "ON CONFLICT (flow_id) DO NOTHING"),
      find_flow_(db,
                 "SELECT id, day, seller, buyer, product, lot, qty FROM flows WHERE flow_id = ?1"),
      insert_conflict_(db,
                       "INSERT INTO flow_conflicts (flow_id, first, day, seller, buyer, "
                       "product, lot, qty, source, line) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                       "ON CONFLICT DO NOTHING"),
      insert_stock_(db,
                    std::string("INSERT INTO stock_reports (report_id, day, booked_day, holder, "
                                "product, lot, qty, source, line) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ")
                        .append(stock_on_conflict)),
      find_stock_(db,
                  "SELECT day, qty FROM stock_reports "
                  "WHERE report_id = ?1 AND holder = ?2 AND product = ?3 AND lot = ?4"),
      insert_opening_(db,
                      "INSERT INTO openings (holder, product, period, qty, source, line) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                      "ON CONFLICT (holder, product, period) DO NOTHING"),
      find_opening_(db,
                    "SELECT qty FROM openings WHERE holder = ?1 AND product = ?2 AND "
                    "period = ?3") {
    names_.emplace("", core::Names::empty);  // "no lot": never stored
    sql::Statement all(db, "SELECT id, text FROM book_names");
    while (all.step()) names_.emplace(all.text(1), static_cast<core::NameId>(all.int64(0)));
    reload_closed_periods();
}

void BookWriter::reload_closed_periods() {
    std::set<core::Period> closed;
    sql::Statement periods(db_, "SELECT period FROM closed_periods");
    while (periods.step())
        if (auto p = core::parse_period(periods.text(0))) closed.insert(*p);
    closed_ = core::ClosedPeriods(std::move(closed));
}

std::int64_t BookWriter::new_source(core::ImportKind kind, const std::string& file,
                                    const std::string& digest, std::int64_t at_ms) {
    sql::Statement insert(db_,
                          "INSERT INTO book_sources (kind, file, digest, imported_at_ms) "
                          "VALUES (?1, ?2, ?3, ?4) RETURNING id");
    insert.bind(1, std::string(core::name(kind)));
    insert.bind(2, file);
    insert.bind(3, digest);
    insert.bind(4, at_ms);
    return insert.returning_id().value();
}

std::int64_t BookWriter::source_for(core::ImportKind kind, const std::string& file,
                                    const std::string& digest, std::int64_t at_ms) {
    sql::Statement find(db_, "SELECT id FROM book_sources WHERE kind = ?1 AND digest = ?2");
    find.bind(1, std::string(core::name(kind)));
    find.bind(2, digest);
    if (find.step()) return find.int64(0);
    auto id = new_source(kind, file, digest, at_ms);
    audit_.append(Audited::import, id, "gateway", "uploads source opened");
    return id;
}

// Ids are handed out by the store, not by us: another process (an import while
// the gateway runs) may add names too, and a text keeps its first number.
core::NameId BookWriter::name(const std::string& text) {
    if (auto found = names_.find(text); found != names_.end()) return found->second;
    insert_name_.bind(1, text);
    insert_name_.exec();
    insert_name_.reset();
    find_name_.bind(1, text);
    find_name_.step();
    auto id = static_cast<core::NameId>(find_name_.int64(0));
    find_name_.reset();
    names_.emplace(text, id);
    added_.push_back(text);
    return id;
}

void BookWriter::rolled_back() {
    for (const auto& text : added_) names_.erase(text);
    added_.clear();
}

void BookWriter::hold(const core::StockRow& row, std::int64_t source) {
    if (!held_stock_) {
        held_stock_ = std::make_unique<RowBatch>(
            db_, "stock_reports",
            std::vector<std::string>{"report_id", "day", "booked_day", "holder", "product", "lot",
                                     "qty", "source", "line"},
            std::string(stock_on_conflict));
        holding_ = std::make_unique<sql::HeldWrites>(
            db_, sql::Database::Pending{[this] {
                                            if (!held_stock_->empty()) held_stock_->send();
                                        },
                                        [this] { held_stock_->clear(); }});
    }
    auto& h = *held_stock_;
    h.text(row.report_id).integer(row.day).integer(booking_day(row.day));
    h.integer(name(row.holder)).integer(name(row.product)).integer(name(row.lot));
    h.integer(row.qty).integer(source).integer(row.line).end_row();
}

template <class Same>
Written BookWriter::outcome(sql::Statement& insert, bool late, Same&& same) {
    auto changes = insert.exec();
    insert.reset();
    if (changes > 0) return late ? Written::late : Written::stored;
    return same();
}

Written BookWriter::add(const core::ShipmentRow& row, std::int64_t source,
                        core::LoadError& refusal) {
    auto product = name(row.product), lot = name(row.lot), distributor = name(row.distributor);
    auto booked = booking_day(row.day);
    auto& s = insert_shipment_;
    s.bind(1, row.shipment_id);
    s.bind(2, row.day);
    s.bind(3, booked);
    s.bind(4, distributor);
    s.bind(5, product);
    s.bind(6, lot);
    s.bind(7, row.expiry);
    s.bind(8, row.qty);
    s.bind(9, source);
    s.bind(10, row.line);
    return outcome(s, booked != row.day, [&] {
        auto& f = find_shipment_;
        f.bind(1, row.shipment_id);
        f.bind(2, product);
        f.bind(3, lot);
        f.step();
        bool same = f.int64(0) == row.day && f.int64(1) == distributor &&
                    f.int64(2) == row.expiry && f.int64(3) == row.qty;
        f.reset();
        if (same) return Written::unchanged;
        refusal.message = "shipment " + row.shipment_id + " (" + row.product + " lot " + row.lot +
                          ") was imported before with other content";
        refusal.code = "imported_before";
        refusal.chinese = "发货单 " + row.shipment_id + "（" + row.product + " 批号 " + row.lot +
                          "）此前已导入，内容不同";
        return Written::refused;
    });
}

Written BookWriter::add(const core::FlowRow& row, std::int64_t source, core::LoadError&) {
    core::NameId seller = name(row.seller), buyer = name(row.buyer), product = name(row.product),
                 lot = name(row.lot);
    auto booked = booking_day(row.day);
    auto& s = insert_flow_;
    s.bind(1, row.flow_id);
    s.bind(2, row.day);
    s.bind(3, booked);
    s.bind(4, seller);
    s.bind(5, buyer);
    s.bind(6, product);
    s.bind(7, lot);
    s.bind(8, row.qty);
    s.bind(9, source);
    s.bind(10, row.line);
    return outcome(s, booked != row.day, [&] {
        auto& f = find_flow_;
        f.bind(1, row.flow_id);
        f.step();
        std::int64_t first = f.int64(0);
        bool same = f.int64(1) == row.day && f.int64(2) == seller && f.int64(3) == buyer &&
                    f.int64(4) == product && f.int64(5) == lot && f.int64(6) == row.qty;
        f.reset();
        if (same) return Written::unchanged;
        auto& c = insert_conflict_;
        c.bind(1, row.flow_id);
        c.bind(2, first);
        c.bind(3, row.day);
        c.bind(4, seller);
        c.bind(5, buyer);
        c.bind(6, product);
        c.bind(7, lot);
        c.bind(8, row.qty);
        c.bind(9, source);
        c.bind(10, row.line);
        auto kept = c.exec();
        c.reset();
        // A conflict already kept from an earlier file changes nothing.
        return kept > 0 ? Written::conflicting : Written::unchanged;
    });
}

Written BookWriter::add(const core::StockRow& row, std::int64_t source, core::LoadError& refusal) {
    auto holder = name(row.holder), product = name(row.product), lot = name(row.lot);
    auto booked = booking_day(row.day);
    auto& s = insert_stock_;
    s.bind(1, row.report_id);
    s.bind(2, row.day);
    s.bind(3, booked);
    s.bind(4, holder);
    s.bind(5, product);
    s.bind(6, lot);
    s.bind(7, row.qty);
    s.bind(8, source);
    s.bind(9, row.line);
    return outcome(s, booked != row.day, [&] {
        auto& f = find_stock_;
        f.bind(1, row.report_id);
        f.bind(2, holder);
        f.bind(3, product);
        f.bind(4, lot);
        f.step();
        bool same = f.int64(0) == row.day && f.int64(1) == row.qty;
        f.reset();
        if (same) return Written::unchanged;
        refusal.message = "stock report " + row.report_id + " (" + row.holder + ", " + row.product +
                          (row.lot.empty() ? "" : " lot " + row.lot) +
                          ") was imported before with other content";
        refusal.code = "imported_before";
        refusal.chinese = "库存报告 " + row.report_id + "（" + row.holder + "，" + row.product +
                          (row.lot.empty() ? "" : " 批号 " + row.lot) + "）此前已导入，内容不同";
        return Written::refused;
    });
}

Written BookWriter::add(const core::OpeningRow& row, std::int64_t source,
                        core::LoadError& refusal) {
    auto holder = name(row.holder), product = name(row.product);
    auto& s = insert_opening_;
    s.bind(1, holder);
    s.bind(2, product);
    s.bind(3, row.period);
    s.bind(4, row.qty);
    s.bind(5, source);
    s.bind(6, row.line);
    return outcome(s, false, [&] {
        auto& f = find_opening_;
        f.bind(1, holder);
        f.bind(2, product);
        f.bind(3, row.period);
        f.step();
        std::int64_t stored = f.int64(0);
        f.reset();
        if (stored == row.qty) return Written::unchanged;
        refusal.message = "opening of " + row.holder + ", " + row.product + " for " +
                          core::format_period(row.period) + " is already " +
                          std::to_string(stored) + ", not " + std::to_string(row.qty);
        refusal.code = "opening_differs";
        refusal.chinese = row.holder + "、" + row.product + " " + core::format_period(row.period) +
                          " 的期初已为 " + std::to_string(stored) + "，而非 " +
                          std::to_string(row.qty);
        return Written::refused;
    });
}

}  // namespace fieldflow::store
