// The command line of every `fieldflow` command, parsed in this process:
// usage on --help, the flag named when it is missing or out of range, and
// the documented defaults.

#include <doctest/doctest.h>

#include <filesystem>

#include "support/has.h"
#include "support/process.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::has;
using fieldflow::test::run_fieldflow;

namespace {

// The command paths an operator can ask --help of.
const std::vector<std::vector<std::string>> commands = {
    {"records"},
    {"summary"},
    {"device"},
    {"device", "enroll"},
    {"device", "revoke"},
    {"device", "list"},
    {"operator"},
    {"operator", "add"},
    {"operator", "scope"},
    {"operator", "remove"},
    {"operator", "list"},
    {"audit"},
    {"audit", "verify"},
    {"audit", "list"},
    {"effectiveness"},
    {"import"},
    {"ledger"},
    {"anomalies"},
    {"period"},
    {"period", "close"},
    {"period", "reopen"},
    {"period", "list"},
    {"flows"},
    {"flows", "adjust"},
    {"flows", "adjustments"},
    {"loadgen"},
    {"decode"},
    {"masterdata"},
    {"masterdata", "generate"},
    {"demo-data"},
};

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    return text;
}

}  // namespace

TEST_CASE("tools command line: --help of every command prints its usage and exits 0") {
    for (const auto& command : commands) {
        auto args = command;
        args.push_back("--help");
        auto ran = run_fieldflow(args);
        INFO(joined(command));
        CHECK(ran.code == 0);
        CHECK(has(ran.out, "Usage: fieldflow " + joined(command)));
        CHECK(ran.err.empty());
    }
    auto top = run_fieldflow({"--help"});
    CHECK(top.code == 0);
    for (const char* name :
         {"records", "summary", "device", "operator", "audit", "effectiveness", "import", "ledger",
          "anomalies", "period", "flows", "loadgen", "decode", "masterdata", "demo-data"})
        CHECK_MESSAGE(has(top.out, std::string("\n  ") + name + " "), name);
    auto help = run_fieldflow({"help"});
    CHECK(help.code == 0);
    CHECK(help.out == top.out);
}

TEST_CASE("tools command line: no command, or an unknown one, shows the usage and exits 2") {
    auto none = run_fieldflow({});
    CHECK(none.code == 2);
    CHECK(has(none.err, "a command is required"));
    CHECK(has(none.err, "Usage: fieldflow"));
    auto unknown = run_fieldflow({"frobnicate"});
    CHECK(unknown.code == 2);
    CHECK(has(unknown.err, "not expected: frobnicate"));
    CHECK(has(unknown.err, "Usage: fieldflow"));
    auto bare = run_fieldflow({"period"});
    CHECK(bare.code == 2);
    CHECK(has(bare.err, "Usage: fieldflow period"));
}

TEST_CASE("tools command line: a missing required option or argument is named, exit 2") {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"records"}, "--db"},
        {{"summary"}, "--db"},
        {{"device", "enroll", "--device", "d1", "--db", "x.db"}, "--rep"},
        {{"device", "revoke", "--db", "x.db"}, "DEVICE"},
        {{"device", "revoke", "d1", "--db", "x.db"}, "--reason"},
        {{"operator", "add", "li", "--db", "x.db"}, "--role"},
        {{"operator", "remove", "--db", "x.db"}, "NAME"},
        {{"audit", "verify"}, "--db"},
        {{"effectiveness", "--db", "x.db", "--master", "m"}, "--period"},
        {{"import", "flows", "--db", "x.db"}, "FILE"},
        {{"import", "flows", "f.csv"}, "--db"},
        {{"ledger", "--period", "2026-03", "--db", "x.db"}, "--master"},
        {{"anomalies", "--master", "m"}, "--db"},
        {{"period", "close", "--db", "x.db"}, "PERIOD"},
        {{"period", "reopen", "2026-03", "--db", "x.db"}, "--reason"},
        {{"flows", "adjust", "F1", "--qty", "3", "--db", "x.db"}, "--reason"},
        {{"loadgen", "--master", "m"}, "--gateway"},
        {{"loadgen", "--gateway", "127.0.0.1:7700"}, "--master"},
        {{"decode"}, "IMAGE"},
        {{"masterdata", "generate"}, "--out"},
        {{"demo-data"}, "--out"},
    };
    for (const auto& [given, flag] : cases) {
        const auto& args = given;  // not a binding: INFO captures it (clang 14)
        auto ran = run_fieldflow(args);
        INFO(joined(args));
        INFO(ran.err);
        CHECK(ran.code == 2);
        CHECK(has(ran.err, flag));
        CHECK(has(ran.err, "Usage: fieldflow " + args[0]));
    }
}

