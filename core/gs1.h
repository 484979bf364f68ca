#pragma once
// GS1 element strings: the content of GS1 DataMatrix, GS1-128 and GS1 QR
// codes, in their raw form (FNC1 transmitted as the GS character, ASCII 29,
// optionally behind a symbology identifier such as "]d2") or their
// human-readable form "(01)06901234567892(17)261231(10)LOT42".
//
// A parse that fails keeps what it read before the failure, and says where
// and why it stopped.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldflow::core {

inline constexpr char gs1_separator = '\x1d';

struct Gs1Date {
    int year = 0, month = 0,
        day = 0;  // day 00 on the pack already resolved to the month's last day
    bool operator==(const Gs1Date&) const = default;
    auto operator<=>(const Gs1Date&) const = default;
    std::string iso() const;  // YYYY-MM-DD
};

struct Gs1Element {
    std::string ai;
    std::string value;
};

struct Gs1Parse {
    std::vector<Gs1Element> elements;
    std::optional<std::string> error;  // set when the string was not read to its end
    std::size_t error_position = 0;    // offset in the text given, where reading stopped
    int reference_year = 2000;         // as given to parse_gs1, for the century of dates

    bool ok() const { return !error && !elements.empty(); }
    const std::string* value(std::string_view ai) const;
    std::optional<std::string> gtin() const;     // AI 01 (or 02 when there is no 01)
    std::optional<std::string> sscc() const;     // AI 00
    std::optional<std::string> lot() const;      // AI 10
    std::optional<std::string> serial() const;   // AI 21
    std::optional<Gs1Date> expiry() const;       // AI 17
    std::optional<Gs1Date> production() const;   // AI 11
    std::optional<Gs1Date> best_before() const;  // AI 15
    std::optional<long long> count() const;      // AI 30, else 37
};

// `reference_year` decides the century of two-digit years (GS1 rule: within
// 49 years back and 50 years ahead of it); callers pass the current year.
Gs1Parse parse_gs1(std::string_view text, int reference_year);

// The elements in their raw form, as a scanner transmits them: each AI and
// value in turn, a GS after every value GS1 does not predefine as fixed
// length unless it is the last. Readers that give the human-readable form
// (ZXing 1.4 for DataBar Expanded) are brought to the form every other
// GS1 code arrives in.
std::string element_string(const std::vector<Gs1Element>& elements);

// Whether the text is written as a GS1 element string at all: a GS1
// symbology identifier, a leading "(NN)" or a leading GS.
bool looks_like_gs1(std::string_view text);

// A YYMMDD value as a date, with the century rule and day 00; nullopt when
// it is no date.
std::optional<Gs1Date> gs1_date(std::string_view yymmdd, int reference_year);

}  // namespace fieldflow::core
