// `fieldflow audit head` and `audit verify --head` run in this process: a
// head printed is one verify accepts, and a malformed one is refused by name.

#include <doctest/doctest.h>

#include "store/distribution_store.h"
#include "support/process.h"
#include "support/scratch_store.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::run_fieldflow;

TEST_CASE("tools audit: head prints ENTRY:HASH that verify --head accepts") {
    test::TempDir dir;
    test::ScratchStore store(dir.path(), "books.db");
    const std::string& db = store.location();
    store::DistributionStore{db};

    auto empty = run_fieldflow({"audit", "head", "--db", db});
    CHECK(empty.code == 1);
    CHECK(empty.err == "fieldflow audit head: the audit log of " + db + " has no entries yet\n");

    REQUIRE(run_fieldflow({"period", "close", "2026-03", "--db", db}).code == 0);
    auto head = run_fieldflow({"audit", "head", "--db", db});
    REQUIRE(head.code == 0);
    // The close's two entries: its period_log line and the closed month.
    CHECK(head.out.starts_with("2:"));
    CHECK(head.out.size() == 2 + 64 + 1);
    std::string recorded = head.out.substr(0, head.out.size() - 1);
    CHECK(store::parse_head(recorded).has_value());
    auto checked = run_fieldflow({"audit", "verify", "--db", db, "--head", recorded});
    CHECK(checked.code == 0);
    CHECK(checked.out ==
          "audit log intact: 2 entries, every row as written, entry 2 is the recorded head\n");

    for (const char* bad : {"2", "x:ab", "0:" /* no hash */, "2:abcd"}) {
        auto refused = run_fieldflow({"audit", "verify", "--db", db, "--head", bad});
        CHECK(refused.code == 2);
        CHECK(refused.err.find(std::string("--head ") + bad +
                               ": not ENTRY:HASH as `fieldflow audit head` prints it") !=
              std::string::npos);
    }
}
