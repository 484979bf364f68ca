#include "core/text_encoding.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

TEST_CASE("text encoding: UTF-8 is checked strictly") {
    CHECK(valid_utf8("D01"));
    CHECK(valid_utf8("批号一"));
    CHECK(valid_utf8("\xF0\x9F\x92\x8A"));    // a pill, four bytes
    CHECK_FALSE(valid_utf8("\xC5\xFA"));      // GBK for 批
    CHECK_FALSE(valid_utf8("\xE6\x89"));      // cut short
    CHECK_FALSE(valid_utf8("\xC0\xAF"));      // overlong
    CHECK_FALSE(valid_utf8("\xED\xA0\x80"));  // a surrogate
    CHECK_FALSE(valid_utf8("\xF5\x80\x80\x80"));
}

TEST_CASE("text encoding: GBK becomes UTF-8, and what is not GBK says where") {
    CHECK(gbk_to_utf8("\xC5\xFA\xBA\xC5\xD2\xBB,10") == "批号一,10");
    CHECK(gbk_to_utf8("plain ascii") == "plain ascii");
    try {
        gbk_to_utf8("ok\x81");  // a lead byte with nothing after it
        FAIL("no error");
    } catch (const EncodingError& e) {
        CHECK(e.offset == 2);
    }
}
