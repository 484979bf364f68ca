#include "fuzz/fuzz_master.h"

namespace fieldflow::fuzz {

namespace {

core::MasterData build() {
    core::MasterData master;
    auto product = [&](core::Product p) { master.products.emplace(p.id, std::move(p)); };
    product({"P1", "阿莫西林胶囊", "0.25g*24粒", "盒", "6901234567892", "8612345"});
    product({"P2", "布洛芬缓释胶囊", "0.3g*20粒", "盒", "6901234567809", "8612346"});
    auto terminal = [&](core::Terminal t) { master.terminals.emplace(t.id, std::move(t)); };
    terminal({"T1", "老百姓大药房(世纪大道店)", core::TerminalKind::pharmacy, "CN-SH-PD", 31.2304,
              121.5060, 100, 'A'});
    terminal({"T2", "一心堂(西湖店)", core::TerminalKind::pharmacy, "CN-ZJ-HZ", 30.2590, 120.1300,
              150, 'B'});
    auto distributor = [&](core::Distributor d) {
        master.distributors.emplace(d.id, std::move(d));
    };
    distributor({"D1", "国药控股上海", 1, {"CN-SH", "CN-ZJ"}});
    distributor({"D2", "浦东新区医药", 2, {"CN-SH-PD"}});
    auto rep = [&](core::Rep r) { master.reps.emplace(r.id, std::move(r)); };
    rep({"R1", "王芳", core::RepRole::retail, "CN-SH", "dev-001"});
    rep({"R2", "李雷", core::RepRole::otc, "CN-ZJ", "dev-002"});
    rep({"R3", "张伟", core::RepRole::commercial, "CN-SH", "dev-003"});
    return master;
}

}  // namespace

const core::MasterData& master_data() {
    static const core::MasterData master = build();
    return master;
}

}  // namespace fieldflow::fuzz
