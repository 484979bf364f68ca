// fieldflow-agent: captures a rep's store visits into a durable outbox and
// uploads them when a network is there. Capture never touches the network.
// This file only builds the command line and wires each command to the
// agent library.

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/catalog_command.h"
#include "agent/gateway_ca.h"
#include "agent/check_in_place.h"
#include "agent/check_in_position.h"
#include "agent/outbox.h"
#include "agent/pin_commands.h"
#include "agent/plan_command.h"
#include "agent/report_commands.h"
#include "agent/scan_command.h"
#include "agent/serve_command.h"
#include "agent/status.h"
#include "agent/sync.h"
#include "agent/upload_command.h"
#include "agent/usage_error.h"
#include "agent/today.h"
#include "agent/verdicts.h"
#include "core/clock.h"
#include "core/enrolment_uri.h"
#include "program/command_line.h"
#include "program/message_language.h"
#include "program/config_file.h"
#include "program/log.h"
#include "schemas/record_codec.h"

namespace program = fieldflow::program;
namespace core = fieldflow::core;
using namespace fieldflow::agent;

namespace {

// What a quantity on the wire can carry (Int32).
const auto quantity = CLI::Range(std::int64_t{std::numeric_limits<std::int32_t>::min()},
                                 std::int64_t{std::numeric_limits<std::int32_t>::max()});
const auto price = CLI::Range(0.0, max_price_yuan);
const auto non_empty = CLI::Validator(
    [](std::string& value) { return value.empty() ? std::string("must not be empty") : ""; }, "");

CLI::Option* text(CLI::App* command, const std::string& flag, std::string& into,
                  const std::string& about, bool required = true) {
    auto* option = command->add_option(flag, into, about)->check(non_empty);
    if (required) option->required();
    return option;
}

// A mistake found once the command line parsed, shown as program::parse
// shows one: what was wrong, then the command's usage.
int usage_mistake(const CLI::App& command, const std::string& what) {
    std::cerr << "fieldflow-agent: " << what << "\n\n" << command.help();
    return program::usage_exit;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app(
        "Captures a rep's store visits into a durable outbox and uploads them to the "
        "gateway when a network is there.",
        "fieldflow-agent");
    app.require_subcommand(1);
    // --state and --log-level may also follow the command.
    app.fallthrough();
    std::string state;
    app.add_option("--state", state, "The handheld's state folder (its outbox)")
        ->required()
        ->check(non_empty);
    auto log_level = spdlog::level::info;
    program::add_log_level(app, log_level);

    // Each command, once parsed, runs against the outbox.
    std::vector<std::pair<CLI::App*, std::function<int(Outbox&)>>> commands;
    auto command = [&](const char* name, const char* about, std::function<int(Outbox&)> run) {
        auto* sub = app.add_subcommand(name, about);
        commands.emplace_back(sub, std::move(run));
        return sub;
    };
    // Capture commands can correct an earlier record, which is kept.
    std::optional<std::int64_t> corrects;
    auto correctable = [&](CLI::App* sub) {
        sub->add_option("--corrects", corrects,
                        "This record corrects the earlier record SEQ, which is kept")
            ->check(CLI::PositiveNumber);
    };

    std::string device, rep;
    std::optional<std::string> credential, enrolment_text, init_gateway;
    std::optional<std::string> init_ca;  // the enrolment's CA certificate (DER), if it names one
    // The enrolment, when scanned, stands for --device, --rep and --credential.
    auto init_handheld = [&](Outbox& outbox) {
        if (enrolment_text) {
            auto read = core::read_enrolment_uri(*enrolment_text);
            if (!read.enrolment) throw UsageError("--enrolment: " + read.problem);
            auto& enrolment = *read.enrolment;
            if (!rep.empty() && !enrolment.rep.empty() && rep != enrolment.rep)
                throw UsageError("--rep " + rep + " contradicts the enrolment, which is for rep " +
                                 enrolment.rep);
            if (enrolment.rep.empty() && rep.empty())
                throw UsageError(
                    "this enrolment does not name the rep (its gateway is older): add "
                    "--rep ID");
            device = enrolment.device;
            if (rep.empty()) rep = enrolment.rep;
            credential = enrolment.credential;
            if (!init_gateway) init_gateway = enrolment.gateway;
            init_ca = enrolment.ca;
        } else if (device.empty() || rep.empty()) {
            throw UsageError("init needs --enrolment URI, or --device ID and --rep ID");
        }
        // Checked as sync will read it, before anything is written.
        if (init_gateway) program::endpoints(*init_gateway, "--gateway");
        outbox.init({device, rep});
        if (credential) outbox.set_credential(*credential);
        if (init_gateway) outbox.set_gateway(*init_gateway);
        if (init_ca) {
            try {
                keep_gateway_ca(state, *init_ca);
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--enrolment: ") + e.what());
            }
        }
        std::cout << "handheld ready as " << device << " for rep " << rep
                  << (credential ? ", enrolled" : "")
                  << (init_gateway ? ", syncing with " + *init_gateway : "")
                  << (init_ca && !init_ca->empty() ? " over TLS, trusting the enrolment's CA" : "")
                  << '\n';
        return 0;
    };
    auto* init =
        command("init", "Bind this handheld to a device id and a rep (once), from the enrolment",
                init_handheld);
    auto* enrolment_option = init->add_option(
        "--enrolment", enrolment_text,
        "The enrolment URI (fieldflow:enrol?...) of the console's QR code, as scanned: device, "
        "rep, credential and gateway in one");
    auto* device_option = text(init, "--device", device, "The device id", false);
    text(init, "--rep", rep, "The rep who carries it", false);
    auto* credential_option = init->add_option(
        "--credential", credential, "The TOKEN `fieldflow device enroll` printed for this device");
    enrolment_option->excludes(device_option, credential_option);
    init->add_option("--gateway", init_gateway,
                     "The gateway's HOST:PORT (or several, comma-separated) that sync and serve "
                     "use when not given one; default: the enrolment's")
        ->check(program::host_ports());

    CheckInPlace place;
    std::optional<std::string> storefront_photo;
    PositionSource position;
    std::int64_t gps_wait_s = 10;
    auto* checkin = command(
        "checkin", "Open a visit at a terminal (closes an open one automatically)",
        [&](Outbox& outbox) {
            if (place.terminal.empty() && !place.nearest)
                throw UsageError("checkin needs --terminal ID or --nearest");
            position.gps_wait = std::chrono::seconds(gps_wait_s);
            auto in = check_in_position(outbox, place.terminal, position, std::cout);
            place_check_in(outbox, in, place, std::cout);
            if (storefront_photo) attach_photo(outbox, in, *storefront_photo);
            auto done = outbox.check_in(in);
            if (done.closed)
                std::cout << "closed the open visit at " << done.closed->terminal
                          << " automatically (record " << done.seq - 1 << ")\n";
            std::cout << "checked in at " << in.terminal << " (record " << done.seq << ")\n";
            return 0;
        });
    auto* terminal_option = text(checkin, "--terminal", place.terminal,
                                 "The terminal (pharmacy, clinic) visited", false);
    checkin
        ->add_flag("--nearest", place.nearest,
                   "At the known terminal closest to the position (from the master data sync "
                   "downloads)")
        ->excludes(terminal_option);
    checkin
        ->add_option("--reason", place.reason,
                     "Why the check-in is farther from the terminal than its radius allows")
        ->check(non_empty);
    auto* lat = checkin->add_option("--lat", position.lat, "Latitude typed in, degrees")
                    ->check(CLI::Range(-90.0, 90.0));
    auto* lon = checkin->add_option("--lon", position.lon, "Longitude typed in, degrees")
                    ->check(CLI::Range(-180.0, 180.0));
    auto* accuracy =
        checkin->add_option("--accuracy", position.accuracy_m, "Accuracy typed in, metres")
            ->check(CLI::NonNegativeNumber);
    lat->needs(lon, accuracy);
    lon->needs(lat, accuracy);
    accuracy->needs(lat, lon);
    auto* gps = checkin->add_option("--gps", position.gps_device,
                                    "Read the fix from a receiver's NMEA stream on DEVICE");
    auto* replay = checkin->add_option("--gps-replay", position.gps_replay,
                                       "Read the fix from a recorded NMEA stream in FILE");
    auto* gpsd = checkin
                     ->add_option("--gpsd", position.gpsd,
                                  "Read the fix from gpsd at HOST:PORT (it listens on 2947)")
                     ->check(program::host_port());
    for (auto* receiver : {gps, replay, gpsd})
        for (auto* other : {gps, replay, gpsd, lat})
            if (receiver != other) receiver->excludes(other);
    checkin
        ->add_option("--max-fix-age", position.max_fix_age_s,
                     "A fix older than S seconds is marked stale")
        ->check(CLI::NonNegativeNumber);
    checkin
        ->add_option("--max-accuracy", position.max_accuracy_m,
                     "A fix coarser than M metres is marked for review")
        ->check(CLI::NonNegativeNumber);
    checkin->add_option("--gps-wait", gps_wait_s, "Wait S seconds at most for a receiver's fix")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    checkin->add_option("--photo", storefront_photo,
                        "A photo of the storefront (门头照, FILE), kept on the handheld until "
                        "the gateway has it");
    correctable(checkin);

    std::string product, lot;
    std::int64_t qty = 0;
    auto* count = command("count", "Count stock in the open visit", [&](Outbox& outbox) {
        // Any whole number goes to the gateway, which judges it (a negative
        // count is rejected there, with a reason the rep sees); only what the
        // record cannot carry is refused here.
        auto seq = outbox.count(product, qty, lot);
        std::cout << "counted " << product << " (record " << seq << ")\n";
        return 0;
    });
    text(count, "--product", product, "The product counted");
    count->add_option("--qty", qty, "Packs counted")->required()->check(quantity);
    count->add_option("--lot", lot, "The lot, when it shows");
    correctable(count);

    command("checkout", "Close the open visit", [&](Outbox& outbox) {
        auto seq = outbox.check_out();
        std::cout << "checked out (record " << seq << ")\n";
        return 0;
    });

    std::string gateway;
    SyncOptions sync_options;
    std::int64_t retry_for_s = sync_options.retry_for.count();
    std::shared_ptr<spdlog::logger> sync_log;
    auto* sync_command = command(
        "sync",
        "Upload the outbox; exits 0 when it is empty, 75 when the gateway stayed unreachable",
        [&](Outbox& outbox) {
            if (gateway.empty()) gateway = outbox.gateway();
            if (gateway.empty())
                throw UsageError(
                    "sync needs --gateway HOST:PORT: init remembered none (init --enrolment "
                    "does)");
            auto endpoints = program::endpoints(gateway, "--gateway");
            sync_options.host = endpoints.front().host;
            sync_options.port = std::to_string(endpoints.front().port);
            for (std::size_t i = 1; i < endpoints.size(); ++i)
                sync_options.more_gateways.push_back(
                    {endpoints[i].host, std::to_string(endpoints[i].port)});
            sync_options.retry_for = std::chrono::seconds(retry_for_s);
            sync_options.ca = trusted_ca(state, sync_options.ca);
            sync_options.log = sync_log;
            return sync(outbox, sync_options);
        });
    sync_command
        ->add_option("--gateway", gateway,
                     "The gateway's HOST:PORT, or several on one store, tried in turn when one "
                     "fails; default: the one init remembered")
        ->check(program::host_ports());
    sync_command->add_option(
        "--ca", sync_options.ca,
        "Over TLS, verified against the CA certificate in FILE; default: the one the "
        "enrolment named (required for a gateway off loopback)");
    sync_command->add_option("--batch", sync_options.batch, "Records in one batch, at most")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
        ->capture_default_str();
    sync_command
        ->add_option("--retry-for", retry_for_s, "Keep trying an unreachable gateway for SECONDS")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();

    bool json = false;
    auto* status = command("status", "Outbox depth, open visit, last ack", [&](Outbox& outbox) {
        print_status(outbox, std::cout, json);
        return 0;
    });
    status->add_flag("--json", json, "As one JSON object");

    std::optional<std::string> plan_day;
    auto* plan = command("plan", "The visit plan sync downloaded, day by day", [&](Outbox& outbox) {
        print_plan(outbox, plan_day, json, core::unix_now_ms(), std::cout);
        return 0;
    });
    plan->add_option("--day", plan_day, "Only DAY (YYYY-MM-DD)");
    plan->add_flag("--json", json, "As one JSON object");

    PositionSource here;
    std::optional<double> here_lat, here_lon;
    auto* today_command = command(
        "today", "Today's planned stops, with distances and done marks, and terminals nearby",
        [&](Outbox& outbox) {
            std::optional<core::Fix> fix;
            if (here_lat) {
                fix = core::Fix{};
                fix->lat = *here_lat;
                fix->lon = *here_lon;
            } else if (here.gps_device || here.gps_replay || here.gpsd) {
                here.gps_wait = std::chrono::seconds(gps_wait_s);
                // The receiver's account goes where the JSON does not.
                auto in = check_in_position(outbox, "", here, json ? std::cerr : std::cout);
                if (in.fix != core::FixJudgement::none) {
                    fix = core::Fix{};
                    fix->lat = in.lat;
                    fix->lon = in.lon;
                    fix->accuracy_m = in.accuracy_m;
                }
            }
            print_today(today(outbox, fix, core::unix_now_ms()), json, std::cout);
            return 0;
        });
    auto* here_lat_option =
        today_command->add_option("--lat", here_lat, "Latitude typed in, degrees")
            ->check(CLI::Range(-90.0, 90.0));
    auto* here_lon_option =
        today_command->add_option("--lon", here_lon, "Longitude typed in, degrees")
            ->check(CLI::Range(-180.0, 180.0));
    here_lat_option->needs(here_lon_option);
    here_lon_option->needs(here_lat_option);
    auto* here_gps = today_command->add_option(
        "--gps", here.gps_device, "Read the fix from a receiver's NMEA stream on DEVICE");
    auto* here_replay = today_command->add_option(
        "--gps-replay", here.gps_replay, "Read the fix from a recorded NMEA stream in FILE");
    auto* here_gpsd = today_command
                          ->add_option("--gpsd", here.gpsd,
                                       "Read the fix from gpsd at HOST:PORT (it listens on 2947)")
                          ->check(program::host_port());
    for (auto* receiver : {here_gps, here_replay, here_gpsd})
        for (auto* other : {here_gps, here_replay, here_gpsd, here_lat_option})
            if (receiver != other) receiver->excludes(other);
    today_command
        ->add_option("--gps-wait", gps_wait_s, "Wait S seconds at most for a receiver's fix")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    today_command->add_flag("--json", json, "As one JSON object");

    ScanSources scan_sources;
    bool scan_count = false;
    auto* scan = command(
        "scan", "Read every barcode in camera frames, or one code per line from a scan engine",
        [&](Outbox& outbox) {
            return scan_from(outbox, scan_sources, scan_count, std::cin, std::cout);
        });
    auto* images =
        scan->add_option("--image", scan_sources.images,
                         "Camera frames (PNG, JPEG, PGM, WebP): EAN-13, UPC-A, EAN-8, ITF-14, "
                         "Code 128, GS1 DataBar (not Limited), DataMatrix, QR");
    auto* line = scan->add_flag("--line", scan_sources.line,
                                "One code per line from a scan engine (standard input), AIM "
                                "prefix (]C1, ]d2, ...) and GS separators understood");
    auto* from = scan->add_option("--from", scan_sources.from,
                                  "The scan engine's DEVICE instead of standard input");
    images->excludes(line, from);
    scan->add_flag("--count", scan_count, "Also count what was scanned per product and lot");

    std::string products_csv;
    auto* catalog = command(
        "catalog", "Load products.csv, for counting by scanning",
        [&](Outbox& outbox) { return load_catalog(outbox, products_csv, std::cout, std::cerr); });
    text(catalog, "--products", products_csv, "The master data's products.csv");

    std::int64_t last = 50;
    auto* verdicts = command("verdicts", "What the gateway flagged or rejected, in plain words",
                             [&](Outbox& outbox) {
                                 auto found = outbox.verdicts(static_cast<std::size_t>(last));
                                 if (found.empty()) std::cout << "nothing flagged or rejected\n";
                                 for (const auto& v : found) std::cout << in_plain_words(v) << '\n';
                                 return 0;
                             });
    verdicts->add_option("--last", last, "The N newest")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    std::int64_t outbox_limit = 0;
    auto* config = command("config", "Settings of this handheld", [&](Outbox& outbox) {
        outbox.set_outbox_limit(static_cast<std::uint64_t>(outbox_limit));
        std::cout << "outbox limit: " << outbox_limit << " records\n";
        return 0;
    });
    config
        ->add_option("--outbox-limit", outbox_limit,
                     "Refuse capture once N records wait for the gateway")
        ->required()
        ->check(CLI::PositiveNumber);

    // The rep's PIN: read from standard input, never from the command line.
    std::int64_t unlock_hours = default_unlock_hold.count();
    auto hold = [&] { return std::chrono::hours(unlock_hours); };
    auto* set_pin = command(
        "set-pin",
        "Seal the handheld's records, positions and photos under the rep's PIN (the current "
        "PIN, then the new one, when it has one)",
        [&](Outbox& outbox) { return set_pin_command(outbox, std::cin, std::cout, hold()); });
    auto* unlock = command(
        "unlock", "Unlock the handheld with the rep's PIN for the day",
        [&](Outbox& outbox) { return unlock_command(outbox, std::cin, std::cout, hold()); });
    for (auto* sub : {set_pin, unlock})
        sub->add_option("--hours", unlock_hours, "How long it stays unlocked")
            ->check(CLI::Range(1, 24))
            ->capture_default_str();
    command("lock", "Lock the handheld now, until the PIN unlocks it again",
            [&](Outbox& outbox) { return lock_command(outbox, std::cout); });

    UploadRequest upload_request;
    std::string encoding = "utf-8";
    auto* upload_command =
        command("upload",
                "A distributor's flow data or stock report (CSV), one record per row, queued "
                "together",
                [&](Outbox& outbox) {
                    upload_request.gbk = encoding == "gbk";
                    upload_request.chinese = program::chinese_messages();
                    return upload(outbox, upload_request, std::cout, std::cerr);
                });
    upload_command->add_option("kind", upload_request.kind, "flows or stock")
        ->required()
        ->check(CLI::IsMember({"flows", "stock"}));
    upload_command->add_option("file", upload_request.file, "The CSV file")->required();
    upload_command->add_option("--encoding", encoding, "The file's text encoding")
        ->check(CLI::IsMember({"utf-8", "gbk"}))
        ->capture_default_str();

    // Visit reports (巡店报告), saved in the open visit once their options
    // are read and `finish` has completed them; prices are typed in yuan and
    // kept in fen.
    auto visit_report = [&](const char* name, const char* about, auto& report,
                            const std::function<void(Outbox&)>& finish = {}) {
        return command(name, about, [&report, finish](Outbox& outbox) {
            if (finish) finish(outbox);
            save_visit_report(outbox, report, std::cout);
            return 0;
        });
    };
    core::TerminalSales sales;
    auto* sales_command = visit_report("sales", "Terminal sales since the last visit", sales);
    text(sales_command, "--product", sales.product, "The product sold");
    sales_command->add_option("--qty", sales.qty, "Packs sold")->required()->check(quantity);
    sales_command->add_option("--since", sales.since, "Sold since DATE (YYYY-MM-DD)");
    correctable(sales_command);

    core::Purchase purchase;
    auto* purchase_command = visit_report("purchase", "Stock the terminal received", purchase);
    text(purchase_command, "--product", purchase.product, "The product received");
    purchase_command->add_option("--qty", purchase.qty, "Packs received")
        ->required()
        ->check(quantity);
    purchase_command->add_option("--lot", purchase.lot, "The lot");
    text(purchase_command, "--supplier", purchase.supplier, "The distributor it came from");
    correctable(purchase_command);

    core::Promotion promotion;
    double promotion_price = 0;
    auto* promotion_command =
        visit_report("promotion", "A promotion running at the terminal", promotion,
                     [&](Outbox&) { promotion.price_fen = fen(promotion_price); });
    text(promotion_command, "--product", promotion.product, "The product promoted");
    text(promotion_command, "--kind", promotion.kind, "The kind of promotion");
    promotion_command->add_option("--price", promotion_price, "The price in yuan, e.g. 12.50")
        ->required()
        ->check(price);
    text(promotion_command, "--from", promotion.start, "First day (YYYY-MM-DD)");
    text(promotion_command, "--to", promotion.end, "Last day (YYYY-MM-DD)");
    correctable(promotion_command);

    core::Display display;
    std::optional<std::string> photo;
    auto* display_command =
        visit_report("display", "How the product is shelved", display, [&](Outbox& outbox) {
            if (photo) attach_photo(outbox, display, *photo);
        });
    text(display_command, "--product", display.product, "The product shelved");
    display_command->add_option("--facings", display.facings, "Facings on the shelf")
        ->required()
        ->check(quantity);
    text(display_command, "--position", display.shelf_position, "Where on the shelf (POS)");
    display_command->add_flag("--special", display.special, "A special display");
    display_command->add_option("--photo", photo,
                                "A photo of the shelf (FILE), kept on the handheld until the "
                                "gateway has it");
    correctable(display_command);

    core::Competitor competitor;
    std::optional<double> competitor_price;
    auto* competitor_command = visit_report(
        "competitor", "A competitor's product seen at the terminal", competitor,
        [&](Outbox&) { competitor.price_fen = competitor_price ? fen(*competitor_price) : 0; });
    text(competitor_command, "--brand", competitor.brand, "The competitor's brand");
    text(competitor_command, "--product", competitor.product, "Their product, as named");
    competitor_command->add_option("--price", competitor_price, "Its price in yuan")->check(price);
    competitor_command->add_option("--note", competitor.note, "Anything else seen");
    correctable(competitor_command);

    core::DistributorStock distributor_stock;
    auto* distributor_stock_command =
        command("distributor-stock", "A distributor's stock, as a commercial rep counted it",
                [&](Outbox& outbox) {
                    save_report(outbox, distributor_stock, std::cout);
                    return 0;
                });
    text(distributor_stock_command, "--distributor", distributor_stock.distributor,
         "The distributor");
    text(distributor_stock_command, "--product", distributor_stock.product, "The product");
    distributor_stock_command->add_option("--qty", distributor_stock.qty, "Packs in stock")
        ->required()
        ->check(quantity);
    text(distributor_stock_command, "--date", distributor_stock.date, "Counted on DATE");
    distributor_stock_command->add_option("--lot", distributor_stock.lot, "The lot");
    correctable(distributor_stock_command);

    ServeOptions serve_options;
    const program::Log* serve_log = nullptr;  // the one below, once the level is parsed
    auto* serve_command = command(
        "serve",
        "Run on the handheld: serve the rep's page on loopback, follow the GPS and the scan "
        "engine, sync in the background",
        [&](Outbox& outbox) { return serve(outbox, state, serve_options, *serve_log); });
    auto serve_config = add_serve_options(*serve_command, serve_options);
    // Also serve's own, so that the service's config file can set it.
    program::add_log_level(*serve_command, log_level);

    if (auto check = program::as_config_check(argc, argv)) {
        // Checking a file needs no handheld.
        app.get_option("--state")->required(false);
        return program::check_config(app, *serve_config, *check);
    }
    auto where = [&serve_config](const std::string& message) {
        return serve_config->where(message);
    };
    if (auto exit = program::parse(app, argc, argv, where)) return *exit;
    program::Log log(log_level);
    serve_log = &log;
    sync_log = log.component("sync");

    for (auto& [sub, run] : commands) {
        if (!sub->parsed()) continue;
        try {
            Outbox outbox(state);
            if (corrects) outbox.correct_next(static_cast<std::uint64_t>(*corrects));
            return run(outbox);
        } catch (const UsageError& e) {
            return usage_mistake(*sub, e.what());
        } catch (const CLI::ValidationError& e) {
            return usage_mistake(*sub, e.what());
        } catch (const Refused& e) {
            std::cerr << "fieldflow-agent: " << e.what() << '\n';
            return 1;
        } catch (const fieldflow::wire::Unencodable& e) {
            std::cerr << "fieldflow-agent: " << e.what() << "; nothing was saved\n";
            return 1;
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_FULL) {
                // A capture's transaction rolled back whole.
                std::cerr << "fieldflow-agent: the handheld's storage is full: free some space "
                             "on it; nothing was saved (the records already queued still sync)\n";
                return 1;
            }
            std::cerr << "fieldflow-agent: outbox error: " << e.what() << '\n';
            return 1;
        } catch (const std::exception& e) {
            std::cerr << "fieldflow-agent: " << e.what() << '\n';
            return 1;
        }
    }
    return 0;
}
