#pragma once
// Small distribution books written row by row for the ledger and anomaly
// tests, with master data to judge them by: distributors D1 (tier 1,
// CN-SH), D2 (tier 2, CN-SH-PD), D3 (tier 1, CN-ZJ); terminals T1
// (CN-SH-PD) and T2 (CN-ZJ-HZ); products P1 and P2.

#include <map>
#include <string>
#include <utility>

#include "core/anomalies.h"
#include "core/distribution_book.h"
#include "core/master_data.h"

namespace fieldflow::test {

inline core::MasterData book_master() {
    core::MasterData m;
    m.distributors["D1"] = {"D1", "上药一级", 1, {"CN-SH"}};
    m.distributors["D2"] = {"D2", "浦东二级", 2, {"CN-SH-PD"}};
    m.distributors["D3"] = {"D3", "浙江一级", 1, {"CN-ZJ"}};
    core::Terminal t1;
    t1.id = "T1";
    t1.territory = "CN-SH-PD";
    core::Terminal t2 = t1;
    t2.id = "T2";
    t2.territory = "CN-ZJ-HZ";
    m.terminals["T1"] = t1;
    m.terminals["T2"] = t2;
    m.products["P1"] = {"P1", "阿莫西林胶囊", "", "盒", "", ""};
    m.products["P2"] = {"P2", "布洛芬缓释胶囊", "", "盒", "", ""};
    return m;
}

class BookBuilder : public core::RecordIds {
  public:
    core::DistributionBook book;

    core::RowId shipment(const std::string& id, const std::string& date, const std::string& to,
                         const std::string& product, const std::string& lot, long long qty) {
        core::Shipment s;
        s.row = next(core::RowKind::shipment, id);
        s.day = s.booked_day = day(date);
        s.distributor = intern(to);
        s.product = intern(product);
        s.lot = intern(lot);
        s.expiry = day("2030-01-01");
        s.qty = qty;
        book.shipments.push_back(s);
        return s.row;
    }

    // `booked` is the day a row that came after its period closed was booked on.
    core::RowId flow(const std::string& id, const std::string& date, const std::string& seller,
                     const std::string& buyer, const std::string& product, const std::string& lot,
                     long long qty, const std::string& booked = "") {
        core::Flow f;
        f.row = next(core::RowKind::flow, id);
        f.day = day(date);
        f.booked_day = booked.empty() ? f.day : day(booked);
        f.seller = intern(seller);
        f.buyer = intern(buyer);
        f.product = intern(product);
        f.lot = intern(lot);
        f.qty = qty;
        book.flows.push_back(f);
        return f.row;
    }

    core::RowId stock(const std::string& report, const std::string& date, const std::string& holder,
                      const std::string& product, const std::string& lot, long long qty) {
        core::StockReport r;
        r.row = next(core::RowKind::stock, report);
        r.day = r.booked_day = day(date);
        r.report = intern(report);
        r.holder = intern(holder);
        r.product = intern(product);
        r.lot = intern(lot);
        r.qty = qty;
        book.stock.push_back(r);
        return r.row;
    }

    void opening(const std::string& holder, const std::string& product, const std::string& period,
                 long long qty) {
        book.openings.push_back(
            {intern(holder), intern(product), *core::parse_period(period), qty});
    }

    core::RowId conflict(const std::string& id, const std::string& date, core::RowId first) {
        core::FlowConflict c{next(core::RowKind::flow_conflict, id), first, day(date)};
        book.flow_conflicts.push_back(c);
        return c.row;
    }

    std::string id(core::RowKind kind, core::RowId row) const override {
        return ids_.at({kind, row});
    }

    core::NameId intern(const std::string& text) { return book.names.intern(text); }

  private:
    static core::Day day(const std::string& date) { return *core::parse_date(date); }

    core::RowId next(core::RowKind kind, const std::string& id) {
        ids_[{kind, ++rows_}] = id;
        return rows_;
    }

    core::RowId rows_ = 0;
    std::map<std::pair<core::RowKind, core::RowId>, std::string> ids_;
};

}  // namespace fieldflow::test
