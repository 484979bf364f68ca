#include "core/territory.h"

#include <doctest/doctest.h>

using fieldflow::core::covers;

TEST_CASE("territory: a territory covers itself and the codes below it") {
    CHECK(covers("CN-SH", "CN-SH"));
    CHECK(covers("CN-SH", "CN-SH-PD"));
    CHECK(covers("CN", "CN-ZJ-HZ"));
}

TEST_CASE("territory: a prefix that is not a whole code does not cover") {
    CHECK_FALSE(covers("CN-SH", "CN-SHX"));
    CHECK_FALSE(covers("CN-SH-PD", "CN-SH"));
    CHECK_FALSE(covers("CN-SH", "CN-ZJ-HZ"));
}

TEST_CASE("territory: an empty territory covers nothing") {
    CHECK_FALSE(covers("", "CN-SH"));
    CHECK_FALSE(covers("", ""));
}
