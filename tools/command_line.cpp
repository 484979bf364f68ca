#include "tools/command_line.h"

#include <charconv>
#include <iostream>

#include "program/command_line.h"
#include "store/audit_log.h"
#include "store/sql.h"
#include "tools/option_types.h"

namespace fieldflow::tools {

namespace {

const char* const store_help = "The gateway's store: a SQLite file or postgresql://...";
const char* const master_help = "The master data folder";
const char* const by_help = "Who is acting (default: the login name)";
const char* const store_group = "The gateway's store";
const char* const books_group = "Distribution books";
const char* const generators_group = "Sample data, barcodes and load";

CLI::Option* add_db(CLI::App& sub, std::string& db) {
    return sub.add_option("--db", db, store_help)->required()->type_name("DB");
}

CLI::Option* add_master(CLI::App& sub, std::string& dir) {
    return sub.add_option("--master", dir, master_help)->required()->type_name("DIR");
}

CLI::Option* add_out(CLI::App& sub, std::string& file) {
    return sub.add_option("--out", file, "The workbook to write, with --format xlsx")
        ->type_name("FILE");
}

CLI::Option* add_targets(CLI::App& sub, core::VisitTargets& out) {
    return sub
        .add_option_function<std::string>(
            "--targets",
            [&out](const std::string& text) {
                auto targets = parse_targets(text);
                if (!targets)
                    throw CLI::ValidationError("--targets is like A=4,B=3,C=1, not \"" + text +
                                               "\"");
                out = *targets;
            },
            "Monthly visits an A, B and C terminal should get")
        ->type_name("A=N,B=N,C=N")
        ->default_str("A=4,B=3,C=1");
}

}  // namespace

CommandLine::CommandLine()
    : app_("The operators' command line over the gateway's store and the master data.",
           "fieldflow") {
    // --log-level may follow the command too: fieldflow loadgen ... --log-level debug.
    app_.fallthrough();
    // At most one: an unknown word is then named as unexpected, rather than
    // hidden behind "a subcommand is required".
    app_.require_subcommand(0, 1);
    program::add_log_level(app_, log_level_);
    app_.get_option("--log-level")->type_name("trace|debug|info|warn|error|critical|off");
    add_store_commands();
    add_plan_commands();
    add_book_commands();
    add_generators();
    auto* help = app_.add_subcommand("help", "The commands and what they do")->group("");
    on_chosen(help, [this](const program::Log&) {
        std::cout << app_.get_formatter()->make_help(&app_, "fieldflow",
                                                     CLI::AppFormatMode::Normal);
        return 0;
    });
}

void CommandLine::on_chosen(CLI::App* sub, Command command) {
    std::string name = sub->get_name();
    for (auto* parent = sub->get_parent(); parent && parent != &app_; parent = parent->get_parent())
        name.insert(0, parent->get_name() + " ");
    sub->callback([this, command = std::move(command), name] {
        chosen_ = command;
        chosen_name_ = name;
    });
}

int CommandLine::run(const program::Log& log) const {
    if (!chosen_) {
        std::cerr << "fieldflow: a command is required\n\n" << app_.help();
        return program::usage_exit;
    }
    try {
        return chosen_(log);
    } catch (const store::sql::Error& error) {
        // The transaction that met the lock has rolled back as the error
        // unwound it: nothing of the command's writes stands.
        if (!error.busy()) throw;
        std::cerr << "fieldflow " << chosen_name_
                  << ": the store is busy (another writer holds it); try again\n";
        return 1;
    }
}

void CommandLine::add_store_commands() {
    auto* records = app_.add_subcommand(
        "records", "Every stored record as one JSON object per line, with its payload's fields");
    records->group(store_group);
    add_db(*records, records_.db);
    add_choice(*records, "--verdict", records_.verdict, {"accepted", "flagged", "rejected"},
               "Only records with this verdict");
    records->add_option("--kind", records_.kind, "Only records of this kind (check_in, scan, ...)");
    records->add_option("--device", records_.device, "Only records from this device");
    on_chosen(records, [this](const program::Log&) { return records_command(records_); });

    auto* photo = app_.add_subcommand("photo", "Photos the handhelds sent (storefronts, shelves)");
    photo->group(store_group)->require_subcommand(1);
    auto* photo_get =
        photo->add_subcommand("get", "A photo's bytes, by the SHA-256 its record carries");
    photo_get->add_option("sha256", photo_.sha256, "The photo's hex SHA-256")->required();
    add_db(*photo_get, photo_.db);
    photo_get->add_option("--out", photo_.out, "Write it to FILE instead of standard output")
        ->type_name("FILE");
    on_chosen(photo_get, [this](const program::Log&) { return photo_command(photo_); });

    auto* summary =
        app_.add_subcommand("summary", "Counts by verdict and kind, and the most frequent reasons");
    summary->group(store_group);
    add_db(*summary, summary_.db);
    on_chosen(summary, [this](const program::Log&) { return summary_command(summary_); });

    auto* device = app_.add_subcommand("device", "Which handhelds may upload, and for which rep");
    device->group(store_group)->require_subcommand(1);
    auto* enroll = device->add_subcommand("enroll", "Enrol a handheld; prints its credential once");
    enroll->add_option("--device", device_.device, "The device's id")->required();
    enroll->add_option("--rep", device_.rep, "The rep who carries it")->required();
    add_db(*enroll, device_.db);
    enroll->add_option("--master", device_.master, "Check the rep against this master data")
        ->type_name("DIR");
    enroll->add_option("--by", device_.by, by_help);
    auto* revoke = device->add_subcommand("revoke", "Refuse a handheld from its next batch on");
    revoke->add_option("DEVICE", device_.device, "The device's id")->required();
    add_db(*revoke, device_.db);
    revoke->add_option("--by", device_.by, by_help);
    // The audit log says why, as the console's revoke does.
    revoke->add_option("--reason", device_.reason, "Why it is refused (lost, stolen, replaced…)")
        ->required();
    auto* devices = device->add_subcommand("list", "Every enrolled handheld as CSV");
    add_db(*devices, device_.db);
    for (auto [sub, action] : {std::pair{enroll, "enroll"}, {revoke, "revoke"}, {devices, "list"}})
        on_chosen(sub, [this, action = std::string(action)](const program::Log&) {
            device_.action = action;
            return device_command(device_);
        });

    auto* master = app_.add_subcommand(
        "master", "Master data in the store, versioned: what the running gateways judge against");
    master->group(store_group)->require_subcommand(1);
    auto* import_master = master->add_subcommand(
        "import", "Store the folder's CSV files as a new version, if they changed anything");
    import_master
        ->add_option("DIR", master_.dir,
                     "Folder with products.csv, terminals.csv, distributors.csv, reps.csv")
        ->required()
        ->type_name("DIR");
    add_db(*import_master, master_.db);
    add_choice(*import_master, "--encoding", master_.encoding, {"utf-8", "gbk"},
               "The files' encoding");
    import_master->add_option("--by", master_.by, by_help);
    auto* versions =
        master->add_subcommand("list", "Every version as CSV, with rows added, changed, removed");
    add_db(*versions, master_.db);
    for (auto [sub, action] : {std::pair{import_master, "import"}, {versions, "list"}})
        on_chosen(sub, [this, action = std::string(action)](const program::Log&) {
            master_.action = action;
            return master_command(master_);
        });

    auto* op = app_.add_subcommand(
        "operator", "Who may log in to the gateway's web pages, and with which role");
    op->group(store_group)->require_subcommand(1);
    auto* add = op->add_subcommand("add",
                                   "Add an operator, or change one; the password is read "
                                   "from stdin");
    add->add_option("NAME", operator_.name, "The operator's login name")->required();
    add_choice(*add, "--role", operator_.role, {"viewer", "reviewer", "admin"},
               "What the operator may do")
        ->required();
    add->add_option("--territories", operator_.territories,
                    "Territory codes the operator sees, comma-separated (CN-SH covers "
                    "CN-SH-PD); without it, every territory");
    add_db(*add, operator_.db);
    add->add_option("--by", operator_.by, by_help);
    auto* scope = op->add_subcommand(
        "scope", "Give an operator other territories, keeping the password; ends their sessions");
    scope->add_option("NAME", operator_.name, "The operator's login name")->required();
    auto* listed = scope->add_option("--territories", operator_.territories,
                                     "Territory codes the operator sees, comma-separated");
    auto* every = scope->add_flag("--all", operator_.all_territories, "Every territory");
    listed->excludes(every);
    add_db(*scope, operator_.db);
    scope->add_option("--by", operator_.by, by_help);
    auto* remove = op->add_subcommand("remove", "Remove an operator");
    remove->add_option("NAME", operator_.name, "The operator's login name")->required();
    add_db(*remove, operator_.db);
    remove->add_option("--by", operator_.by, by_help);
    auto* operators =
        op->add_subcommand("list", "Every operator, role and territories (empty: all) as CSV");
    add_db(*operators, operator_.db);
    for (auto [sub, action] :
         {std::pair{add, "add"}, {scope, "scope"}, {remove, "remove"}, {operators, "list"}})
        on_chosen(sub, [this, action = std::string(action)](const program::Log&) {
            operator_.action = action;
            return operator_command(operator_);
        });

    auto* audit = app_.add_subcommand(
        "audit", "Check the hash-chained audit log against the stored rows, or list it");
    audit->group(store_group)->require_subcommand(1);
    for (auto [action, help] :
         {std::pair{"verify", "Check every entry and the rows it vouches for; exit 1 if broken"},
          {"list", "Every entry of the audit log as CSV"},
          {"head", "The last entry as ENTRY:HASH, to keep outside the store"}}) {
        auto* sub = audit->add_subcommand(action, help);
        add_db(*sub, audit_.db);
        if (std::string(action) == "verify")
            sub->add_option_function<std::string>(
                   "--head",
                   [this](const std::string& text) {
                       auto head = store::parse_head(text);
                       if (!head)
                           throw CLI::ValidationError(
                               "--head " + text +
                               ": not ENTRY:HASH as `fieldflow audit head` prints it");
                       audit_.head = *head;
                   },
                   "Also check that the chain still has this head, from `fieldflow audit head`")
                ->type_name("ENTRY:HASH");
        on_chosen(sub, [this, action = std::string(action)](const program::Log&) {
            audit_.action = action;
            return audit_command(audit_);
        });
    }

    auto* backup = app_.add_subcommand(
        "backup", "Copy a SQLite store consistently while a gateway writes to it");
    backup->group(store_group);
    add_db(*backup, backup_.db);
    backup->add_option("--out", backup_.out, "The copy to write (a new file)")
        ->required()
        ->type_name("FILE");
    add_count(*backup, "--pages-per-step", backup_.pages_per_step, 1, 1'000'000,
              "Pages copied at a time; between steps writers have the store");
    on_chosen(backup, [this](const program::Log&) { return backup_command(backup_); });
    auto* restore = app_.add_subcommand(
        "restore", "Put a backup in place of a SQLite store that no gateway has open");
    restore->group(store_group);
    restore->add_option("--from", restore_.from, "The backup, from fieldflow backup")
        ->required()
        ->type_name("FILE");
    add_db(*restore, restore_.db);
    restore->add_flag("--replace", restore_.replace,
                      "Replace an existing store, keeping it as DB.before-restore");
    on_chosen(restore, [this](const program::Log&) { return restore_command(restore_); });

    auto* effectiveness = app_.add_subcommand(
        "effectiveness", "Visits per rep and day, minutes in store, A/B/C coverage");
    effectiveness->group(store_group);
    add_period(*effectiveness, "--period", effectiveness_.period, "The month")->required();
    add_db(*effectiveness, effectiveness_.db);
    add_master(*effectiveness, effectiveness_.master);
    add_choice(*effectiveness, "--view", effectiveness_.view,
               {"grades", "reps", "terminals", "plan"},
               "Coverage by grade, visits per rep and day, visits per terminal, or each rep's "
               "day against its plan");
    add_choice(*effectiveness, "--format", effectiveness_.format, {"csv", "xlsx"},
               "How to print it (xlsx: an Excel workbook, to --out)");
    add_out(*effectiveness, effectiveness_.out);
    add_targets(*effectiveness, effectiveness_.targets);
    on_chosen(effectiveness,
              [this](const program::Log&) { return effectiveness_command(effectiveness_); });
}

void CommandLine::add_plan_commands() {
    auto* plan = app_.add_subcommand(
        "plan", "Visit plans: which terminals each rep visits on a day, and in which order");
    plan->group(store_group)->require_subcommand(1);
    auto* import_plan = plan->add_subcommand(
        "import", "Replace each rep's day the CSV file names; a bad row imports nothing");
    import_plan->add_option("FILE", plan_.file, "rep_id,date,terminal_id,purpose,order")
        ->required()
        ->type_name("FILE");
    add_db(*import_plan, plan_.db);
    add_choice(*import_plan, "--encoding", plan_.encoding, {"utf-8", "gbk"}, "The file's encoding");
    import_plan->add_option("--by", plan_.by, by_help);
    auto* generate = plan->add_subcommand(
        "generate", "Propose a month's plans from the visit targets, as the import's CSV");
    add_period(*generate, "--month", plan_.month, "The month")->required();
    add_db(*generate, plan_.db);
    add_targets(*generate, plan_.targets);
    generate->add_option("--out", plan_.out, "Write the CSV here (default: stdout)")
        ->type_name("FILE");
    generate->add_flag("--apply", plan_.apply, "Import the proposal at once");
    generate->add_option("--by", plan_.by, by_help);
    auto* list = plan->add_subcommand("list", "A day's plan, per rep, in order");
    list->add_option("--rep", plan_.rep, "Only this rep (default: every rep)");
    list->add_option_function<std::string>(
            "--date",
            [this](const std::string& text) {
                auto day = core::parse_date(text);
                if (!day)
                    throw CLI::ValidationError("--date is a day, YYYY-MM-DD, not \"" + text + "\"");
                plan_.date = *day;
            },
            "The day")
        ->required()
        ->type_name("YYYY-MM-DD");
    add_db(*list, plan_.db);
    list->add_flag("--json", plan_.json, "As one JSON object");
    for (auto [sub, action] :
         {std::pair{import_plan, "import"}, {generate, "generate"}, {list, "list"}})
        on_chosen(sub, [this, action = std::string(action)](const program::Log&) {
            plan_.action = action;
            return plan_command(plan_);
        });
}

void CommandLine::add_book_commands() {
    auto* importing = app_.add_subcommand(
        "import", "Shipments, flows, stock reports or opening balances from a CSV file");
    importing->group(books_group);
    importing
        ->add_option_function<std::string>(
            "KIND",
            [this](const std::string& text) {
                auto kind = core::import_kind_from_name(text);
                if (!kind)
                    throw CLI::ValidationError(
                        "KIND is shipments, flows, stock or opening, not \"" + text + "\"");
                import_.kind = *kind;
            },
            "What the file holds")
        ->required()
        ->type_name("shipments|flows|stock|opening");
    importing->add_option("FILE", import_.file, "The CSV file")->required();
    add_db(*importing, import_.db);
    add_choice(*importing, "--encoding", import_.encoding, {"utf-8", "gbk"}, "The file's encoding");
    importing->add_option("--by", import_.by, by_help);
    on_chosen(importing, [this](const program::Log&) { return import_command(import_); });

    auto* ledger = app_.add_subcommand(
        "ledger", "The purchase-sales-stock ledger of a month, per holder, terminal or product");
    ledger->group(books_group);
    add_period(*ledger, "--period", ledger_.period, "The month")->required();
    add_db(*ledger, ledger_.db);
    add_master(*ledger, ledger_.master);
    add_choice(*ledger, "--format", ledger_.format, {"csv", "json", "xlsx"},
               "How to print it (xlsx: an Excel workbook, to --out)");
    add_out(*ledger, ledger_.out);
    add_choice(*ledger, "--view", ledger_.view, {"holders", "terminals", "channel"},
               "Each holder's ledger, what each terminal bought, or the channel's stock");
    on_chosen(ledger, [this](const program::Log&) { return ledger_command(ledger_); });

    auto* anomalies =
        app_.add_subcommand("anomalies", "Every finding of the anomaly scan, for a month or all");
    anomalies->group(books_group);
    add_period(*anomalies, "--period", anomalies_.period, "Only this month (default: every one)");
    add_db(*anomalies, anomalies_.db);
    add_master(*anomalies, anomalies_.master);
    add_choice(*anomalies, "--format", anomalies_.format, {"csv", "json", "xlsx"},
               "How to print them (xlsx: an Excel workbook, to --out)");
    add_out(*anomalies, anomalies_.out);
    // Whole units: a fraction is cut off, as it always was.
    add_amount(
        *anomalies, "--tolerance-units",
        [this](double units) { anomalies_.tolerance.units = static_cast<std::int64_t>(units); },
        double(anomalies_.tolerance.units),
        "Stock off the ledger by up to this many units is no finding");
    add_amount(
        *anomalies, "--tolerance-percent",
        [this](double percent) { anomalies_.tolerance.percent = percent; },
        anomalies_.tolerance.percent, "... nor by up to this percentage of the ledger");
    on_chosen(anomalies, [this](const program::Log&) { return anomalies_command(anomalies_); });

    auto* period = app_.add_subcommand("period", "Month-end close");
    period->group(books_group)->require_subcommand(1);
    auto* close = period->add_subcommand("close", "Close a month: its figures stay as reported");
    add_period(*close, "PERIOD", period_.period, "The month")->required();
    add_db(*close, period_.db);
    close->add_option("--by", period_.by, by_help);
    close->add_option("--reason", period_.reason, "Why it is closed now (optional)");
    auto* reopen = period->add_subcommand("reopen", "Reopen a closed month, saying why");
    add_period(*reopen, "PERIOD", period_.period, "The month")->required();
    reopen->add_option("--reason", period_.reason, "Why it is reopened")->required();
    add_db(*reopen, period_.db);
    reopen->add_option("--by", period_.by, by_help);
    auto* periods = period->add_subcommand("list", "Every close and reopening");
    add_db(*periods, period_.db);
    for (auto [sub, action] : {std::pair{close, "close"}, {reopen, "reopen"}, {periods, "list"}})
        on_chosen(sub, [this, action = std::string(action)](const program::Log& log) {
            period_.action = action;
            return period_command(period_, log);
        });

    auto* flows = app_.add_subcommand("flows", "Operators' corrections of flow rows");
    flows->group(books_group)->require_subcommand(1);
    auto* adjust = flows->add_subcommand(
        "adjust", "Correct one field of one flow row; the imported row is kept");
    adjust->add_option("FLOW_ID", flows_.flow_id, "The flow row")->required();
    adjust
        ->add_option_function<std::string>(
            "--qty",
            [this](const std::string& text) {
                long long qty = 0;
                auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), qty);
                if (error != std::errc() || end != text.data() + text.size() || qty == 0)
                    throw CLI::ValidationError(
                        "--qty expects a whole number other than 0 (negative for a return), "
                        "got \"" +
                        text + "\"");
                flows_.qty = text;
            },
            "The quantity")
        ->type_name("N:!=0");
    adjust->add_option("--buyer", flows_.buyer, "The buyer's id");
    adjust->add_option("--lot", flows_.lot, "The lot");
    adjust
        ->add_option_function<std::string>(
            "--date",
            [this](const std::string& text) {
                if (!core::parse_date(text))
                    throw CLI::ValidationError("--date is a day, YYYY-MM-DD, not \"" + text + "\"");
                flows_.date = text;
            },
            "The date")
        ->type_name("YYYY-MM-DD");
    adjust->add_option("--reason", flows_.reason, "Why")->required();
    add_db(*adjust, flows_.db);
    adjust->add_option("--by", flows_.by, by_help);
    auto* adjustments = flows->add_subcommand("adjustments", "Every adjustment as CSV");
    add_db(*adjustments, flows_.db);
    for (auto [sub, action] : {std::pair{adjust, "adjust"}, {adjustments, "adjustments"}})
        on_chosen(sub, [this, action = std::string(action)](const program::Log&) {
            flows_.action = action;
            return flows_command(flows_);
        });
}  // namespace fieldflow::tools

