// fieldflow-agent: captures a rep's store visits into a durable outbox and
// uploads them when a network is there. Capture never touches the network.

#include <SQLiteCpp/Exception.h>

#include <fstream>
#include <set>
#include <iostream>

#include "core/master_data.h"

#include "agent/command_line.h"
#include "agent/gps_source.h"
#include "agent/outbox.h"
#include "agent/report_commands.h"
#include "agent/upload_command.h"
#include "agent/scan_command.h"
#include "agent/status.h"
#include "agent/sync.h"
#include "agent/verdicts.h"

using namespace fieldflow::agent;

namespace {

const std::map<std::string, std::vector<OptionSpec>> capture_and_sync_commands = {
    {"init", {{"device", true, true}, {"rep", true, true}, {"credential"}}},
    {"checkin",
     {{"terminal", true, true},
      {"lat"},
      {"lon"},
      {"accuracy"},
      {"gps"},
      {"gps-replay"},
      {"gpsd"},
      {"gps-wait"},
      {"max-fix-age"},
      {"max-accuracy"}}},
    {"count", {{"product", true, true}, {"qty", true, true}, {"lot"}}},
    {"checkout", {}},
    {"sync", {{"gateway", true, true}, {"batch"}, {"retry-for"}, {"ca"}}},
    {"status", {{"json", false}}},
    {"scan", {{"image", false, false, true}, {"line", false}, {"from"}, {"count", false}}},
    {"catalog", {{"products", true, true}}},
    {"verdicts", {{"last"}}},
    {"config", {{"outbox-limit", true, true}}},
    {"upload", {{""}, {"encoding"}}},
};

// Commands that capture one record can correct an earlier one.
const std::set<std::string> correctable = {
    "checkin",   "count",   "sales",      "purchase",
    "promotion", "display", "competitor", "distributor-stock"};

std::map<std::string, std::vector<OptionSpec>> all_commands() {
    auto all = capture_and_sync_commands;
    for (const auto& [name, options] : report_command_options()) all.emplace(name, options);
    for (const auto& name : correctable) all[name].push_back({"corrects"});
    return all;
}

SyncOptions sync_options(const CommandLine& line) {
    SyncOptions options;
    std::string address = line.required("gateway");
    auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
        throw UsageError("--gateway expects HOST:PORT, got \"" + address + "\"");
    options.host = address.substr(0, colon);
    options.port = address.substr(colon + 1);
    if (auto batch = line.integer_or("batch")) {
        if (*batch <= 0) throw UsageError("--batch must be positive");
        options.batch = static_cast<std::size_t>(*batch);
    }
    options.ca = line.value("ca").value_or("");
    if (auto retry = line.integer_or("retry-for")) {
        if (*retry < 0) throw UsageError("--retry-for must not be negative");
        options.retry_for = std::chrono::seconds(*retry);
    }
    return options;
}

int scan(Outbox& outbox, const CommandLine& line) {
    ScanRequest request;
    request.count = line.flag("count");
    request.images = line.rest();
    std::ifstream device;
    if (line.flag("line") || line.value("from")) {
        if (!request.images.empty())
            throw UsageError("scan takes --image FILE... or --line, not both");
        if (auto from = line.value("from")) {
            device.open(*from, std::ios::binary);
            if (!device) throw Refused("cannot open scanner device " + *from);
            request.lines = &device;
        } else {
            request.lines = &std::cin;
        }
    } else if (!line.flag("image") || request.images.empty()) {
        throw UsageError("scan needs --image FILE... or --line [--from DEVICE]");
    }
    return scan_command(outbox, request, std::cout);
}

int load_catalog(Outbox& outbox, const std::string& products_csv) {
    auto load = fieldflow::core::load_products(products_csv);
    for (const auto& e : load.errors)
        std::cerr << e.file << ':' << e.line << ": " << e.message << '\n';
    if (load.data.products.empty()) throw Refused("no products loaded from " + products_csv);
    std::vector<Outbox::CatalogEntry> entries;
    for (const auto& [id, p] : load.data.products)
        entries.push_back({p.id, p.name, p.gtin, p.drug_code_prefix});
    outbox.replace_catalog(entries);
    std::cout << "catalogue: " << entries.size() << " products\n";
    return load.errors.empty() ? 0 : 1;
}

struct Position {
    double lat = 0, lon = 0, accuracy = 0;
    FixFacts fix;
};

// The check-in's position: typed in (--lat/--lon/--accuracy), or the latest
// fix of a receiver (--gps DEVICE) or a recording (--gps-replay FILE). A fix
// that is too old or too coarse still checks the rep in, marked as such.
Position check_in_position(Outbox& outbox, const CommandLine& line) {
    auto device = line.value("gps"), replay = line.value("gps-replay"), gpsd = line.value("gpsd");
    if (!device && !replay && !gpsd) {
        Position p{line.number("lat"), line.number("lon"), line.number("accuracy"), {}};
        if (p.lat < -90 || p.lat > 90) throw UsageError("--lat must be within -90..90");
        if (p.lon < -180 || p.lon > 180) throw UsageError("--lon must be within -180..180");
        if (p.accuracy < 0) throw UsageError("--accuracy must not be negative");
        return p;
    }
    if ((device ? 1 : 0) + (replay ? 1 : 0) + (gpsd ? 1 : 0) > 1)
        throw UsageError("checkin takes one of --gps, --gps-replay and --gpsd");
    fieldflow::core::FixLimits limits;
    if (auto age = line.integer_or("max-fix-age")) limits.max_age_ms = *age * 1000;
    if (line.value("max-accuracy")) limits.max_accuracy_m = line.number("max-accuracy");
    auto wait = std::chrono::seconds(line.integer_or("gps-wait").value_or(10));
    auto reading = [&] {
        if (replay) return replay_gps(*replay);
        if (device) return read_gps_device(*device, wait, limits);
        auto colon = gpsd->rfind(':');
        if (colon == std::string::npos)
            throw UsageError("--gpsd expects HOST:PORT (gpsd listens on 2947)");
        return read_gpsd(gpsd->substr(0, colon), gpsd->substr(colon + 1), wait, limits);
    }();
    if (reading.clock_skew_ms) outbox.set_clock_skew(*reading.clock_skew_ms);
    auto status = reading.tracker.assess(limits);
    auto fix = reading.tracker.latest();
    Position p;
    if (fix) p = {fix->lat, fix->lon, fix->accuracy_m, {}};
    p.fix.age_ms = reading.tracker.fix_age_ms().value_or(0);
    switch (status) {
        case fieldflow::core::FixStatus::ok:
            p.fix.status = fieldflow::wire::FixStatus::OK;
            break;
        case fieldflow::core::FixStatus::stale_fix:
            p.fix.status = fieldflow::wire::FixStatus::STALE_FIX;
            break;
        case fieldflow::core::FixStatus::low_accuracy:
            p.fix.status = fieldflow::wire::FixStatus::LOW_ACCURACY;
            break;
        case fieldflow::core::FixStatus::no_fix:
            p.fix.status = fieldflow::wire::FixStatus::NO_FIX;
            break;
    }
    std::cout << "GPS: " << reading.sentences << " sentences (" << reading.rejected
              << " rejected); ";
    if (fix)
        std::cout << "fix " << p.lat << ", " << p.lon << " ±" << static_cast<int>(p.accuracy)
                  << " m, " << fix->satellites << " satellites, " << p.fix.age_ms / 1000
                  << " s old";
    else
        std::cout << "no fix: checking in without a position";
    if (status != fieldflow::core::FixStatus::ok)
        std::cout << " — the check-in will be marked for review";
    std::cout << '\n';
    return p;
}

int run(const CommandLine& line) {
    Outbox outbox(line.state());
    if (auto seq = line.integer_or("corrects")) {
        if (*seq <= 0)
            throw UsageError("--corrects takes the number of the record being corrected");
        outbox.correct_next(static_cast<std::uint64_t>(*seq));
    }
    const auto& command = line.command();
    if (command == "init") {
        outbox.init({line.required("device"), line.required("rep")});
        if (auto credential = line.value("credential")) outbox.set_credential(*credential);
        std::cout << "handheld ready as " << line.required("device") << " for rep "
                  << line.required("rep") << (line.value("credential") ? ", enrolled" : "") << '\n';
    } else if (command == "checkin") {
        auto [lat, lon, accuracy, fix] = check_in_position(outbox, line);
        auto done = outbox.check_in(line.required("terminal"), lat, lon, accuracy, fix);
        if (done.closed)
            std::cout << "closed the open visit at " << done.closed->terminal
                      << " automatically (record " << done.seq - 1 << ")\n";
        std::cout << "checked in at " << line.required("terminal") << " (record " << done.seq
                  << ")\n";
    } else if (command == "count") {
        // Any whole number goes to the gateway, which judges it (a negative
        // count is rejected there, with a reason the rep sees); only what the
        // record cannot carry is refused here.
        auto qty = line.integer("qty");
        if (qty < INT32_MIN || qty > INT32_MAX)
            throw UsageError("--qty is out of range: " + std::to_string(qty));
        auto seq = outbox.count(line.required("product"), qty, line.value("lot").value_or(""));
        std::cout << "counted " << line.required("product") << " (record " << seq << ")\n";
    } else if (command == "checkout") {
        auto seq = outbox.check_out();
        std::cout << "checked out (record " << seq << ")\n";
    } else if (command == "sync") {
        return sync(outbox, sync_options(line));
    } else if (command == "status") {
        print_status(outbox, std::cout, line.flag("json"));
    } else if (command == "scan") {
        return scan(outbox, line);
    } else if (command == "catalog") {
        return load_catalog(outbox, line.required("products"));
    } else if (command == "verdicts") {
        auto last = line.integer_or("last").value_or(50);
        if (last <= 0) throw UsageError("--last must be positive");
        auto verdicts = outbox.verdicts(static_cast<std::size_t>(last));
        if (verdicts.empty()) std::cout << "nothing flagged or rejected\n";
        for (const auto& v : verdicts) std::cout << in_plain_words(v) << '\n';
    } else if (command == "upload") {
        return upload(outbox, line);
    } else if (run_report_command(outbox, line)) {
        // the report command saved and announced its record
    } else if (command == "config") {
        auto limit = line.integer("outbox-limit");
        if (limit <= 0) throw UsageError("--outbox-limit must be positive");
        outbox.set_outbox_limit(static_cast<std::uint64_t>(limit));
        std::cout << "outbox limit: " << limit << " records\n";
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        CommandLine line({argv + 1, argv + argc}, all_commands());
        return run(line);
    } catch (const UsageError& e) {
        std::cerr << "fieldflow-agent: " << e.what() << "\n" << usage;
        return 2;
    } catch (const Refused& e) {
        std::cerr << "fieldflow-agent: " << e.what() << '\n';
        return 1;
    } catch (const SQLite::Exception& e) {
        std::cerr << "fieldflow-agent: outbox error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "fieldflow-agent: " << e.what() << '\n';
        return 1;
    }
}
