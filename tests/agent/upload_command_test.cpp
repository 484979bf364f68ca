#include "agent/upload_command.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "agent/scratch_state.h"
#include "schemas/record_codec.h"

using namespace fieldflow;

namespace {

std::string write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file) << text;
    return file.string();
}

// A commercial rep's handheld, set up.
struct CommercialRepHandheld {
    test::ScratchState dir;
    agent::Outbox outbox{dir.handheld()};
    CommercialRepHandheld() { outbox.init({"dev-006", "R3"}); }
};

}  // namespace

TEST_CASE("upload: a row the record cannot carry is named by its line and the rest is queued") {
    CommercialRepHandheld h;
    auto& outbox = h.outbox;
    auto file = write(h.dir.path() / "stock.csv",
                      "report_id,date,holder_id,product_id,lot,qty\n"
                      "S1,2026-12-01,D1,P1,L1,40\n"
                      "S1,2026-12-01,D1,P2,,3000000000\n"
                      "S1,2026-12-01,D1,P2,L2,7\n");
    std::ostringstream out, errors;
    CHECK(agent::upload(outbox, {"stock", file, false}, out, errors) == 1);
    CHECK(errors.str().find(file + ":3: ") == 0);
    CHECK(errors.str().find("3000000000") != std::string::npos);
    CHECK(out.str().find("queued 2 stock rows") != std::string::npos);

    auto queued = outbox.oldest(10);
    REQUIRE(queued.size() == 2);
    auto second = wire::decode_record(queued[1].envelope);
    REQUIRE(second.record);
    CHECK(std::get<core::DistributorStock>(second.record->payload) ==
          core::DistributorStock{"D1", "P2", "L2", 7, "2026-12-01", "S1"});
}

TEST_CASE("upload: a flows file becomes one flow record per row, queued together") {
    CommercialRepHandheld h;
    auto& outbox = h.outbox;
    auto file = write(h.dir.path() / "flows.csv",
                      "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                      "F1,2026-12-01,D1,T1,P1,L1,12\n"
                      "F2,2026-12-01,D1,T2,P1,L1,-2\n");
    std::ostringstream out, errors;
    CHECK(agent::upload(outbox, {"flows", file, false}, out, errors) == 0);
    CHECK(errors.str().empty());
    auto queued = outbox.oldest(10);
    REQUIRE(queued.size() == 2);
    CHECK(queued[0].kind == "flow");
    auto first = wire::decode_record(queued[0].envelope);
    REQUIRE(first.record);
    CHECK(std::get<core::FlowReport>(first.record->payload) ==
          core::FlowReport{"F1", "2026-12-01", "D1", "T1", "P1", "L1", 12});
}

TEST_CASE("upload: under a Chinese locale the bad rows and the summary are in Chinese") {
    CommercialRepHandheld h;
    auto file = write(h.dir.path() / "flows.csv",
                      "flow_id,date,seller_id,buyer_id,product_id,lot,qty\n"
                      "F1,2026-12-01,D1,T1,P1,L1,12\n"
                      "F2,2026-13-01,D1,T2,P1,L1,5\n");
    std::ostringstream out, errors;
    agent::UploadRequest request{"flows", file, false};
    request.chinese = true;
    CHECK(agent::upload(h.outbox, request, out, errors) == 1);
    INFO(errors.str());
    CHECK(errors.str().find(file + ":3: ") == 0);
    CHECK(errors.str().find("不是有效日期") != std::string::npos);
    CHECK(errors.str().find("（not_a_date）") != std::string::npos);
    CHECK(out.str().find("已排队 1 行流向数据") == 0);
    CHECK(out.str().find("1 行有误，未排队") != std::string::npos);
}