void CommandLine::add_generators() {
    auto* loadgen = app_.add_subcommand(
        "loadgen", "Simulated handhelds: committed records/s, ack latency, exactly once");
    loadgen->group(generators_group);
    loadgen
        ->add_option("--gateway", loadgen_.gateway,
                     "The gateway to load, or several on one store sharing the fleet")
        ->required()
        ->check(program::host_ports())
        ->type_name("HOST:PORT[,HOST:PORT...]");
    add_master(*loadgen, loadgen_.master);
    add_count(*loadgen, "--agents", loadgen_.agents, 1, 999, "Simulated handhelds");
    add_count(*loadgen, "--records", loadgen_.records, 1, 1'000'000, "Records each one sends");
    add_count(*loadgen, "--batch", loadgen_.batch, 1, 100'000, "Records a batch");
    add_count(*loadgen, "--rate", loadgen_.rate, 1, 10'000'000,
              "Records a second for the whole fleet (default: as fast as acked)")
        ->default_str("");
    loadgen
        ->add_option_function<std::string>(
            "--mix",
            [this](const std::string& text) {
                std::string error;
                auto mix = parse_mix(text, error);
                if (!mix) throw CLI::ValidationError("--mix " + text + ": " + error);
                loadgen_.mix = *mix;
            },
            "How many of a visit's eight middle records are of each kind, in turn")
        ->type_name("KIND=N,...")
        ->default_str("count=4,scan=3,sales=1");
    loadgen->add_option("--db", loadgen_.db, "Enrol the devices in this store first")
        ->type_name("DB");
    loadgen->add_option("--prefix", loadgen_.prefix, "Devices are named PREFIX-NNNNN")
        ->capture_default_str();
    add_count(*loadgen, "--first-device", loadgen_.first_device, 1, 999,
              "The first device's number");
    loadgen->add_option("--ca", loadgen_.ca, "Connect over TLS, trusting this CA certificate")
        ->type_name("FILE");
    on_chosen(loadgen, [this](const program::Log& log) { return loadgen_command(loadgen_, log); });

    auto* decode =
        app_.add_subcommand("decode", "Every barcode in the images as JSON lines, with its fields");
    decode->group(generators_group);
    decode->add_option("IMAGE", decode_.images, "PNG, JPEG or WebP images")->required();
    on_chosen(decode, [this](const program::Log&) { return decode_command(decode_); });

    auto* masterdata = app_.add_subcommand("masterdata", "Sample master data");
    masterdata->group(generators_group)->require_subcommand(1);
    auto* generate =
        masterdata->add_subcommand("generate", "Write a consistent sample of master data");
    generate->add_option("--out", masterdata_.out, "The folder to write")
        ->required()
        ->type_name("DIR");
    add_count(*generate, "--seed", masterdata_.seed, 1, 1'000'000, "The random seed");
    add_count(*generate, "--terminals", masterdata_.terminals, 1, 1'000'000, "Terminals");
    add_count(*generate, "--reps", masterdata_.reps, 1, 1'000'000, "Reps");
    on_chosen(generate, [this](const program::Log&) { return masterdata_command(masterdata_); });

    auto* demo = app_.add_subcommand(
        "demo-data", "Write master data and books with known anomalies and their answer key");
    demo->group(generators_group);
    demo->add_option("--out", demo_data_.out, "The folder to write")->required()->type_name("DIR");
    constexpr unsigned most = 100'000'000;
    add_count(*demo, "--seed", demo_data_.seed, 1, most, "The random seed");
    add_count(*demo, "--terminals", demo_data_.terminals, 1, most, "Terminals");
    add_count(*demo, "--months", demo_data_.months, 1, most, "Months of books");
    add_count(*demo, "--orders", demo_data_.orders, 1, most, "Orders a terminal makes a month");
    add_count(*demo, "--anomalies", demo_data_.anomalies, 1, most,
              "Anomalies of every reason to inject");
    add_period(*demo, "--start", demo_data_.start, "The first month")->default_str("2026-01");
    on_chosen(demo, [this](const program::Log&) { return demo_data_command(demo_data_); });
}

}  // namespace fieldflow::tools
