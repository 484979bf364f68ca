#include "agent/report_commands.h"

#include <cmath>
#include <filesystem>
#include <memory>
#include <fstream>
#include <iostream>
#include <iterator>

#include "core/digest.h"

namespace fieldflow::agent {

namespace {

// "12.5" yuan as 1250 fen.
std::int64_t fen(const CommandLine& line, const std::string& name) {
    double yuan = line.number(name);
    if (yuan < 0 || yuan > 1e9)
        throw UsageError("--" + name + " must be a price in yuan, e.g. 12.50");
    return std::llround(yuan * 100);
}

std::int32_t quantity(const CommandLine& line, const std::string& name) {
    auto value = line.integer(name);
    if (value < INT32_MIN || value > INT32_MAX) throw UsageError("--" + name + " is out of range");
    return static_cast<std::int32_t>(value);
}

// The photo's SHA-256, so the gateway can tell the photo it receives later
// is the one taken in the store.
std::string sha256_of_file(const std::string& path) {
    auto digest = core::sha256_hex_of_file(path);
    if (!digest) throw Refused("cannot read photo " + path);
    return *digest;
}

void saved(const char* what, std::uint64_t seq) {
    std::cout << what << " saved (record " << seq << ")\n";
}

}  // namespace

const std::map<std::string, std::vector<OptionSpec>>& report_command_options() {
    static const std::map<std::string, std::vector<OptionSpec>> options = {
        {"sales", {{"product", true, true}, {"qty", true, true}, {"since"}}},
        {"purchase",
         {{"product", true, true}, {"qty", true, true}, {"lot"}, {"supplier", true, true}}},
        {"promotion",
         {{"product", true, true},
          {"kind", true, true},
          {"price", true, true},
          {"from", true, true},
          {"to", true, true}}},
        {"display",
         {{"product", true, true},
          {"facings", true, true},
          {"position", true, true},
          {"special", false},
          {"photo"}}},
        {"competitor", {{"brand", true, true}, {"product", true, true}, {"price"}, {"note"}}},
        {"distributor-stock",
         {{"distributor", true, true},
          {"product", true, true},
          {"qty", true, true},
          {"lot"},
          {"date", true, true}}},
    };
    return options;
}

bool run_report_command(Outbox& outbox, const CommandLine& line) {
    const auto& c = line.command();
    if (c == "sales") {
        auto qty = quantity(line, "qty");
        saved("terminal sales",
              outbox.report_in_visit("terminal_sales",
                                     [&](auto payload, const std::string& terminal) {
                                         auto r = payload.initTerminalSales();
                                         r.setTerminal(terminal);
                                         r.setProduct(line.required("product"));
                                         r.setQty(qty);
                                         r.setSince(line.value("since").value_or(""));
                                     }));
    } else if (c == "purchase") {
        auto qty = quantity(line, "qty");
        saved("purchase",
              outbox.report_in_visit("purchase", [&](auto payload, const std::string& terminal) {
                  auto r = payload.initPurchase();
                  r.setTerminal(terminal);
                  r.setProduct(line.required("product"));
                  r.setLot(line.value("lot").value_or(""));
                  r.setQty(qty);
                  r.setSupplier(line.required("supplier"));
              }));
    } else if (c == "promotion") {
        auto price = fen(line, "price");
        saved("promotion",
              outbox.report_in_visit("promotion", [&](auto payload, const std::string& terminal) {
                  auto r = payload.initPromotion();
                  r.setTerminal(terminal);
                  r.setProduct(line.required("product"));
                  r.setKind(line.required("kind"));
                  r.setPriceFen(price);
                  r.setStart(line.required("from"));
                  r.setEnd(line.required("to"));
              }));
    } else if (c == "display") {
        auto facings = quantity(line, "facings");
        auto photo = line.value("photo");
        std::string hash = photo ? sha256_of_file(*photo) : "";
        saved("display",
              outbox.report_in_visit("display", [&](auto payload, const std::string& terminal) {
                  auto r = payload.initDisplay();
                  r.setTerminal(terminal);
                  r.setProduct(line.required("product"));
                  r.setSpecial(line.flag("special"));
                  r.setFacings(facings);
                  r.setShelfPosition(line.required("position"));
                  if (photo) {
                      r.setPhotoFile(std::filesystem::path(*photo).filename().string());
                      r.setPhotoSha256(hash);
                  }
              }));
    } else if (c == "competitor") {
        std::int64_t price = line.value("price") ? fen(line, "price") : 0;
        saved("competitor",
              outbox.report_in_visit("competitor", [&](auto payload, const std::string& terminal) {
                  auto r = payload.initCompetitor();
                  r.setTerminal(terminal);
                  r.setBrand(line.required("brand"));
                  r.setProduct(line.required("product"));
                  r.setPriceFen(price);
                  r.setNote(line.value("note").value_or(""));
              }));
    } else if (c == "distributor-stock") {
        auto qty = quantity(line, "qty");
        saved("distributor stock",
              outbox.report("distributor_stock", [&](wire::Envelope::Payload::Builder payload) {
                  auto r = payload.initDistributorStock();
                  r.setDistributor(line.required("distributor"));
                  r.setProduct(line.required("product"));
                  r.setLot(line.value("lot").value_or(""));
                  r.setQty(qty);
                  r.setDate(line.required("date"));
              }));
    } else {
        return false;
    }
    return true;
}

}  // namespace fieldflow::agent
