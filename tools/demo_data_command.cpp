// `fieldflow demo-data --out DIR --seed N --terminals N --months N`: a
// consistent, deterministic set of distribution books — master data,
// opening balances, the company's shipments, flow data and month-end stock
// reports — simulated month by month so that every distributor's ledger
// holds, with a known number of anomalies of every reason injected, and an
// answer key (answer-key.csv) listing exactly those.
//
// Rows dated in the first month but arriving late are written apart
// (flows-late.csv): they are `closed_period` findings when imported after
// that month is closed, as the answer key assumes.

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <unordered_set>

#include "core/calendar.h"
#include "core/master_data.h"
#include "core/territory.h"
#include "tools/commands.h"

namespace fieldflow::tools {

namespace {

struct Lot {
    std::string id;
    std::int64_t qty = 0;
};

// What the simulation knows of one distributor's stock of one product:
// the lots it received, and stock without a lot (the opening balance).
struct Stock {
    std::deque<Lot> lots;
    std::int64_t unlotted = 0;
    std::int64_t total() const {
        std::int64_t sum = unlotted;
        for (const auto& l : lots) sum += l.qty;
        return sum;
    }
    // The oldest lot that has `qty` left.
    Lot* lot_for(std::int64_t qty) {
        for (auto& l : lots)
            if (l.qty >= qty) return &l;
        return nullptr;
    }
    void receive(const std::string& lot, std::int64_t qty) {
        for (auto& l : lots)
            if (l.id == lot) {
                l.qty += qty;
                return;
            }
        lots.push_back({lot, qty});
    }
};

class Generator {
  public:
    Generator(const DemoDataOptions& options, const core::MasterData& master,
              const std::filesystem::path& dir)
        : o_(options),
          random_(options.seed),
          shipments_(dir / "shipments.csv", std::ios::binary),
          flows_(dir / "flows.csv", std::ios::binary),
          late_(dir / "flows-late.csv", std::ios::binary),
          stock_(dir / "stock.csv", std::ios::binary),
          opening_(dir / "opening.csv", std::ios::binary),
          key_(dir / "answer-key.csv", std::ios::binary) {
        for (const auto& [id, p] : master.products) products_.push_back(id);
        for (const auto& [id, d] : master.distributors) distributors_.push_back(&d);
        for (const auto& [id, t] : master.terminals) terminals_.push_back(&t);
        std::sort(products_.begin(), products_.end());
        auto by_id = [](auto* a, auto* b) { return a->id < b->id; };
        std::sort(distributors_.begin(), distributors_.end(), by_id);
        std::sort(terminals_.begin(), terminals_.end(), by_id);
        assign_suppliers();
        shipments_ << "shipment_id,date,distributor_id,product_id,lot,expiry,qty\n";
        flows_ << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n";
        late_ << "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n";
        stock_ << "report_id,date,holder_id,product_id,lot,qty\n";
        opening_ << "holder_id,product_id,period,qty\n";
        key_ << "record_id,kind,reason\n";
    }

    void run() {
        for (const auto* d : distributors_)
            if (d->tier == 1)
                for (const auto& p : products_) {
                    stock(d->id, p).unlotted = 200;
                    opening_ << d->id << ',' << p << ',' << core::format_period(o_.start)
                             << ",200\n";
                }
        for (unsigned m = 0; m < o_.months; ++m) month(o_.start + static_cast<int>(m), m);
        std::cout << "wrote " << shipments_count_ << " shipments, " << flow_count_ << " flows ("
                  << late_count_ << " late), " << report_count_ << " stock report lines and "
                  << answers_ << " injected anomalies\n";
    }

  private:
    std::uint64_t roll(std::uint64_t n) { return random_() % n; }

    Stock& stock(const std::string& holder, const std::string& product) {
        return stocks_[{holder, product}];
    }

    bool covers_any(const core::Distributor& d, const std::string& place) const {
        return std::any_of(d.territories.begin(), d.territories.end(),
                           [&](const std::string& t) { return core::covers(t, place); });
    }

    // Every terminal buys from one distributor authorised for its place,
    // tier 2 first; every tier 2 from a tier 1 covering its territory.
    void assign_suppliers() {
        for (const auto* t : terminals_) {
            std::vector<const core::Distributor*> options;
            for (const auto* d : distributors_)
                if (covers_any(*d, t->territory)) options.push_back(d);
            std::stable_sort(options.begin(), options.end(),
                             [](auto* a, auto* b) { return a->tier > b->tier; });
            if (options.empty()) continue;
            supplier_[t->id] =
                options.front()->tier == 2 ? options.front() : options[roll(options.size())];
            ++served_[supplier_[t->id]->id];
        }
        for (const auto* d : distributors_) {
            if (d->tier != 2) continue;
            for (const auto* up : distributors_)
                if (up->tier == 1 && covers_any(*up, d->territories.front())) {
                    upstream_[d->id] = up;
                    break;
                }
        }
    }

