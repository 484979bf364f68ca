// Scans from the handheld to the gateway: codes from a scan engine and from
// camera frames, counted by scanning, and judged at the gateway.

#include <doctest/doctest.h>

#include <csignal>
#include <fstream>

#include "support/gateway_process.h"
#include "support/master_fixture.h"
#include "support/handheld.h"
#include "support/process.h"

using namespace fieldflow::test;

namespace {

const std::string samples = std::string(FIELDFLOW_SOURCE_DIR) + "/../shared/barcode-samples";

// Runs `fieldflow-agent scan --line ...` with `lines` as the scan engine's output.
RunResult scan_lines(const Handheld& h, const std::string& lines,
                     std::vector<std::string> extra = {}) {
    auto file = h.dir / "engine.txt";
    std::ofstream(file, std::ios::binary) << lines;
    std::vector<std::string> args{"scan", "--line", "--from", file};
    args.insert(args.end(), extra.begin(), extra.end());
    return h(args);
}

}  // namespace

TEST_CASE("scan: a scan engine's lines become scans, and counting counts a serialised pack once") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    TempDir master_dir;
    auto master = write_master_fixture(master_dir.path());
    CHECK(h({"catalog", "--products", master + "/products.csv"}).code == 0);
    CHECK(scan_lines(h, "6901234567892\n").code == 1);  // no open visit yet
    h(check_in_t1);
    auto r = scan_lines(h,
                        "]d20106901234567892172612311"
                        "0LOT42\x1d"
                        "21SN1\r\n"
                        "]d20106901234567892172612311"
                        "0LOT42\x1d"
                        "21SN1\r\n"
                        "]d20106901234567892172612311"
                        "0LOT42\x1d"
                        "21SN2\r\n"
                        "6901234567809\n",
                        {"--count"});
    CHECK(r.code == 0);
    CHECK(r.out.find("already counted") != std::string::npos);
    CHECK(r.out.find("P1 lot LOT42 qty 2") != std::string::npos);
    CHECK(r.out.find("P2 qty 1") != std::string::npos);
    auto status = h({"status", "--json"}).out;
    CHECK(status.find("\"depth\":7") != std::string::npos);  // check-in, 4 scans, 2 counts
}

TEST_CASE("scan: codes in camera frames are recorded, a frame without one records nothing") {
    Handheld h;
    h({"init", "--device", "dev-001", "--rep", "R1"});
    h(check_in_t1);
    auto r =
        h({"scan", "--image", samples + "/ean13-3/03.webp", samples + "/falsepositives-1/01.webp"});
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(r.out.find("no barcode found") != std::string::npos);
    CHECK(h({"status", "--json"}).out.find("\"depth\":2") != std::string::npos);
    CHECK(h({"scan", "--image", h.dir / "missing.png"}).code == 1);
}

TEST_CASE(
    "scan: the gateway flags unknown products, expired lots, reused serials and unreadable "
    "content") {
    TempDir dir;
    auto master = write_master_fixture(dir.path());
    GatewayProcess gateway(master, dir.store("gateway.db"), "127.0.0.1:0", dir / "gateway.log");
    Handheld a, b;
    a({"init", "--device", "dev-001", "--rep", "R1"});
    b({"init", "--device", "dev-002", "--rep", "R2"});
    a(check_in_t1);
    scan_lines(a,
               "6901234567892\n"                        // known, accepted
               "4006381333931\n"                        // unknown product
               "(01)06901234567892(17)200131(10)OLD\n"  // expired
               "86123450001234567890\n"                 // serialised pack at T1
               "]E06901234567891\n");                   // wrong check digit
    CHECK(a({"sync", "--gateway", gateway.address()}).code == 0);
    b({"checkin", "--terminal", "T2", "--lat", "30.259", "--lon", "120.13", "--accuracy", "8"});
    scan_lines(b, "86123450001234567890\n");  // the same pack, now at T2
    CHECK(b({"sync", "--gateway", gateway.address()}).code == 0);

    auto flagged = run({binary("fieldflow"), "records", "--db", dir.store("gateway.db"), "--kind",
                        "scan", "--verdict", "flagged"})
                       .out;
    INFO(flagged);
    CHECK(flagged.find("\"code\":\"unknown_product\"") != std::string::npos);
    CHECK(flagged.find("\"code\":\"expired\"") != std::string::npos);
    CHECK(flagged.find("\"code\":\"duplicate_serial\"") != std::string::npos);
    CHECK(flagged.find("\"code\":\"unparsed_code\"") != std::string::npos);
    CHECK(flagged.find("\"content\":\"]E06901234567891\"") != std::string::npos);  // kept as read
    CHECK(store_scalar(dir.store("gateway.db"),
                       "SELECT count(*) FROM records WHERE kind = 'scan'") == 6);

    // The rep reads the verdicts on the handheld, in plain words.
    auto told = a({"verdicts"}).out;
    CHECK(told.find("scan, flagged: an expired pack — expired 2020-01-31") != std::string::npos);
    CHECK(told.find("the barcode was not understood") != std::string::npos);
    CHECK(told.find("the product is not in the master data") != std::string::npos);
    CHECK(store_scalar(
              dir.store("gateway.db"),
              "SELECT count(*) FROM records WHERE kind = 'scan' AND verdict = 'accepted'") == 2);
}

TEST_CASE("decode: a GS1 DataMatrix prints its fields, a frame without a code prints nothing") {
    auto gs1 = run(
        {binary("fieldflow"), "decode", samples + "/datamatrix-1/gs1-figure-4.15.1-2-32x32.png"});
    CHECK(gs1.code == 0);
    CHECK(gs1.out.find("\"gtin\":\"09504000059101\"") != std::string::npos);
    CHECK(gs1.out.find("\"lot\":\"1234567p\"") != std::string::npos);
    CHECK(gs1.out.find("\"expiry\":\"2014-11-20\"") != std::string::npos);
    CHECK(gs1.out.find("\"serial\":\"12345678p901\"") != std::string::npos);
    auto none = run({binary("fieldflow"), "decode", samples + "/falsepositives-1/01.webp"});
    CHECK(none.code == 0);
    CHECK(none.out.empty());
    CHECK(run({binary("fieldflow"), "decode", "/no/such/file.png"}).code == 1);
}
