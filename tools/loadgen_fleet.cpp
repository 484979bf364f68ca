#include "tools/loadgen_fleet.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/clock.h"
#include "core/scan_rules.h"
#include "core/report_rules.h"
#include "core/visit_rules.h"
#include "schemas/record_codec.h"

namespace fieldflow::tools {

namespace {

template <typename T>
std::vector<const T*> sorted_by_id(const std::unordered_map<std::string, T>& items) {
    std::vector<const T*> out;
    for (const auto& [id, item] : items) out.push_back(&item);
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
    return out;
}

// `value` in exactly `width` digits, the lowest ones kept.
std::string digits(std::uint64_t value, int width) {
    std::string out(static_cast<std::size_t>(width), '0');
    for (int i = width - 1; i >= 0 && value; --i, value /= 10)
        out[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    return out;
}

}  // namespace

std::optional<VisitMix> parse_mix(std::string_view text, std::string& error) {
    VisitMix mix{0, 0, 0};
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        auto equals = item.find('=');
        std::string_view kind = item.substr(0, equals);
        unsigned weight = 0;
        if (equals == std::string_view::npos) {
            error = std::string(item) + " is not KIND=WEIGHT";
            return std::nullopt;
        }
        std::string_view number = item.substr(equals + 1);
        auto [end, failed] = std::from_chars(number.data(), number.data() + number.size(), weight);
        if (failed != std::errc() || end != number.data() + number.size() || weight > 100) {
            error = "the weight of " + std::string(kind) + " is not a whole number up to 100";
            return std::nullopt;
        }
        if (kind == "count")
            mix.count = weight;
        else if (kind == "scan")
            mix.scan = weight;
        else if (kind == "sales")
            mix.sales = weight;
        else {
            error = std::string(kind) + " is not a kind (count, scan or sales)";
            return std::nullopt;
        }
    }
    if (mix.count + mix.scan + mix.sales == 0) {
        error = "every weight is 0";
        return std::nullopt;
    }
    return mix;
}

std::vector<Agent> make_fleet(const core::MasterData& master, unsigned count,
                              const std::string& prefix, unsigned first) {
    auto reps = sorted_by_id(master.reps);
    auto terminals = sorted_by_id(master.terminals);
    auto distributors = sorted_by_id(master.distributors);
    std::vector<Agent> fleet;
    for (unsigned i = first - 1; i < first - 1 + count; ++i) {
        const core::Rep& rep = *reps[i % reps.size()];
        Agent a;
        char device[64];
        std::snprintf(device, sizeof device, "%s-%05u", prefix.c_str(), i + 1);
        a.device = device;
        a.rep = rep.id;
        a.number = i + 1;
        // Devices of the same rep visit different terminals of its
        // territory, and report for a distributor they may report for, as
        // the gateway's own rules judge them.
        std::vector<const core::Terminal*> own;
        for (auto* t : terminals)
            if (!core::within_territory(rep, *t)) own.push_back(t);
        const auto& pool = own.empty() ? terminals : own;
        const core::Terminal& t = *pool[(i / reps.size()) % pool.size()];
        a.terminal = t.id;
        a.lat = t.lat;
        a.lon = t.lon;
        for (auto* d : distributors)
            if (!core::may_report_for(rep, *d)) {
                a.distributor = d->id;
                break;
            }
        fleet.push_back(std::move(a));
    }
    return fleet;
}

RecordMaker::RecordMaker(const core::MasterData& master, VisitMix mix)
    : products_(sorted_by_id(master.products)) {
    // Interleaved, so that a short run still sees every kind.
    for (unsigned i = 0; pattern_.size() < mix.count + mix.scan + mix.sales; ++i) {
        if (i < mix.count) pattern_.push_back(Kind::count);
        if (i < mix.scan) pattern_.push_back(Kind::scan);
        if (i < mix.sales) pattern_.push_back(Kind::sales);
    }
}

std::vector<std::byte> RecordMaker::record(const Agent& a, std::uint64_t seq) const {
    core::Record r;
    r.device = a.device;
    r.seq = seq;
    r.rep = a.rep;
    auto now = core::unix_now_ms();
    r.captured_at_ms = now;
    auto today = core::date_of_ms(now);
    const core::Product& product = *products_[seq % products_.size()];
    // Four lots a year per product.
    std::string lot = digits(std::uint64_t(today.year) * 10 + seq % 4, 5);

    std::uint64_t step = (seq - 1) % 10;
    if (!a.distributor.empty()) {
        r.payload = core::DistributorStock{
            a.distributor, product.id, lot, static_cast<std::int64_t>(seq % 500), today.iso(), ""};
    } else if (step == 0) {
        r.payload = core::CheckIn{a.terminal, a.lat, a.lon, 8, core::FixJudgement::manual, 0};
    } else if (step == 9) {
        r.payload = core::CheckOut{a.terminal, seq - 9, false};
    } else {
        std::uint64_t middle = (seq - 1) / 10 * 8 + (step - 1);
        switch (pattern_[middle % pattern_.size()]) {
            case Kind::count:
                r.payload = core::StockCount{a.terminal, product.id, "",
                                             static_cast<std::int64_t>(seq % 40), false};
                break;
            case Kind::scan: {
                // Each pack once in the whole fleet (up to 999 devices of a
                // million records): the device's number, then the seq.
                std::uint64_t pack = std::uint64_t(a.number) * 1'000'000 + seq % 1'000'000;
                core::Scan scan{a.terminal, "", "", "scanner", ""};
                if (middle % 2 == 0 || product.drug_code_prefix.size() != 7) {
                    scan.symbology = "datamatrix";
                    // GTIN, expiry at the end of the year after next, lot, serial.
                    std::string text = "]d201";
                    text += digits(0, 14 - static_cast<int>(product.gtin.size()));
                    text += product.gtin;
                    text.append("17").append(digits((today.year + 2) % 100, 2)).append("1231");
                    text.append("10")
                        .append(lot)
                        .append(
                            "\x1d"
                            "21")
                        .append(digits(pack, 12));
                    scan.content = text;
                } else {
                    scan.symbology = "code128";
                    std::string text = "]C0";
                    text.append(product.drug_code_prefix).append(digits(pack, 9));
                    text.append(digits(pack % 9973, 4));
                    scan.content = text;
                }
                r.payload = std::move(scan);
                break;
            }
            case Kind::sales:
                r.payload =
                    core::TerminalSales{a.terminal, product.id, static_cast<std::int64_t>(seq % 25),
                                        today.iso().replace(8, 2, "01")};
                break;
        }
    }
    return wire::encode_record(r);
}

}  // namespace fieldflow::tools