    // Expected monthly sales of one product by one distributor to terminals.
    std::int64_t demand(const std::string& distributor) const {
        auto it = served_.find(distributor);
        if (it == served_.end()) return 0;
        return std::int64_t(it->second) * o_.orders * 11 / std::int64_t(products_.size()) + 20;
    }

    std::string flow_id() {
        char id[24];
        std::snprintf(id, sizeof id, "FL%09llu", static_cast<unsigned long long>(++flow_count_));
        return id;
    }

    void answer(const std::string& id, const char* kind, const char* reason) {
        key_ << id << ',' << kind << ',' << reason << '\n';
        ++answers_;
    }

    struct Row {
        std::string id, seller, buyer, product, lot;
        core::Day day = 0;
        std::int64_t qty = 0;
    };

    void write(std::ofstream& out, const Row& r) {
        out << r.id << ',' << core::format_date(r.day) << ',' << r.seller << ',' << r.buyer << ','
            << r.product << ',' << r.lot << ',' << r.qty << '\n';
    }

    // A clean sale: from a lot the seller holds, never below zero, never the
    // same content twice on one day. False when the seller cannot deliver.
    bool sell(const std::string& seller, const std::string& buyer, const std::string& product,
              core::Day day, std::int64_t qty, Row* out = nullptr) {
        Stock& s = stock(seller, product);
        Lot* lot = s.lot_for(qty);
        if (!lot || s.total() < qty) return false;
        while (!seen_today_.insert(content_key(seller, buyer, product, lot->id, day, qty)).second)
            ++qty;
        if (lot->qty < qty || s.total() < qty) return false;
        lot->qty -= qty;
        if (Stock* in = buyer_stock(buyer, product)) in->receive(lot->id, qty);
        Row row{flow_id(), seller, buyer, product, lot->id, day, qty};
        write(flows_, row);
        if (out) *out = row;
        last_sale_ = row;
        return true;
    }

    Stock* buyer_stock(const std::string& buyer, const std::string& product) {
        for (const auto* d : distributors_)
            if (d->id == buyer) return &stock(buyer, product);
        return nullptr;
    }

    static std::string content_key(const std::string& seller, const std::string& buyer,
                                   const std::string& product, const std::string& lot,
                                   core::Day day, std::int64_t qty) {
        return seller + '|' + buyer + '|' + product + '|' + lot + '|' + std::to_string(day) + '|' +
               std::to_string(qty);
    }

    void month(core::Period period, unsigned index) {
        core::Day first = core::first_day(period), last = core::last_day(period);
        char yymm[8];
        std::snprintf(yymm, sizeof yymm, "%02d%02d", period / 12 % 100, period % 12 + 1);
        seen_today_.clear();

        // Day 1: the company ships each tier 1 what its own and its tier 2s' demand needs.
        for (const auto* d : distributors_) {
            if (d->tier != 1) continue;
            std::int64_t need = demand(d->id);
            for (const auto& [down, up] : upstream_)
                if (up == d) need += demand(down) * 3 / 2;
            for (std::size_t p = 0; p < products_.size(); ++p) {
                Stock& s = stock(d->id, products_[p]);
                std::int64_t qty = std::max<std::int64_t>(need * 2 - s.total(), need);
                std::string lot = "B";
                lot += yymm;
                lot += products_[p];
                char id[32];
                std::snprintf(id, sizeof id, "SH%s-%s", yymm, d->id.c_str());
                shipments_ << id << ',' << core::format_date(first) << ',' << d->id << ','
                           << products_[p] << ',' << lot << ',' << core::format_date(first + 730)
                           << ',' << qty << '\n';
                ++shipments_count_;
                s.receive(lot, qty);
            }
        }
        if (index == 1) deliver_late_rows(first);

        // Day 2: tier 2s restock from their tier 1.
        for (const auto& [down, up] : upstream_)
            for (const auto& p : products_) {
                std::int64_t want = demand(down) * 3 / 2 - stock(down, p).total();
                while (want > 0) {
                    Lot* lot = stock(up->id, p).lot_for(1);
                    if (!lot) break;
                    std::int64_t qty = std::min(want, lot->qty);
                    if (!sell(up->id, down, p, first + 1, qty)) break;
                    want -= qty;
                }
            }

        // Days 3–26: terminals' orders in date order, with an occasional return.
        struct Order {
            core::Day day;
            const core::Terminal* terminal;
            std::size_t product;
            std::int64_t qty;
        };
        std::vector<Order> orders;
        for (const auto* t : terminals_)
            for (unsigned k = 0; k < o_.orders; ++k)
                orders.push_back({first + 2 + static_cast<core::Day>(roll(24)), t,
                                  roll(products_.size()), 1 + static_cast<std::int64_t>(roll(20))});
        std::stable_sort(orders.begin(), orders.end(),
                         [](const Order& a, const Order& b) { return a.day < b.day; });
        Injections plan = plan_for(index);
        std::size_t step = std::max<std::size_t>(orders.size() / (plan.total() + 1), 1);
        for (std::size_t i = 0; i < orders.size(); ++i) {
            const Order& order = orders[i];
            auto supplier = supplier_.find(order.terminal->id);
            if (supplier == supplier_.end()) continue;
            const std::string& seller = supplier->second->id;
            const std::string& product = products_[order.product];
            Row sale;
            if (!sell(seller, order.terminal->id, product, order.day, order.qty, &sale)) continue;
            std::int64_t returned = -std::max<std::int64_t>(1, sale.qty / 2);
            if (roll(400) == 0 &&  // a return of part of that sale
                seen_today_
                    .insert(content_key(seller, sale.buyer, product, sale.lot, sale.day, returned))
                    .second) {
                Row back = sale;
                back.id = flow_id();
                back.qty = returned;
                stock(seller, product).receive(sale.lot, -back.qty);
                write(flows_, back);
            }
            if (i % step == step - 1) inject(plan, sale, order.terminal);
        }
        while (plan.total() > 0 && last_sale_.seller.size()) {
            auto* t = terminals_.front();
            if (!inject(plan, last_sale_, t)) break;
        }
        inject_negative_stock(plan, last);
        month_end_reports(period, last, plan);
    }

