#include "core/scan_content.h"

#include <doctest/doctest.h>

#include "core/reference_year.h"

using namespace fieldflow::core;
using fieldflow::test::reference_year;

TEST_CASE("scan content: an EAN-13 with a valid check digit is a retail GTIN") {
    auto c = classify("6901234567892", Symbology::ean13, reference_year);
    CHECK(c.kind == ContentKind::retail_code);
    CHECK(c.gtin == "06901234567892");
    CHECK(c.pack_identity().empty());
}

TEST_CASE("scan content: a wrong check digit stays raw with the reason, text untouched") {
    auto c = classify("6901234567891", Symbology::ean13, reference_year);
    CHECK(c.kind == ContentKind::raw);
    CHECK(c.text == "6901234567891");
    CHECK(c.problem.find("check digit") != std::string::npos);
    CHECK_FALSE(c.gtin.has_value());
}

TEST_CASE("scan content: UPC-A and EAN-8") {
    CHECK(classify("036000291452", Symbology::upca, reference_year).gtin == "00036000291452");
    CHECK(classify("96385074", Symbology::ean8, reference_year).gtin == "00000096385074");
}

TEST_CASE("scan content: a GS1 DataMatrix gives its fields and a pack identity") {
    auto c = classify(
        "]d201069012345678921726123110LOT42\x1d"
        "21SN0001",
        Symbology::datamatrix, reference_year);
    REQUIRE(c.kind == ContentKind::gs1);
    CHECK(c.gtin == "06901234567892");
    CHECK(c.lot == "LOT42");
    CHECK(c.serial == "SN0001");
    CHECK(c.expiry == Gs1Date{2026, 12, 31});
    CHECK(c.pack_identity() == "gs1:06901234567892/SN0001");
}

TEST_CASE("scan content: a damaged GS1 string is raw with the parser's reason") {
    auto c = classify("]C1010690123456789117261231", Symbology::code128, reference_year);
    CHECK(c.kind == ContentKind::raw);
    CHECK(c.problem.find("check digit") != std::string::npos);
}

TEST_CASE("scan content: 20 digits from Code 128 or DataMatrix are a drug traceability code") {
    auto c = classify("81234560001234567890", Symbology::code128, reference_year);
    REQUIRE(c.kind == ContentKind::drug_trace_code);
    CHECK(c.drug_code->prefix == "8123456");
    CHECK(c.pack_identity() == "trace:81234560001234567890");
    CHECK(classify("81234560001234567890", Symbology::datamatrix, reference_year).kind ==
          ContentKind::drug_trace_code);
    CHECK(classify("81234560001234567890", Symbology::qr, reference_year).kind == ContentKind::raw);
}

TEST_CASE("scan content: an ITF-14 on a carton is a GTIN when its check digit holds") {
    CHECK(classify("10614141000415", Symbology::itf, reference_year).gtin == "10614141000415");
    CHECK(classify("10614141000416", Symbology::itf, reference_year).kind == ContentKind::raw);
    CHECK(classify("1515", Symbology::itf, reference_year).kind == ContentKind::raw);
}

TEST_CASE("scan content: a keyboard-wedge line with an AIM prefix is understood") {
    auto ean = classify("]E06901234567892", Symbology::unknown, reference_year);
    CHECK(ean.symbology == Symbology::ean13);
    CHECK(ean.gtin == "06901234567892");
    auto gs1 = classify(
        "]C10106901234567892\x1d"
        "10A1",
        Symbology::unknown, reference_year);
    CHECK(gs1.symbology == Symbology::code128);
    CHECK(gs1.lot == "A1");
    auto itf = classify("]I110614141000415", Symbology::unknown, reference_year);
    CHECK(itf.gtin == "10614141000415");
    auto databar = classify("]e00106901234567892", Symbology::unknown, reference_year);
    CHECK(databar.symbology == Symbology::databar);
    CHECK(databar.gtin == "06901234567892");
}

TEST_CASE("scan content: the DataBar symbologies have stable names") {
    CHECK(name(Symbology::databar) == "databar");
    CHECK(name(Symbology::databar_expanded) == "databar_expanded");
    CHECK(symbology_named("databar_expanded") == Symbology::databar_expanded);
}

TEST_CASE("scan content: anything else is kept raw") {
    auto c = classify("https://example.com/x", Symbology::qr, reference_year);
    CHECK(c.kind == ContentKind::raw);
    CHECK(c.text == "https://example.com/x");
}

TEST_CASE("scan content: the product is found by GTIN of any length, or by trace prefix") {
    MasterData m;
    m.products["P1"] = Product{"P1", "阿莫西林胶囊", "", "盒", "6901234567892", "8123456"};
    CHECK(product_for(m, classify("6901234567892", Symbology::ean13, reference_year))->id == "P1");
    CHECK(product_for(m, classify("(01)06901234567892(10)A", Symbology::unknown, reference_year))
              ->id == "P1");
    CHECK(
        product_for(m, classify("81234560001234567890", Symbology::code128, reference_year))->id ==
        "P1");
    CHECK(product_for(m, classify("4006381333931", Symbology::ean13, reference_year)) == nullptr);
}
