#include "core/drug_trace_code.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

TEST_CASE("drug trace code: 20 digits split into prefix, serial and verification") {
    auto p = parse_drug_trace_code("81234560001234567890");
    REQUIRE(p.code.has_value());
    CHECK(p.code->prefix == "8123456");
    CHECK(p.code->serial == "000123456");
    CHECK(p.code->verification == "7890");
    CHECK(p.code->text() == "81234560001234567890");
}

TEST_CASE("drug trace code: other lengths and letters are refused with the reason") {
    CHECK(parse_drug_trace_code("8123456000123456789").error.find("has 19") != std::string::npos);
    CHECK(parse_drug_trace_code("812345600012345678901").error.find("has 21") != std::string::npos);
    CHECK(parse_drug_trace_code("8123456000123456789A").error.find("digits only") !=
          std::string::npos);
}

TEST_CASE("drug trace code: the prefix names the product in master data") {
    MasterData m;
    m.products["P1"] = Product{"P1", "阿莫西林胶囊", "", "盒", "6901234567892", "8123456"};
    m.products["P2"] = Product{"P2", "布洛芬", "", "盒", "", "8654321"};
    auto code = *parse_drug_trace_code("81234560001234567890").code;
    REQUIRE(product_for(m, code));
    CHECK(product_for(m, code)->id == "P1");
    CHECK(product_for(m, *parse_drug_trace_code("89999990001234567890").code) == nullptr);
}