    // How many of each injected anomaly fall in one month.
    struct Injections {
        unsigned diversion = 0, lot = 0, duplicate = 0, conflict = 0, party = 0, product = 0,
                 negative = 0, variance = 0;
        unsigned total() const { return diversion + lot + duplicate + conflict + party + product; }
    };

    Injections plan_for(unsigned index) const {
        // Spread each reason's N injections over the months, as evenly as can be.
        auto share = [&](unsigned n) { return n / o_.months + (index < n % o_.months ? 1 : 0); };
        Injections p;
        p.diversion = p.lot = p.duplicate = p.conflict = p.party = p.product = p.negative =
            p.variance = share(o_.anomalies);
        return p;
    }

    // One injected anomaly after `sale`, of the first reason still due this month.
    bool inject(Injections& plan, const Row& sale, const core::Terminal* buyer) {
        if (plan.diversion) {
            // Sell to a terminal outside every territory of the seller.
            const core::Distributor* seller = nullptr;
            for (const auto* d : distributors_)
                if (d->id == sale.seller) seller = d;
            for (const auto* t : terminals_) {
                if (covers_any(*seller, t->territory)) continue;
                Row row;
                if (!sell(sale.seller, t->id, sale.product, sale.day, 1, &row)) return false;
                answer(row.id, "flow", "diversion");
                --plan.diversion;
                return true;
            }
            return false;  // this seller covers every place: try with another sale
        }
        if (plan.lot) {
            Stock& s = stock(sale.seller, sale.product);
            if (s.total() < 1) return false;
            s.unlotted -= 1;
            Row row{flow_id(),
                    sale.seller,
                    buyer->id,
                    sale.product,
                    "X" + std::to_string(flow_count_),
                    sale.day,
                    1};
            write(flows_, row);
            answer(row.id, "flow", "lot_not_received");
            --plan.lot;
            return true;
        }
        if (plan.duplicate) {
            Stock& s = stock(sale.seller, sale.product);
            Lot* lot = s.lot_for(sale.qty);
            if (!lot || lot->id != sale.lot || s.total() < sale.qty) return false;
            lot->qty -= sale.qty;
            Row copy = sale;
            copy.id = flow_id();
            write(flows_, copy);
            answer(copy.id, "flow", "duplicate");
            --plan.duplicate;
            return true;
        }
        if (plan.conflict) {
            // The same flow id again, with another quantity: not booked.
            Row again = sale;
            again.qty += 1;
            write(flows_, again);
            answer(again.id, "flow", "duplicate");
            --plan.conflict;
            return true;
        }
        if (plan.party) {
            bool unknown_seller = plan.party % 2 == 0;
            Row row{flow_id(),
                    unknown_seller ? "D99" : sale.seller,
                    unknown_seller ? buyer->id : "T9" + std::to_string(plan.party) + "X",
                    sale.product,
                    sale.lot,
                    sale.day,
                    1};
            if (!unknown_seller) {
                Stock& s = stock(sale.seller, sale.product);
                Lot* lot = s.lot_for(1);
                if (!lot || lot->id != sale.lot || s.total() < 1) return false;
                lot->qty -= 1;
            }
            write(flows_, row);
            answer(row.id, "flow", "unknown_party");
            --plan.party;
            return true;
        }
        if (plan.product) {
            Row row{flow_id(), sale.seller, sale.buyer, "P99", "X-P99", sale.day, 1};
            write(flows_, row);
            answer(row.id, "flow", "unknown_product");
            --plan.product;
            return true;
        }
        return false;
    }

