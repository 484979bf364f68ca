#include "core/enrolment_uri.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "core/base64url.h"
#include "core/text_encoding.h"

namespace fieldflow::core {

namespace {

constexpr std::string_view scheme = "fieldflow:enrol?";
// More than any QR code holds (2,953 bytes): a longer text was not scanned.
constexpr std::size_t longest = 4096;

// What a value keeps as it is: RFC 3986's unreserved characters, and ':',
// which it allows in a query, so that HOST:PORT stays readable.
bool written_as_is(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == ':';
}

std::string percent_encoded(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (written_as_is(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// What a rep may be shown of a text that is not ours: its start, printable.
std::string shown(std::string_view text) {
    std::size_t end = std::min<std::size_t>(text.size(), 24);
    // Not in the middle of a UTF-8 character.
    while (end < text.size() && end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    std::string out;
    for (char c : text.substr(0, end)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
    return end < text.size() ? out + "…" : out;
}

bool is_host_port(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
    unsigned port = 0;
    auto [end, error] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), port);
    return error == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

EnrolmentRead problem(std::string what) {
    return {std::nullopt, std::move(what)};
}

}  // namespace

std::string enrolment_uri(const Enrolment& enrolment) {
    std::string uri = std::string(scheme) + "gateway=" + percent_encoded(enrolment.gateway) +
                      "&device=" + percent_encoded(enrolment.device);
    if (!enrolment.rep.empty()) uri += "&rep=" + percent_encoded(enrolment.rep);
    uri += "&credential=" + percent_encoded(enrolment.credential);
    // Last: the longest value, and one an older handheld passes over.
    if (!enrolment.ca.empty()) uri += "&ca=" + base64url(enrolment.ca);
    return uri;
}

EnrolmentRead read_enrolment_uri(std::string_view uri) {
    // A scan engine may end its line with white space, and put the AIM
    // symbology identifier of a QR code (]Q0 to ]Q6) before the text.
    while (!uri.empty() &&
           (uri.back() == '\r' || uri.back() == '\n' || uri.back() == ' ' || uri.back() == '\t'))
        uri.remove_suffix(1);
    while (!uri.empty() && (uri.front() == ' ' || uri.front() == '\t')) uri.remove_prefix(1);
    if (uri.size() >= 3 && uri.substr(0, 2) == "]Q" && uri[2] >= '0' && uri[2] <= '6')
        uri.remove_prefix(3);

    if (uri.empty()) return problem("the enrolment code is empty");
    if (uri.size() > longest)
        return problem("the text is " + std::to_string(uri.size()) +
                       " bytes long, more than any enrolment code");
    if (!uri.starts_with(scheme)) {
        if (uri.starts_with("fieldflow:"))
            return problem("this fieldflow code is not an enrolment (it begins \"" + shown(uri) +
                           "\", an enrolment begins \"fieldflow:enrol?\")");
        return problem("this is not a fieldflow enrolment code: it begins \"" + shown(uri) +
                       "\", an enrolment begins \"fieldflow:enrol?\"");
    }

    static constexpr std::array<std::string_view, 5> names{"gateway", "device", "rep", "credential",
                                                           "ca"};
    std::array<std::optional<std::string>, 5> values;
    std::string_view query = uri.substr(scheme.size());
    for (std::size_t from = 0; from <= query.size();) {
        auto amp = query.find('&', from);
        auto parameter = query.substr(from, amp == std::string_view::npos ? amp : amp - from);
        from = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
        if (parameter.empty()) continue;
        auto equals = parameter.find('=');
        if (equals == std::string_view::npos)
            return problem("the parameter \"" + shown(parameter) +
                           "\" has no value (expected name=value)");
        auto name = parameter.substr(0, equals);
        std::size_t which = 0;
        while (which < names.size() && names[which] != name) ++which;
        // A later gateway's parameter: nothing this handheld needs.
        if (which == names.size()) continue;
        if (values[which])
            return problem("the enrolment code gives " + std::string(name) + " twice");

        std::string value;
        auto encoded = parameter.substr(equals + 1);
        for (std::size_t i = 0; i < encoded.size(); ++i) {
            if (encoded[i] != '%') {
                // Only as enrolment_uri writes it: a value read any other
                // way could write back longer than a code can be.
                if (!written_as_is(static_cast<unsigned char>(encoded[i])))
                    return problem("the enrolment code's " + std::string(name) + " has \"" +
                                   shown(encoded.substr(i, 1)) + "\" not percent-encoded");
                value += encoded[i];
                continue;
            }
            int high = i + 2 < encoded.size() ? hex_digit(encoded[i + 1]) : -1;
            int low = high >= 0 ? hex_digit(encoded[i + 2]) : -1;
            if (low < 0)
                return problem("bad percent-encoding in " + std::string(name) + ": \"" +
                               shown(encoded.substr(i, 3)) +
                               "\" is not % followed by two hexadecimal digits");
            value += static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (value.empty())
            return problem("the enrolment code's " + std::string(name) + " is empty");
        if (!valid_utf8(value))
            return problem("the enrolment code's " + std::string(name) +
                           " is not UTF-8 text once decoded");
        for (unsigned char c : value)
            if (c < 0x20 || c == 0x7f)
                return problem("the enrolment code's " + std::string(name) +
                               " has a control character");
        values[which] = std::move(value);
    }
    for (std::size_t which : {0, 1, 3})
        if (!values[which])
            return problem("the enrolment code has no " + std::string(names[which]));
    if (!is_host_port(*values[0]))
        return problem("the enrolment code's gateway \"" + shown(*values[0]) +
                       "\" is not HOST:PORT");
    std::string ca;
    if (values[4]) {
        auto der = from_base64url(*values[4]);
        if (!der)
            return problem("the enrolment code's ca is not base64url (RFC 4648): \"" +
                           shown(*values[4]) + "\"");
        ca = std::move(*der);
    }
    return {Enrolment{*values[0], *values[1], values[2].value_or(""), *values[3], std::move(ca)},
            {}};
}

}  // namespace fieldflow::core
