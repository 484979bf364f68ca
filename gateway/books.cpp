#include "gateway/books.h"

#include <chrono>

#include "core/clock.h"
#include "core/overloaded.h"
#include "store/book_schema.h"

namespace fieldflow::gateway {

namespace {

// Uploads are booked under one source per device, named by this digest.
const char* const device_digest_prefix = "device:";

}  // namespace

Books::Books(store::sql::Database& db, store::AuditLog& audit, const MasterInForce& master,
             std::shared_ptr<spdlog::logger> log)
    : db_(db),
      master_(master),
      log_(std::move(log)),
      writer_(db, audit),
      facts_master_(master.now()),
      seen_master_(facts_master_),
      facts_(facts_master_->data) {
    refresh();
}

std::int64_t Books::imported_sources() {
    store::sql::Statement last(db_,
                               "SELECT coalesce(max(id), 0) FROM book_sources "
                               "WHERE digest NOT LIKE 'device:%'");
    last.step();
    return last.int64(0);
}

void Books::refresh() {
    // Only another connection (an operator's command, another gateway) can
    // have closed a period or imported a file; the store counts its commits.
    // Which holders are followed depends on the distributors: only a version
    // that changed them costs a reading of the books.
    bool holders_changed = false;
    if (auto master = master_.now(); master != seen_master_) {
        seen_master_ = master;
        holders_changed = master->data.distributors != facts_master_->data.distributors;
    }
    std::int64_t version = db_.others_commits();
    if (version == data_version_ && facts_read_at_ >= 0 && !holders_changed) return;
    data_version_ = version;
    writer_.reload_closed_periods();
    std::int64_t latest = imported_sources();
    if (latest == facts_read_at_ && !holders_changed) return;
    auto book = store::load_book(db_);
    facts_master_ = seen_master_;
    facts_ = core::ChannelFacts(book, facts_master_->data);
    facts_read_at_ = latest;
    log_->info("books read flows={} shipments={} stock_lines={}", book.flows.size(),
               book.shipments.size(), book.stock.size());
}

std::int64_t Books::device_source(core::ImportKind kind, const std::string& device) {
    auto key = std::make_pair(kind, device);
    if (auto found = sources_.find(key); found != sources_.end()) return found->second;
    std::int64_t id = writer_.source_for(kind, "uploads from " + device,
                                         device_digest_prefix + device, core::unix_now_ms());
    sources_.emplace(key, id);
    return id;
}

void Books::book(const core::Record& record) {
    core::LoadError refusal;  // unused: a flow is never refused, only conflicting
    auto line = static_cast<unsigned>(record.seq);
    auto counts = [](store::Written w) {
        return w == store::Written::stored || w == store::Written::late;
    };
    std::visit(
        core::Overloaded{
            [&](const core::FlowReport& f) {
                auto day = core::parse_date(f.date);
                if (!day) return;
                core::FlowRow row{f.flow_id, *day,  f.seller, f.buyer,
                                  f.product, f.lot, f.qty,    line};
                auto written = writer_.add(
                    row, device_source(core::ImportKind::flows, record.device), refusal);
                if (!counts(written)) return;
                core::Day booked = writer_.booking_day(*day);
                pending_.push_back([row, booked](core::ChannelFacts& facts) {
                    facts.add_flow(row.seller, row.buyer, row.product, row.lot, booked, row.qty);
                });
            },
            [&](const core::DistributorStock& s) {
                auto day = core::parse_date(s.date);
                if (!day) return;
                // A line the rep typed has no report id of its own: its record names it.
                std::string report = s.report_id.empty()
                                         ? record.device + "/" + std::to_string(record.seq)
                                         : s.report_id;
                core::StockRow row{report, *day, s.distributor, s.product, s.lot, s.qty, line};
                writer_.hold(row, device_source(core::ImportKind::stock, record.device));
            },
            [](const auto&) {},
        },
        record.payload);
}

void Books::committed() {
    for (auto& apply : pending_) apply(facts_);
    pending_.clear();
    writer_.committed();
}

void Books::abandoned() {
    pending_.clear();
    writer_.rolled_back();
    sources_.clear();  // a source opened in the lost transaction is gone too
}

}  // namespace fieldflow::gateway