TEST_CASE("tools command line: a value out of its range names the flag and the range, exit 2") {
    fieldflow::test::TempDir dir;
    std::string db = dir / "untouched.db";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"loadgen", "--gateway", "h:1", "--master", "m", "--agents", "1000"},
         "--agents expects a whole number from 1 to 999, got \"1000\""},
        {{"loadgen", "--gateway", "h:1", "--master", "m", "--agents", "0"},
         "--agents expects a whole number from 1 to 999, got \"0\""},
        {{"loadgen", "--gateway", "h:1", "--master", "m", "--records", "ten"},
         "--records expects a whole number from 1 to 1000000, got \"ten\""},
        {{"loadgen", "--gateway", "h:1", "--master", "m", "--batch", "100001"},
         "--batch expects a whole number from 1 to 100000"},
        {{"loadgen", "--gateway", "h:1", "--master", "m", "--rate", "-5"},
         "--rate expects a whole number from 1 to 10000000, got \"-5\""},
        {{"loadgen", "--gateway", "h:1", "--master", "m", "--first-device", "1000"},
         "--first-device expects a whole number from 1 to 999"},
        {{"loadgen", "--gateway", "nowhere", "--master", "m"}, "--gateway"},
        {{"loadgen", "--gateway", "h:70000", "--master", "m"}, "HOST:PORT"},
        {{"loadgen", "--gateway", "h:1", "--master", "m", "--mix", "count=4,scans=2"},
         "--mix count=4,scans=2: scans is not a kind"},
        {{"masterdata", "generate", "--out", "d", "--terminals", "0"},
         "--terminals expects a whole number from 1 to 1000000, got \"0\""},
        {{"demo-data", "--out", "d", "--months", "2.5"},
         "--months expects a whole number from 1 to 100000000, got \"2.5\""},
        {{"demo-data", "--out", "d", "--start", "2026-13"},
         "--start is a month, YYYY-MM, not \"2026-13\""},
        {{"ledger", "--period", "26-03", "--db", db, "--master", "m"},
         "--period is a month, YYYY-MM, not \"26-03\""},
        {{"ledger", "--period", "2026-03", "--db", db, "--master", "m", "--format", "xml"},
         "--format is csv, json or xlsx, not \"xml\""},
        {{"ledger", "--period", "2026-03", "--db", db, "--master", "m", "--view", "rep"},
         "--view is holders, terminals or channel, not \"rep\""},
        {{"anomalies", "--db", db, "--master", "m", "--tolerance-percent", "-1"},
         "--tolerance-percent is a number >= 0, not \"-1\""},
        {{"anomalies", "--db", db, "--master", "m", "--tolerance-units", "two"},
         "--tolerance-units is a number >= 0, not \"two\""},
        {{"records", "--db", db, "--verdict", "maybe"},
         "--verdict is accepted, flagged or rejected, not \"maybe\""},
        {{"effectiveness", "--period", "2026-03", "--db", db, "--master", "m", "--targets", "D=1"},
         "--targets is like A=4,B=3,C=1, not \"D=1\""},
        {{"effectiveness", "--period", "2026-03", "--db", db, "--master", "m", "--view", "days"},
         "--view is grades, reps, terminals or plan, not \"days\""},
        {{"import", "invoices", "f.csv", "--db", db},
         "KIND is shipments, flows, stock or opening, not \"invoices\""},
        {{"import", "flows", "f.csv", "--db", db, "--encoding", "latin1"},
         "--encoding is utf-8 or gbk, not \"latin1\""},
        {{"operator", "add", "li", "--role", "root", "--db", db},
         "--role is viewer, reviewer or admin, not \"root\""},
        {{"period", "close", "2026-3", "--db", db}, "PERIOD is a month, YYYY-MM, not \"2026-3\""},
        {{"flows", "adjust", "F1", "--qty", "0", "--reason", "r", "--db", db},
         "--qty expects a whole number other than 0 (negative for a return), got \"0\""},
        {{"flows", "adjust", "F1", "--qty", "3x", "--reason", "r", "--db", db}, "--qty expects"},
        {{"flows", "adjust", "F1", "--date", "2026-02-30", "--reason", "r", "--db", db},
         "--date is a day, YYYY-MM-DD, not \"2026-02-30\""},
        {{"--log-level", "loud", "summary", "--db", db}, "--log-level"},
    };
    for (const auto& [given, message] : cases) {
        const auto& args = given;  // not a binding: INFO captures it (clang 14)
        auto ran = run_fieldflow(args);
        INFO(joined(args));
        INFO(ran.err);
        CHECK(ran.code == 2);
        CHECK(has(ran.err, message));
        CHECK(has(ran.err, "Usage: fieldflow"));
        CHECK(ran.out.empty());
    }
    // Refused before anything was opened.
    CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("tools command line: the usage shows each option's documented default") {
    auto loadgen = run_fieldflow({"loadgen", "--help"}).out;
    CHECK(has(loadgen, "--agents N:1..999=10"));
    CHECK(has(loadgen, "--records N:1..1000000=1000"));
    CHECK(has(loadgen, "--batch N:1..100000=100"));
    CHECK(has(loadgen, "--first-device N:1..999=1"));
    CHECK(has(loadgen, "--prefix TEXT=lg"));
    CHECK(has(loadgen, "--mix KIND=N,...=count=4,scan=3,sales=1"));
    auto ledger = run_fieldflow({"ledger", "--help"}).out;
    CHECK(has(ledger, "--format csv|json|xlsx=csv"));
    CHECK(has(ledger, "--view holders|terminals|channel=holders"));
    auto anomalies = run_fieldflow({"anomalies", "--help"}).out;
    CHECK(has(anomalies, "--tolerance-units NUMBER:>=0=2"));
    CHECK(has(anomalies, "--tolerance-percent NUMBER:>=0=5"));
    auto effectiveness = run_fieldflow({"effectiveness", "--help"}).out;
    CHECK(has(effectiveness, "--view grades|reps|terminals|plan=grades"));
    CHECK(has(effectiveness, "--format csv|xlsx=csv"));
    CHECK(has(effectiveness, "=A=4,B=3,C=1"));
    auto demo = run_fieldflow({"demo-data", "--help"}).out;
    CHECK(has(demo, "--seed N:1..100000000=1"));
    CHECK(has(demo, "--terminals N:1..100000000=40"));
    CHECK(has(demo, "--months N:1..100000000=3"));
    CHECK(has(demo, "--start YYYY-MM=2026-01"));
    auto generate = run_fieldflow({"masterdata", "generate", "--help"}).out;
    CHECK(has(generate, "--terminals N:1..1000000=40"));
    CHECK(has(generate, "--reps N:1..1000000=6"));
    CHECK(has(run_fieldflow({"import", "--help"}).out, "--encoding utf-8|gbk=utf-8"));
}

