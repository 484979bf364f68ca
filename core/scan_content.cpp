#include "core/scan_content.h"

#include <array>
#include <utility>

#include "core/check_digit.h"

namespace fieldflow::core {

namespace {

constexpr std::array<std::pair<Symbology, std::string_view>, 10> symbology_names{{
    {Symbology::ean13, "ean13"},
    {Symbology::upca, "upca"},
    {Symbology::ean8, "ean8"},
    {Symbology::code128, "code128"},
    {Symbology::datamatrix, "datamatrix"},
    {Symbology::qr, "qr"},
    {Symbology::itf, "itf"},
    {Symbology::databar, "databar"},
    {Symbology::databar_expanded, "databar_expanded"},
    {Symbology::unknown, "unknown"},
}};

bool is_retail(Symbology s) {
    return s == Symbology::ean13 || s == Symbology::upca || s == Symbology::ean8;
}

ScanContent raw(ScanContent content, std::string why) {
    content.kind = ContentKind::raw;
    content.problem = std::move(why);
    return content;
}

}  // namespace

std::string_view name(Symbology symbology) {
    for (const auto& [s, n] : symbology_names)
        if (s == symbology) return n;
    return "unknown";
}

Symbology symbology_named(std::string_view text) {
    for (const auto& [s, n] : symbology_names)
        if (n == text) return s;
    return Symbology::unknown;
}

std::string_view name(ContentKind kind) {
    switch (kind) {
        case ContentKind::retail_code:
            return "retail_code";
        case ContentKind::gs1:
            return "gs1";
        case ContentKind::drug_trace_code:
            return "drug_trace_code";
        case ContentKind::raw:
            return "raw";
    }
    return "raw";
}

AimPrefix aim_prefix(std::string_view text) {
    if (text.size() < 3 || text[0] != ']') return {};
    char code = text[1], modifier = text[2];
    switch (code) {
        case 'E':
            return {modifier == '4' ? Symbology::ean8 : Symbology::ean13, false, 3};
        case 'C':
            return {Symbology::code128, modifier == '1', 3};
        case 'd':
            return {Symbology::datamatrix, modifier == '2', 3};
        case 'Q':
            return {Symbology::qr, modifier == '3', 3};
        case 'I':
            return {Symbology::itf, false, 3};
        case 'e':
            return {Symbology::databar, true, 3};
        default:
            return {Symbology::unknown, false, 3};
    }
}

std::string ScanContent::pack_identity() const {
    if (drug_code) return "trace:" + drug_code->text();
    if (gtin && serial) return "gs1:" + *gtin + "/" + *serial;
    return {};
}

ScanContent classify(std::string_view text, Symbology symbology, int reference_year) {
    ScanContent content;
    content.text = std::string(text);
    content.symbology = symbology;
    auto aim = aim_prefix(text);
    if (aim.length && symbology == Symbology::unknown) content.symbology = aim.symbology;
    std::string_view body = text.substr(aim.length);

    if (aim.gs1 || looks_like_gs1(body)) {
        auto parse = parse_gs1(text, reference_year);
        if (!parse.ok()) return raw(std::move(content), "GS1: " + parse.error.value_or("empty"));
        content.kind = ContentKind::gs1;
        content.gtin = parse.gtin();
        content.lot = parse.lot();
        content.serial = parse.serial();
        content.expiry = parse.expiry();
        content.sscc = parse.sscc();
        content.count = parse.count();
        return content;
    }

    bool digits = all_digits(body);
    if (digits && body.size() == 20 &&
        (content.symbology == Symbology::code128 || content.symbology == Symbology::datamatrix ||
         content.symbology == Symbology::unknown)) {
        auto trace = parse_drug_trace_code(body);
        content.kind = ContentKind::drug_trace_code;
        content.drug_code = trace.code;
        return content;
    }

    bool retail_length = body.size() == 8 || body.size() == 12 || body.size() == 13;
    bool itf14 = content.symbology == Symbology::itf && body.size() == 14;
    if (digits &&
        (is_retail(content.symbology) || itf14 ||
         (content.symbology == Symbology::unknown && (retail_length || body.size() == 14)))) {
        auto gtin = to_gtin14(body);
        if (!gtin)
            return raw(std::move(content), "check digit of " + std::string(body) + " is wrong");
        content.kind = ContentKind::retail_code;
        content.gtin = std::move(gtin);
        return content;
    }
    if (is_retail(content.symbology)) return raw(std::move(content), "not a valid EAN/UPC number");
    return raw(std::move(content), "not a GS1, EAN/UPC or drug traceability code");
}

const Product* product_for(const MasterData& master, const ScanContent& content) {
    if (content.drug_code) return product_for(master, *content.drug_code);
    if (!content.gtin) return nullptr;
    for (const auto& [id, product] : master.products)
        if (auto gtin = to_gtin14(product.gtin); gtin && *gtin == *content.gtin) return &product;
    return nullptr;
}

}  // namespace fieldflow::core
