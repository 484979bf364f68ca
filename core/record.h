#pragma once
// Captured records as the domain sees them, free of any wire encoding.

#include <cstdint>
#include <optional>
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
    // Why the rep checks in beyond the terminal's radius (checkin --reason).
    std::string reason{};
    // The storefront photo (门头照): its file name as the rep gave it and its
    // hex SHA-256; both empty without one.
    std::string photo_file{};
    std::string photo_sha256{};
    friend bool operator==(const CheckIn&, const CheckIn&) = default;
};

struct StockCount {
    std::string terminal;
    std::string product;
    std::string lot;
    std::int64_t qty = 0;
    bool scanned = false;  // counted pack by pack with the scanner
    friend bool operator==(const StockCount&, const StockCount&) = default;
};

struct CheckOut {
    std::string terminal;
    std::uint64_t check_in_seq = 0;
    bool automatic = false;
    friend bool operator==(const CheckOut&, const CheckOut&) = default;
};

// One barcode read in a visit, exactly as read; the gateway parses it.
struct Scan {
    std::string terminal;
    std::string symbology;   // core::name(Symbology): "ean13", "datamatrix", ...
    std::string content;     // AIM identifier, then the text; GS1 FNC1 as ASCII 29
    std::string source;      // "camera", "scanner" or "unknown" (empty reads as unknown)
    std::string image_file;  // the camera frame's file name, if any
    friend bool operator==(const Scan&, const Scan&) = default;
};

// Visit report kinds. Money in fen; dates as YYYY-MM-DD.
struct TerminalSales {
    std::string terminal, product;
    std::int64_t qty = 0;
    std::string since;
    friend bool operator==(const TerminalSales&, const TerminalSales&) = default;
};
struct Purchase {
    std::string terminal, product, lot;
    std::int64_t qty = 0;
    std::string supplier;
    friend bool operator==(const Purchase&, const Purchase&) = default;
};
struct Promotion {
    std::string terminal, product, kind;
    std::int64_t price_fen = 0;
    std::string start, end;
    friend bool operator==(const Promotion&, const Promotion&) = default;
};
struct Display {
    std::string terminal, product;
    bool special = false;
    std::int64_t facings = 0;
    std::string shelf_position, photo_file, photo_sha256;
    friend bool operator==(const Display&, const Display&) = default;
};
struct Competitor {
    std::string terminal, brand, product;
    std::int64_t price_fen = 0;
    std::string note;
    friend bool operator==(const Competitor&, const Competitor&) = default;
};
struct DistributorStock {
    std::string distributor, product, lot;
    std::int64_t qty = 0;
    std::string date;
    std::string report_id;  // empty for a count the rep typed
    friend bool operator==(const DistributorStock&, const DistributorStock&) = default;
};

// A row of a distributor's flow data, uploaded from the field.
struct FlowReport {
    std::string flow_id;
    std::string date;
    std::string seller, buyer, product, lot;
    std::int64_t qty = 0;
    friend bool operator==(const FlowReport&, const FlowReport&) = default;
};

// A payload this build does not know: a union member added by a newer agent,
// or none at all. Kept so the record can be quarantined whole and judged once
// the gateway learns the kind.
struct UnsupportedPayload {
    unsigned member = 0;  // the union member's ordinal as read from the wire
    friend bool operator==(const UnsupportedPayload&, const UnsupportedPayload&) = default;
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
    // Device clock minus GPS time when the record was captured, absent when
    // the device had not measured it; lets the gateway judge captured_at_ms.
    std::optional<std::int64_t> clock_skew_ms = std::nullopt;
    friend bool operator==(const Record&, const Record&) = default;
};

// Stable kind names, as stored and printed ("check_in", "stock_count",
// "check_out"; "unsupported" for an unknown payload).
std::string_view kind_name(const Payload& payload);

// The hex SHA-256 of the photo a check-in or display carries; empty for
// none and for every other kind.
std::string_view photo_sha256(const Payload& payload);

// The terminal of a check-in or check-out: what the field-effectiveness
// report needs of each visit record. Nullopt for any other kind.
std::optional<std::string> visit_terminal(const Payload& payload);

// The terminal a record was made at: every kind captured in a visit names
// one. Nullopt for the kinds that belong to no store (a distributor's
// stock, a flow row).
std::optional<std::string> terminal_of(const Payload& payload);

}  // namespace fieldflow::core
