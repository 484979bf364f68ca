#include "core/gs1.h"

#include <algorithm>
#include <cstdio>

#include "core/check_digit.h"

namespace fieldflow::core {

namespace {

enum class Kind { alphanumeric, digits, date };

struct AiSpec {
    std::string_view prefix;  // the AI, or its first digits for families (e.g. "310" for 3100-3105)
    int ai_length;            // digits of the AI itself
    int length;               // value length: exact when fixed, else the maximum
    bool fixed;
    Kind kind;
    bool check_digit;
};

// GS1 General Specifications, section 3. Fixed-length entries are the ones
// GS1 predefines as needing no separator.
constexpr AiSpec ai_table[] = {
    {"00", 2, 18, true, Kind::digits, true},
    {"01", 2, 14, true, Kind::digits, true},
    {"02", 2, 14, true, Kind::digits, true},
    {"10", 2, 20, false, Kind::alphanumeric, false},
    {"11", 2, 6, true, Kind::date, false},
    {"12", 2, 6, true, Kind::date, false},
    {"13", 2, 6, true, Kind::date, false},
    {"15", 2, 6, true, Kind::date, false},
    {"16", 2, 6, true, Kind::date, false},
    {"17", 2, 6, true, Kind::date, false},
    {"20", 2, 2, true, Kind::digits, false},
    {"21", 2, 20, false, Kind::alphanumeric, false},
    {"22", 2, 20, false, Kind::alphanumeric, false},
    {"30", 2, 8, false, Kind::digits, false},
    {"37", 2, 8, false, Kind::digits, false},
    {"240", 3, 30, false, Kind::alphanumeric, false},
    {"241", 3, 30, false, Kind::alphanumeric, false},
    {"250", 3, 30, false, Kind::alphanumeric, false},
    {"251", 3, 30, false, Kind::alphanumeric, false},
    {"400", 3, 30, false, Kind::alphanumeric, false},
    {"401", 3, 30, false, Kind::alphanumeric, false},
    {"410", 3, 13, true, Kind::digits, true},
    {"411", 3, 13, true, Kind::digits, true},
    {"412", 3, 13, true, Kind::digits, true},
    {"413", 3, 13, true, Kind::digits, true},
    {"414", 3, 13, true, Kind::digits, true},
    {"415", 3, 13, true, Kind::digits, true},
    {"422", 3, 3, true, Kind::digits, false},
    {"310", 4, 6, true, Kind::digits, false},
    {"320", 4, 6, true, Kind::digits, false},
    {"330", 4, 6, true, Kind::digits, false},
    {"340", 4, 6, true, Kind::digits, false},
    {"350", 4, 6, true, Kind::digits, false},
    {"360", 4, 6, true, Kind::digits, false},
    {"7003", 4, 10, true, Kind::digits, false},
    {"90", 2, 30, false, Kind::alphanumeric, false},
    {"91", 2, 90, false, Kind::alphanumeric, false},
    {"92", 2, 90, false, Kind::alphanumeric, false},
    {"93", 2, 90, false, Kind::alphanumeric, false},
    {"99", 2, 90, false, Kind::alphanumeric, false},
    // National healthcare reimbursement numbers (710-715), and the AIs of pack URLs and coupons.
    {"710", 3, 20, false, Kind::alphanumeric, false},
    {"711", 3, 20, false, Kind::alphanumeric, false},
    {"712", 3, 20, false, Kind::alphanumeric, false},
    {"713", 3, 20, false, Kind::alphanumeric, false},
    {"714", 3, 20, false, Kind::alphanumeric, false},
    {"715", 3, 20, false, Kind::alphanumeric, false},
    {"8004", 4, 30, false, Kind::alphanumeric, false},
    {"8200", 4, 70, false, Kind::alphanumeric, false},
    {"235", 3, 28, false, Kind::alphanumeric, false},
    {"253", 3, 30, false, Kind::alphanumeric, false},
    {"254", 3, 20, false, Kind::alphanumeric, false},
    {"7240", 4, 20, false, Kind::alphanumeric, false},
};

// The AI at the start of `text`: 2-digit AIs match exactly, 4-digit families
// (31nn-36nn) match on their first three digits.
const AiSpec* find_ai(std::string_view text) {
    for (const auto& spec : ai_table) {
        if (static_cast<int>(text.size()) < spec.ai_length) continue;
        if (!all_digits(text.substr(0, spec.ai_length))) continue;
        if (text.substr(0, spec.prefix.size()) == spec.prefix) return &spec;
    }
    return nullptr;
}

// GS1 AI encodable character set 82.
bool cset82(char c) {
    static constexpr std::string_view extra = "!\"%&'()*+,-./:;<=>?_";
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           extra.find(c) != std::string_view::npos;
}

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

// Why `value` is not a valid value of `spec`, or empty.
std::string check_value(const AiSpec& spec, std::string_view ai, std::string_view value,
                        int reference_year) {
    if (value.empty()) return "AI (" + std::string(ai) + ") has no value";
    if (static_cast<int>(value.size()) > spec.length)
        return "AI (" + std::string(ai) + ") value is longer than " + std::to_string(spec.length);
    if (spec.fixed && static_cast<int>(value.size()) != spec.length)
        return "AI (" + std::string(ai) + ") needs " + std::to_string(spec.length) +
               " characters, got " + std::to_string(value.size());
    if (spec.kind != Kind::alphanumeric && !all_digits(value))
        return "AI (" + std::string(ai) + ") must be digits only";
    if (spec.kind == Kind::alphanumeric && !std::all_of(value.begin(), value.end(), cset82))
        return "AI (" + std::string(ai) + ") has a character outside the GS1 character set";
    if (spec.check_digit && !gs1_check_digit_valid(value))
        return "AI (" + std::string(ai) + ") check digit is wrong";
    if (spec.kind == Kind::date && !gs1_date(value, reference_year))
        return "AI (" + std::string(ai) + ") is not a valid date: " + std::string(value);
    return {};
}

std::size_t symbology_prefix(std::string_view text) {
    for (std::string_view id : {"]d2", "]C1", "]Q3", "]e0", "]J1"})
        if (text.substr(0, 3) == id) return 3;
    return 0;
}

Gs1Parse parse_raw(std::string_view text, std::size_t offset, int reference_year) {
    Gs1Parse parse;
    std::size_t pos = 0;
    auto fail = [&](std::string why) {
        parse.error = std::move(why);
        parse.error_position = offset + pos;
        return parse;
    };
    while (pos < text.size() && text[pos] == gs1_separator) ++pos;
    while (pos < text.size()) {
        const AiSpec* spec = find_ai(text.substr(pos));
        if (!spec)
            return fail("unknown application identifier at position " +
                        std::to_string(offset + pos));
        std::string ai(text.substr(pos, spec->ai_length));
        pos += spec->ai_length;
        std::size_t end;
        if (spec->fixed) {
            end = std::min(text.size(), pos + spec->length);
        } else {
            end = text.find(gs1_separator, pos);
            if (end == std::string_view::npos) end = text.size();
        }
        std::string_view value = text.substr(pos, end - pos);
        if (auto why = check_value(*spec, ai, value, reference_year); !why.empty())
            return fail(why);
        parse.elements.push_back({ai, std::string(value)});
        pos = end;
        if (pos < text.size() && text[pos] == gs1_separator) ++pos;
    }
    if (parse.elements.empty()) return fail("no element string");
    return parse;
}

Gs1Parse parse_bracketed(std::string_view text, int reference_year) {
    Gs1Parse parse;
    std::size_t pos = 0;
    auto fail = [&](std::string why) {
        parse.error = std::move(why);
        parse.error_position = pos;
        return parse;
    };
    // An element starts at "(" + known AI + ")"; a "(" inside a value is data.
    auto element_at = [&](std::size_t at) -> const AiSpec* {
        if (at >= text.size() || text[at] != '(') return nullptr;
        auto close = text.find(')', at);
        if (close == std::string_view::npos) return nullptr;
        auto ai = text.substr(at + 1, close - at - 1);
        const AiSpec* spec = find_ai(ai);
        return spec && static_cast<int>(ai.size()) == spec->ai_length ? spec : nullptr;
    };
    while (pos < text.size()) {
        const AiSpec* spec = element_at(pos);
        if (!spec)
            return fail("expected \"(AI)\" with a known application identifier at position " +
                        std::to_string(pos));
        auto close = text.find(')', pos);
        std::string ai(text.substr(pos + 1, close - pos - 1));
        std::size_t start = close + 1, end = start;
        while (end < text.size() && !element_at(end)) ++end;
        std::string_view value = text.substr(start, end - start);
        pos = start;
        if (auto why = check_value(*spec, ai, value, reference_year); !why.empty())
            return fail(why);
        parse.elements.push_back({ai, std::string(value)});
        pos = end;
    }
    if (parse.elements.empty()) return fail("no element string");
    return parse;
}

}  // namespace

std::string Gs1Date::iso() const {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year % 10000, month % 100, day % 100);
    return text;
}

