#include "core/visit_rules.h"

#include <cmath>
#include <cstdio>

#include "core/geo.h"
#include "core/overloaded.h"
#include "core/channel_rules.h"
#include "core/report_rules.h"
#include "core/scan_content.h"
#include "core/scan_rules.h"
#include "core/territory.h"

namespace fieldflow::core {

namespace {
std::string metres(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f m", value);
    return text;
}

bool valid_position(double lat, double lon) {
    return std::isfinite(lat) && std::isfinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 &&
           lon <= 180;
}
}  // namespace

std::optional<Reason> rep_known(const MasterData& master, const std::string& rep) {
    if (master.rep(rep)) return std::nullopt;
    return Reason{ReasonCode::unknown_rep, "rep \"" + rep + "\" is not in reps.csv"};
}

std::optional<Reason> terminal_known(const MasterData& master, const std::string& terminal) {
    if (master.terminal(terminal)) return std::nullopt;
    return Reason{ReasonCode::unknown_terminal,
                  "terminal \"" + terminal + "\" is not in terminals.csv"};
}

std::optional<Reason> product_known(const MasterData& master, const std::string& product) {
    if (master.product(product)) return std::nullopt;
    return Reason{ReasonCode::unknown_product,
                  "product \"" + product + "\" is not in products.csv"};
}

std::optional<Reason> within_territory(const Rep& rep, const Terminal& terminal) {
    if (covers(rep.territory, terminal.territory)) return std::nullopt;
    return Reason{ReasonCode::outside_territory, "terminal " + terminal.id + " is in " +
                                                     terminal.territory + ", rep " + rep.id +
                                                     " covers " + rep.territory};
}

double accuracy_benefit_m(double accuracy_m) {
    return std::isfinite(accuracy_m) && accuracy_m > 0 ? accuracy_m : 0;
}

std::optional<Reason> within_geofence(const Terminal& terminal, const CheckIn& fix) {
    if (!valid_position(fix.lat, fix.lon))
        return Reason{ReasonCode::outside_geofence, "the fix has no valid position"};
    double accuracy = accuracy_benefit_m(fix.accuracy_m);
    double distance = distance_m(terminal.lat, terminal.lon, fix.lat, fix.lon);
    if (distance <= terminal.radius_m + accuracy) return std::nullopt;
    std::string detail = metres(distance) + " from " + terminal.id + " (radius " +
                         metres(terminal.radius_m) + ", fix accuracy " + metres(accuracy) + ")";
    // The rep was told at the door and said why: the reviewer reads it here.
    if (!fix.reason.empty()) detail += "; the rep's reason: " + fix.reason;
    return Reason{ReasonCode::outside_geofence, detail};
}

std::optional<Reason> fix_trusted(const CheckIn& fix) {
    switch (fix.fix) {
        case FixJudgement::manual:
        case FixJudgement::ok:
            return std::nullopt;
        case FixJudgement::stale:
            return Reason{ReasonCode::stale_fix,
                          "the fix was " + std::to_string(fix.fix_age_ms / 1000) + " s old"};
        case FixJudgement::none:
            return Reason{ReasonCode::stale_fix, "the receiver had no fix"};
        case FixJudgement::low_accuracy:
            return Reason{ReasonCode::low_accuracy,
                          "the fix was only good to " + metres(fix.accuracy_m)};
    }
    return std::nullopt;
}

std::optional<Reason> quantity_not_negative(std::int64_t qty) {
    if (qty >= 0) return std::nullopt;
    return Reason{ReasonCode::negative_quantity, "qty " + std::to_string(qty) + " is negative"};
}

std::optional<Reason> closes_open_visit(const CheckOut& out, const std::optional<OpenVisit>& open) {
    if (!open) return Reason{ReasonCode::unmatched_checkout, "no visit is open"};
    if (open->terminal != out.terminal)
        return Reason{ReasonCode::unmatched_checkout,
                      "the open visit is at " + open->terminal + ", not " + out.terminal};
    return std::nullopt;
}

std::optional<Reason> inside_open_visit(const std::string& terminal,
                                        const std::optional<OpenVisit>& open) {
    if (open && open->terminal == terminal) return std::nullopt;
    if (!open) return Reason{ReasonCode::no_open_visit, "no visit is open"};
    return Reason{ReasonCode::no_open_visit,
                  "the open visit is at " + open->terminal + ", not " + terminal};
}

std::optional<Reason> correction_known(const Record& record, const StoredFacts& facts) {
    if (record.corrects == 0) return std::nullopt;
    if (record.corrects >= record.seq)
        return Reason{ReasonCode::unknown_correction, "record " + std::to_string(record.corrects) +
                                                          " is not earlier than this one"};
    if (facts.corrected_record_stored) return std::nullopt;
    return Reason{ReasonCode::unknown_correction, "record " + std::to_string(record.corrects) +
                                                      " of " + record.device +
                                                      " is not at the gateway"};
}

std::optional<std::string> visit_of_corrected(const Record& corrected,
                                              const std::vector<Reason>& reasons) {
    for (const auto& r : reasons)
        if (r.code == ReasonCode::no_open_visit) return std::nullopt;
    return terminal_of(corrected.payload);
}

OwnFindings examine(const Record& record, const MasterData& master) {
    OwnFindings own;
    Verdict& verdict = own.verdict;
    verdict.add(rep_known(master, record.rep));
    const Rep* rep = master.rep(record.rep);
    auto report = [&] {
        for (auto& r : validate_report(record.payload, master, rep).reasons)
            verdict.add(std::move(r));
    };
    std::visit(Overloaded{
                   [&](const CheckIn& in) {
                       const Terminal* terminal = master.terminal(in.terminal);
                       if (!terminal) return verdict.add(terminal_known(master, in.terminal));
                       if (rep) verdict.add(within_territory(*rep, *terminal));
                       verdict.add(fix_trusted(in));
                       verdict.add(within_geofence(*terminal, in));
                       verdict.add(sha256_hex(in.photo_sha256));
                   },
                   [&](const StockCount& count) {
                       verdict.add(product_known(master, count.product));
                       verdict.add(quantity_not_negative(count.qty));
                   },
                   [&](const Scan& scan) {
                       auto today = date_of_ms(record.captured_at_ms);
                       const auto& content = own.content.emplace(
                           classify(scan.content, symbology_named(scan.symbology), today.year));
                       verdict.add(code_understood(content));
                       verdict.add(scanned_product_known(master, content));
                       verdict.add(not_expired(content, today));
                   },
                   [&](const TerminalSales&) { report(); },
                   [&](const Purchase&) { report(); },
                   [&](const Promotion&) { report(); },
                   [&](const Display&) { report(); },
                   [&](const Competitor&) { report(); },
                   [&](const DistributorStock&) { report(); },
                   [](const CheckOut&) {},
                   [](const FlowReport&) {},  // its rules read the books throughout
                   [&](const UnsupportedPayload& unknown) {
                       verdict.add(ReasonCode::unsupported_kind,
                                   "payload member " + std::to_string(unknown.member) +
                                       " is not known to this gateway");
                   },
               },
               record.payload);
    return own;
}

std::optional<Reason> photo_not_reused(const StoredFacts& facts) {
    if (!facts.photo_sent_with) return std::nullopt;
    return Reason{ReasonCode::photo_reused,
                  "the same photo was sent before with " + *facts.photo_sent_with};
}

Verdict validate(const Record& record, const MasterData& master, OwnFindings own,
                 const std::optional<OpenVisit>& open, const StoredFacts& facts) {
    Verdict verdict = std::move(own.verdict);
    verdict.add(correction_known(record, facts));
    verdict.add(photo_not_reused(facts));
    auto in_visit = [&](const std::string& terminal) {
        if (facts.corrected_visit == terminal) return;  // the corrected record's visit
        verdict.add(inside_open_visit(terminal, open));
    };
    std::visit(
        Overloaded{
            [](const CheckIn&) {},
            [&](const StockCount& count) {
                in_visit(count.terminal);
                if (facts.channel)
                    verdict.add(count_within_deliveries(count, *facts.channel, facts.tolerance));
            },
            [&](const CheckOut& out) { verdict.add(closes_open_visit(out, open)); },
            [&](const Scan& scan) {
                const ScanContent& content = own.content.value();  // examine() classified it
                verdict.add(pack_not_seen_elsewhere(content, scan.terminal, facts.pack_seen_at));
                if (facts.channel)
                    verdict.add(
                        lot_came_through_channel(scan.terminal, content, master, *facts.channel));
                in_visit(scan.terminal);
            },
            [&](const TerminalSales& r) { in_visit(r.terminal); },
            [&](const Purchase& r) { in_visit(r.terminal); },
            [&](const Promotion& r) { in_visit(r.terminal); },
            [&](const Display& r) { in_visit(r.terminal); },
            [&](const Competitor& r) { in_visit(r.terminal); },
            [&](const DistributorStock& report) {
                if (facts.channel)
                    verdict.add(stock_matches_books(report, *facts.channel, facts.tolerance));
            },
            [&](const FlowReport& flow) {
                for (auto& r :
                     flow_rules(flow, master, master.rep(record.rep), facts.channel).reasons)
                    verdict.add(std::move(r));
            },
            [](const UnsupportedPayload&) {},
        },
        record.payload);
    return verdict;
}

Verdict validate(const Record& record, const MasterData& master,
                 const std::optional<OpenVisit>& open, const StoredFacts& facts) {
    return validate(record, master, examine(record, master), open, facts);
}

std::optional<OpenVisit> next_open_visit(const Record& record, const Verdict& verdict,
                                         const std::optional<OpenVisit>& open) {
    if (verdict.outcome() == Outcome::rejected) return open;
    return std::visit(Overloaded{
                          [&](const CheckIn& in) -> std::optional<OpenVisit> {
                              return OpenVisit{in.terminal, record.seq};
                          },
                          [&](const StockCount&) { return open; },
                          [&](const Scan&) { return open; },
                          [&](const auto&) { return open; },
                          [&](const CheckOut& out) -> std::optional<OpenVisit> {
                              if (open && open->terminal == out.terminal) return std::nullopt;
                              return open;
                          },
                          [&](const UnsupportedPayload&) { return open; },
                      },
                      record.payload);
}

}  // namespace fieldflow::core