    // A sale on the month's last day of more than the seller holds: the
    // seller's stock of that product stays below zero until the next month.
    void inject_negative_stock(Injections& plan, core::Day last) {
        for (const auto* d : distributors_) {
            if (!plan.negative) return;
            for (const auto& [terminal, supplier] : supplier_) {
                if (supplier != d) continue;
                const std::string& product = products_[plan.negative % products_.size()];
                Stock& s = stock(d->id, product);
                Lot* lot = s.lot_for(1);
                if (!lot || s.total() <= 0) break;
                std::int64_t qty = s.total() + 1 + static_cast<std::int64_t>(roll(5));
                lot->qty -= qty;
                Row row{flow_id(), d->id, terminal, product, lot->id, last, qty};
                write(flows_, row);
                answer(row.id, "flow", "negative_stock");
                --plan.negative;
                break;
            }
        }
    }

    // Every distributor reports its stock of every product at the month's
    // end; `plan.variance` of them report a wrong figure. A few terminals
    // report their shelf stock too (no ledger to compare with).
    void month_end_reports(core::Period period, core::Day last, Injections& plan) {
        std::string month = core::format_period(period);
        for (const auto* d : distributors_)
            for (const auto& p : products_) {
                std::int64_t qty = stock(d->id, p).total();
                if (qty < 0) continue;  // after an injected oversell: nothing true to report
                std::string id = "SR-" + d->id + "-" + month;
                bool wrong = plan.variance > 0 && qty > 0;
                if (wrong) {
                    qty += 3 + qty / 10;
                    --plan.variance;
                    answer(id, "stock", "stock_variance");
                }
                stock_ << id << ',' << core::format_date(last) << ',' << d->id << ',' << p << ",,"
                       << qty << '\n';
                ++report_count_;
            }
        for (std::size_t i = 0; i < std::min<std::size_t>(3, terminals_.size()); ++i) {
            stock_ << "SR-" << terminals_[i]->id << '-' << month << ',' << core::format_date(last)
                   << ',' << terminals_[i]->id << ',' << products_[0] << ",," << roll(30) << '\n';
            ++report_count_;
        }
    }

    // Sales dated in the first month that reach the company in the second,
    // after the first is closed; booked on the second month's first day.
    void deliver_late_rows(core::Day booked) {
        unsigned left = o_.anomalies;
        for (const auto& [terminal, supplier] : supplier_) {
            if (left == 0) break;
            const std::string& product = products_[left % products_.size()];
            Stock& s = stock(supplier->id, product);
            Lot* lot = s.lot_for(2);
            if (!lot) continue;
            lot->qty -= 2;
            Row row{flow_id(), supplier->id, terminal, product, lot->id, booked - 11, 2};
            write(late_, row);
            answer(row.id, "flow", "closed_period");
            ++late_count_;
            --left;
        }
    }

    DemoDataOptions o_;
    std::mt19937_64 random_;
    std::ofstream shipments_, flows_, late_, stock_, opening_, key_;
    std::vector<std::string> products_;
    std::vector<const core::Distributor*> distributors_;
    std::vector<const core::Terminal*> terminals_;
    std::map<std::string, const core::Distributor*> supplier_;  // terminal -> distributor
    std::map<std::string, const core::Distributor*> upstream_;  // tier 2 -> tier 1
    std::map<std::string, unsigned> served_;                    // distributor -> terminals
    std::map<std::pair<std::string, std::string>, Stock> stocks_;
    std::unordered_set<std::string> seen_today_;
    Row last_sale_;
    std::uint64_t flow_count_ = 0, late_count_ = 0, shipments_count_ = 0, report_count_ = 0,
                  answers_ = 0;
};

}  // namespace

int demo_data_command(const DemoDataOptions& o) {
    std::filesystem::path dir(o.out);
    write_sample_master_data(dir / "master", o.seed, o.terminals, 6);
    auto master = core::load_master_data(dir / "master");
    Generator(o, master.data, dir).run();
    return 0;
}

}  // namespace fieldflow::tools