std::optional<Gs1Date> gs1_date(std::string_view yymmdd, int reference_year) {
    if (yymmdd.size() != 6 || !all_digits(yymmdd)) return std::nullopt;
    int yy = (yymmdd[0] - '0') * 10 + (yymmdd[1] - '0');
    int month = (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0');
    int day = (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0');
    int year = reference_year / 100 * 100 + yy;
    if (year - reference_year > 50) year -= 100;
    if (year - reference_year < -49) year += 100;
    if (month < 1 || month > 12) return std::nullopt;
    if (day == 0) day = days_in_month(year, month);
    if (day > days_in_month(year, month)) return std::nullopt;
    return Gs1Date{year, month, day};
}

std::string element_string(const std::vector<Gs1Element>& elements) {
    std::string out;
    for (std::size_t i = 0; i < elements.size(); ++i) {
        const auto& [ai, value] = elements[i];
        out += ai + value;
        const AiSpec* spec = find_ai(ai);
        if ((!spec || !spec->fixed) && i + 1 < elements.size()) out += gs1_separator;
    }
    return out;
}

bool looks_like_gs1(std::string_view text) {
    return symbology_prefix(text) > 0 ||
           (!text.empty() && (text[0] == gs1_separator || text[0] == '('));
}

Gs1Parse parse_gs1(std::string_view text, int reference_year) {
    std::size_t skip = symbology_prefix(text);
    text.remove_prefix(skip);
    auto parse = !text.empty() && text[0] == '(' ? parse_bracketed(text, reference_year)
                                                 : parse_raw(text, skip, reference_year);
    parse.reference_year = reference_year;
    return parse;
}

const std::string* Gs1Parse::value(std::string_view ai) const {
    for (const auto& e : elements)
        if (e.ai == ai) return &e.value;
    return nullptr;
}

std::optional<std::string> Gs1Parse::gtin() const {
    if (auto v = value("01")) return *v;
    if (auto v = value("02")) return *v;
    return std::nullopt;
}
std::optional<std::string> Gs1Parse::sscc() const {
    if (auto v = value("00")) return *v;
    return std::nullopt;
}
std::optional<std::string> Gs1Parse::lot() const {
    if (auto v = value("10")) return *v;
    return std::nullopt;
}
std::optional<std::string> Gs1Parse::serial() const {
    if (auto v = value("21")) return *v;
    return std::nullopt;
}

namespace {
// Dates were validated while parsing; the reference year only picks the century.
std::optional<Gs1Date> date_of(const Gs1Parse& p, std::string_view ai) {
    if (auto v = p.value(ai)) return gs1_date(*v, p.reference_year);
    return std::nullopt;
}
}  // namespace

std::optional<Gs1Date> Gs1Parse::expiry() const {
    return date_of(*this, "17");
}
std::optional<Gs1Date> Gs1Parse::production() const {
    return date_of(*this, "11");
}
std::optional<Gs1Date> Gs1Parse::best_before() const {
    return date_of(*this, "15");
}

std::optional<long long> Gs1Parse::count() const {
    for (std::string_view ai : {"30", "37"})
        if (auto v = value(ai)) return std::stoll(*v);
    return std::nullopt;
}

}  // namespace fieldflow::core
