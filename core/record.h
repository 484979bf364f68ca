#pragma once
// Captured records as the domain sees them, free of any wire encoding.

#include <cstdint>
#include <string>
#include <variant>

namespace fieldflow::core {

// How the device judged the GPS fix of a check-in.
enum class FixJudgement { manual, ok, stale, low_accuracy, none };

struct CheckIn {
    std::string terminal;
    double lat = 0;
    double lon = 0;
    double accuracy_m = 0;
    FixJudgement fix = FixJudgement::manual;
    std::int64_t fix_age_ms = 0;
};

struct StockCount {
    std::string terminal;
    std::string product;
    std::string lot;
    std::int64_t qty = 0;
    bool scanned = false;  // counted pack by pack with the scanner
};

struct CheckOut {
    std::string terminal;
    std::uint64_t check_in_seq = 0;
    bool automatic = false;
};

// One barcode read in a visit, exactly as read; the gateway parses it.
struct Scan {
    std::string terminal;
    std::string symbology;   // core::name(Symbology): "ean13", "datamatrix", ...
    std::string content;     // AIM identifier, then the text; GS1 FNC1 as ASCII 29
    std::string source;      // "camera" or "scanner"
    std::string image_file;  // the camera frame's file name, if any
};

// Visit report kinds. Money in fen; dates as YYYY-MM-DD.
struct TerminalSales {
    std::string terminal, product;
    std::int64_t qty = 0;
    std::string since;
};
struct Purchase {
    std::string terminal, product, lot;
    std::int64_t qty = 0;
    std::string supplier;
};
struct Promotion {
    std::string terminal, product, kind;
    std::int64_t price_fen = 0;
    std::string start, end;
};
struct Display {
    std::string terminal, product;
    bool special = false;
    std::int64_t facings = 0;
    std::string shelf_position, photo_file, photo_sha256;
};
struct Competitor {
    std::string terminal, brand, product;
    std::int64_t price_fen = 0;
    std::string note;
};
struct DistributorStock {
    std::string distributor, product, lot;
    std::int64_t qty = 0;
    std::string date;
    std::string report_id;  // empty for a count the rep typed
};

// A row of a distributor's flow data, uploaded from the field.
struct FlowReport {
    std::string flow_id;
    std::string date;
    std::string seller, buyer, product, lot;
    std::int64_t qty = 0;
};

// A payload this build does not know: a union member added by a newer agent,
// or none at all. Kept so the record can be quarantined whole and judged once
// the gateway learns the kind.
struct UnsupportedPayload {
    unsigned member = 0;  // the union member's ordinal as read from the wire
};

using Payload =
    std::variant<CheckIn, StockCount, CheckOut, Scan, TerminalSales, Purchase, Promotion, Display,
                 Competitor, DistributorStock, FlowReport, UnsupportedPayload>;

struct Record {
    std::string device;
    std::uint64_t seq = 0;
    std::string rep;
    std::int64_t captured_at_ms = 0;
    Payload payload;
    std::uint64_t corrects = 0;  // seq of the earlier record this one corrects, 0 for none
};

// Stable kind names, as stored and printed ("check_in", "stock_count",
// "check_out"; "unsupported" for an unknown payload).
std::string_view kind_name(const Payload& payload);

}  // namespace fieldflow::core
