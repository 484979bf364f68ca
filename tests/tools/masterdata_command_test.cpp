// `fieldflow masterdata generate`: the sample it writes loads as master
// data, each terminal with an address in its own district.

#include <doctest/doctest.h>

#include "core/master_data.h"
#include "support/process.h"
#include "tools/commands.h"

using namespace fieldflow;

TEST_CASE("tools masterdata: each generated terminal has a Chinese address in its district") {
    test::TempDir dir;
    tools::write_sample_master_data(dir / "master", 1, 24, 3);
    auto load = core::load_master_data(dir / "master");
    CHECK(load.errors.empty());
    REQUIRE(load.data.terminals.size() == 24);
    for (const auto& entry : load.data.terminals) {
        const auto& id = entry.first;  // named, not bound: CAPTURE takes it (clang 14)
        const auto& t = entry.second;
        CAPTURE(id);
        CAPTURE(t.address);
        CHECK(t.address.ends_with("号"));
        if (t.territory == "CN-SH-PD") CHECK(t.address.starts_with("上海市浦东新区"));
        if (t.territory == "CN-SH-XH") CHECK(t.address.starts_with("上海市徐汇区"));
        if (t.territory == "CN-ZJ-HZ") CHECK(t.address.starts_with("浙江省杭州市"));
    }
    // The same seed writes the same addresses.
    tools::write_sample_master_data(dir / "again", 1, 24, 3);
    CHECK(core::load_master_data(dir / "again").data == load.data);
}