TEST_CASE("tools command line: the option structs hold the documented defaults") {
    tools::LoadgenOptions loadgen;
    CHECK(loadgen.agents == 10);
    CHECK(loadgen.records == 1000);
    CHECK(loadgen.batch == 100);
    CHECK(loadgen.rate == 0);
    CHECK(loadgen.prefix == "lg");
    CHECK(loadgen.first_device == 1);
    tools::AnomaliesOptions anomalies;
    CHECK(anomalies.tolerance.units == 2);
    CHECK(anomalies.tolerance.percent == 5);
    CHECK_FALSE(anomalies.period);
    CHECK(tools::ImportOptions{}.encoding == "utf-8");
    CHECK(tools::LedgerOptions{}.view == "holders");
    CHECK(tools::EffectivenessOptions{}.view == "grades");
    tools::DemoDataOptions demo;
    CHECK(core::format_period(demo.start) == "2026-01");
}

TEST_CASE("tools command line: masterdata generate runs with the values given") {
    fieldflow::test::TempDir dir;
    auto ran = run_fieldflow(
        {"masterdata", "generate", "--out", dir / "master", "--terminals", "7", "--reps", "3"});
    CHECK(ran.code == 0);
    CHECK(has(ran.out, "wrote 10 products, 7 terminals, 5 distributors, 3 reps"));
    auto master = core::load_master_data(dir / "master");
    CHECK(master.data.terminals.size() == 7);
    CHECK(master.data.reps.size() == 3);
}

TEST_CASE("tools command line: values in range reach the command, negative and dashed ones too") {
    fieldflow::test::TempDir dir;
    std::string nowhere = dir / "nowhere.db";
    const std::vector<std::vector<std::string>> cases = {
        // A return is a negative quantity.
        {"flows", "adjust", "F1", "--qty", "-2", "--reason", "return", "--db", nowhere},
        {"period", "reopen", "2026-03", "--reason", "-typo", "--db", nowhere},
        // --log-level before the command or after it.
        {"--log-level", "debug", "summary", "--db", nowhere},
        {"summary", "--db", nowhere, "--log-level", "warn"},
        {"records", "--db", nowhere, "--verdict", "flagged", "--kind", "scan"},
        {"ledger", "--period", "2026-12", "--db", nowhere, "--master", "m", "--view", "channel"},
    };
    for (const auto& args : cases) {
        auto ran = run_fieldflow(args);
        INFO(joined(args));
        CHECK(ran.code == 1);  // parsed, run, and stopped at the missing store
        CHECK(has(ran.err, "no store at " + nowhere));
    }
}
