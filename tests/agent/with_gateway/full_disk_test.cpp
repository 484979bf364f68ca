// The handheld's storage filled up to the last byte: capture is refused,
// and a sync still drains the outbox, on a small tmpfs of its own.

#include <doctest/doctest.h>

#include <SQLiteCpp/Exception.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "agent/outbox.h"
#include "agent/scratch_state.h"
#include "agent/sync.h"
#include "agent/with_gateway/sync_to.h"
#include "support/in_process_gateway.h"
#include "support/scratch_store.h"

using namespace fieldflow;

namespace {

// A tmpfs of `size` mounted over `dir` for the test's lifetime; mounted()
// is false where the test may not mount (not root, no CAP_SYS_ADMIN).
class SmallDisk {
  public:
    SmallDisk(const std::filesystem::path& dir, const std::string& size) : dir_(dir) {
        std::filesystem::create_directories(dir_);
        std::string options = "size=" + size;
        mounted_ = geteuid() == 0 && mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0;
    }
    ~SmallDisk() {
        if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    bool mounted() const { return mounted_; }

  private:
    std::filesystem::path dir_;
    bool mounted_ = false;
};

// Writes `file` until the disk has no byte left, as another app on the
// handheld would.
void fill(const std::filesystem::path& file) {
    std::ofstream out(file, std::ios::binary);
    std::vector<char> block(4096, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
    out.close();
    // Whatever the last partial block left.
    std::ofstream tail(file.string() + ".tail", std::ios::binary);
    while (tail.put('x')) {
    }
}

// A sync to `address` in batches of 50 records.
agent::SyncOptions batches_of_50_to(const std::string& address, std::ostream& out) {
    auto options = test::sync_to(address, out, std::chrono::seconds(30));
    options.batch = 50;
    return options;
}

}  // namespace

TEST_CASE(
    "sync: on a full disk capture is refused, the outbox still drains, and nothing comes back") {
    test::ScratchState dir;
    SmallDisk disk(dir.path() / "disk", "6m");
    if (!disk.mounted()) {
        MESSAGE("skipped: mounting a tmpfs needs root (CI runs as root)");
        return;
    }
    const auto state = dir.path() / "disk" / "handheld";
    test::InProcessGateway gateway;
    constexpr int captured = 400;
    {
        agent::Outbox outbox(state);
        outbox.init({"dev-001", "R1"});
        outbox.check_in({"T1", 31.2304, 121.5060, 8});
        for (int i = 1; i < captured; ++i) outbox.count(i % 2 ? "P1" : "P2", i, "");
    }
    // Opening the outbox maps its WAL index, and deleting acked records
    // writes WAL frames: a disk full before the agent starts stops the
    // first, a disk filled while it runs (another app) the second.
    bool filled_before_start = false;
    SUBCASE("the disk filled before the agent started") {
        filled_before_start = true;
    }
    SUBCASE("the disk filled while the outbox was open") {}
    if (filled_before_start) fill(dir.path() / "disk" / "other-app");
    agent::Outbox outbox(state);
    if (!filled_before_start) fill(dir.path() / "disk" / "other-app");
    REQUIRE(outbox.depth() == captured);
    // Refused whole: the record is not half-written, the queue unchanged.
    CHECK_THROWS(outbox.count("P1", 1, ""));
    CHECK(outbox.depth() == captured);

    std::ostringstream out;
    CHECK(agent::sync(outbox, batches_of_50_to(gateway.address(), out)) == 0);
    INFO(out.str());
    CHECK(outbox.depth() == 0);
    CHECK(test::store_scalar(gateway.db(), "SELECT count(*) FROM records") == captured);

    // Space back: the device captures again, and what it sends is new.
    std::filesystem::remove(dir.path() / "disk" / "other-app");
    std::filesystem::remove(dir.path() / "disk" / "other-app.tail");
    agent::Outbox after(state);
    CHECK(after.depth() == 0);
    after.count("P1", 5, "");
    std::ostringstream again;
    CHECK(agent::sync(after, batches_of_50_to(gateway.address(), again)) == 0);
    CHECK(again.str().find("sent before") == std::string::npos);
    CHECK(test::store_scalar(gateway.db(), "SELECT count(*) FROM records") == captured + 1);
    CHECK(test::store_scalar(gateway.db(), "SELECT max(seq) FROM records") == captured + 1);
}
