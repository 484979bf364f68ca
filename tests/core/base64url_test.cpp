#include "core/base64url.h"

#include <doctest/doctest.h>

using namespace fieldflow::core;

TEST_CASE("base64url: RFC 4648's vectors, unpadded, and the URL alphabet") {
    CHECK(base64url("") == "");
    CHECK(base64url("f") == "Zg");
    CHECK(base64url("fo") == "Zm8");
    CHECK(base64url("foo") == "Zm9v");
    CHECK(base64url("foobar") == "Zm9vYmFy");
    // 0xfb 0xff is "+/8" in the standard alphabet.
    CHECK(base64url(std::string("\xfb\xff", 2)) == "-_8");
    for (std::string bytes : {std::string(), std::string("\0\x01\xfe\xff", 4),
                              std::string(1000, '\x9c'), std::string("fooba")})
        CHECK(from_base64url(base64url(bytes)) == bytes);
}

TEST_CASE("base64url: what no encoder writes is refused") {
    CHECK_FALSE(from_base64url("Zg=="));  // padding
    CHECK_FALSE(from_base64url("+/8"));   // the standard alphabet
    CHECK_FALSE(from_base64url("Zm9v Zg"));
    CHECK_FALSE(from_base64url("Zm9vY"));  // one character over: not a whole byte
    CHECK_FALSE(from_base64url("Zh"));     // bits set past the last byte
}
