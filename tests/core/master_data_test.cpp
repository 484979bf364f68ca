#include "core/master_data.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace fieldflow::core;
namespace fs = std::filesystem;

namespace {

struct MasterDir {
    fs::path dir;
    MasterDir() {
        std::random_device rd;
        dir = fs::temp_directory_path() / ("fieldflow-master-" + std::to_string(rd()));
        fs::create_directories(dir);
        write("products.csv",
              "product_id,name,spec,unit,gtin,drug_code_prefix\n"
              "P1,阿莫西林胶囊,0.25g*24粒,盒,6901234567892,8612345\n"
              "P2,\"布洛芬缓释胶囊, 成人\",0.3g*20粒,盒,6901234567809,8612346\n");
        write("terminals.csv",
              "terminal_id,name,kind,territory,lat,lon,radius_m,grade\n"
              "T1,老百姓大药房,pharmacy,CN-SH-PD,31.2304,121.5060,100,A\n"
              "T2,仁济医院,hospital,CN-SH-PD,31.2200,121.5200,300,A\n");
        write("distributors.csv",
              "distributor_id,name,tier,territories\n"
              "D1,国药控股上海,1,CN-SH;CN-ZJ\n");
        write("reps.csv",
              "rep_id,name,role,territory,device_id\n"
              "R1,王芳,retail,CN-SH,dev-001\n");
    }
    ~MasterDir() { fs::remove_all(dir); }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
    }
};

bool has_error(const MasterDataLoad& load, const std::string& file_end, unsigned line,
               const std::string& fragment) {
    for (const auto& e : load.errors)
        if (e.file.ends_with(file_end) && e.line == line &&
            e.message.find(fragment) != std::string::npos)
            return true;
    return false;
}

}  // namespace

TEST_CASE("master data: all four files load, quoted fields and UTF-8 intact") {
    MasterDir m;
    auto load = load_master_data(m.dir);
    CHECK(load.errors.empty());
    REQUIRE(load.data.product("P2"));
    CHECK(load.data.product("P2")->name == "布洛芬缓释胶囊, 成人");
    REQUIRE(load.data.terminal("T2"));
    CHECK(load.data.terminal("T2")->kind == TerminalKind::hospital);
    CHECK(load.data.terminal("T2")->radius_m == 300);
    REQUIRE(load.data.distributor("D1"));
    CHECK(load.data.distributor("D1")->territories == std::vector<std::string>{"CN-SH", "CN-ZJ"});
    REQUIRE(load.data.rep("R1"));
    CHECK(load.data.rep("R1")->device == "dev-001");
}

TEST_CASE("master data: a bad row is reported with file and line, the others load") {
    MasterDir m;
    m.write("terminals.csv",
            "terminal_id,name,kind,territory,lat,lon,radius_m,grade\n"
            "T1,老百姓大药房,pharmacy,CN-SH-PD,31.2304,121.5060,100,A\n"
            "T2,仁济医院,hospital,CN-SH-PD,north,121.5200,300,A\n"
            "T3,社区诊所,clinic,CN-SH-PD,31.2,121.5,80,Z\n"
            "T4,too,few\n"
            "T5,华山医院,hospital,CN-SH-JA,31.2150,121.4400,250,A\n");
    auto load = load_master_data(m.dir);
    CHECK(load.data.terminals.size() == 2);
    CHECK(load.data.terminal("T1"));
    CHECK(load.data.terminal("T5"));
    CHECK(has_error(load, "terminals.csv", 3, "lat is not a number"));
    CHECK(has_error(load, "terminals.csv", 4, "grade must be A, B or C"));
    CHECK(has_error(load, "terminals.csv", 5, ""));
    CHECK(load.errors.size() == 3);
}

TEST_CASE("master data: each bad row has a stable code and Chinese words") {
    MasterDir m;
    m.write("terminals.csv",
            "terminal_id,name,kind,territory,lat,lon,radius_m,grade\n"
            "T1,老百姓大药房,pharmacy,CN-SH-PD,31.2304,121.5060,100,A\n"
            "T1,重复,pharmacy,CN-SH-PD,31.2304,121.5060,100,A\n"
            "T2,仁济医院,hospital,CN-SH-PD,95,121.5200,300,A\n"
            "T3,社区诊所,clinic,CN-SH-PD,31.2,121.5,0,A\n"
            "T4,社区诊所,shop,CN-SH-PD,31.2,121.5,80,A\n"
            "T5,社区诊所,clinic,CN-SH-PD,31.2,121.5,80,Z\n"
            "T6,社区诊所,clinic,,31.2,121.5,80,A\n");
    m.write("distributors.csv", "distributor_id,name,tier,territories\nD1,国药,3,CN-SH\n");
    m.write("reps.csv", "rep_id,name,role,territory,device_id\nR1,王芳,boss,CN-SH,dev-001\n");
    std::filesystem::remove(m.dir / "products.csv");
    auto load = load_master_data(m.dir);
    std::vector<std::string> seen;
    for (const auto& e : load.errors)
        seen.push_back(std::filesystem::path(e.file).filename().string() + ":" +
                       std::to_string(e.line) + " " + e.code + " " + e.chinese);
    CHECK(seen ==
          std::vector<std::string>{
              "products.csv:0 cannot_open 无法打开文件",
              "terminals.csv:3 duplicate_id 终端“T1”重复",
              "terminals.csv:4 out_of_range 纬度超出范围（-90 到 90）",
              "terminals.csv:5 not_positive 围栏半径须大于 0",
              "terminals.csv:6 bad_kind 类型须为 hospital、pharmacy 或 clinic，而不是“shop”",
              "terminals.csv:7 bad_grade 等级须为 A、B 或 C，而不是“Z”",
              "terminals.csv:8 empty 辖区为空",
              "distributors.csv:2 bad_tier 层级须为 1 或 2",
              "reps.csv:2 bad_role 岗位须为 retail、otc 或 commercial，而不是“boss”",
          });
}

TEST_CASE("master data: a terminal's address comes from its column, wherever it stands") {
    MasterDir m;
    m.write(
        "terminals.csv",
        "terminal_id,address,name,kind,territory,lat,lon,radius_m,grade\n"
        "T1,上海市浦东新区张杨路123号,老百姓大药房,pharmacy,CN-SH-PD,31.2304,121.5060,100,A\n"
        "T2,\"上海市浦东新区东方路1630号, 2号楼\",仁济医院,hospital,CN-SH-PD,31.22,121.52,300,A\n"
        "T3,,社区诊所,clinic,CN-SH-PD,31.2,121.5,80,C\n");
    auto load = load_master_data(m.dir);
    CHECK(load.errors.empty());
    REQUIRE(load.data.terminals.size() == 3);
    CHECK(load.data.terminal("T1")->address == "上海市浦东新区张杨路123号");
    CHECK(load.data.terminal("T1")->name == "老百姓大药房");
    CHECK(load.data.terminal("T2")->address == "上海市浦东新区东方路1630号, 2号楼");
    CHECK(load.data.terminal("T3")->address.empty());
}

TEST_CASE("master data: terminals.csv without an address column loads, with no addresses") {
    MasterDir m;
    auto load = load_master_data(m.dir);
    CHECK(load.errors.empty());
    REQUIRE(load.data.terminals.size() == 2);
    CHECK(load.data.terminal("T1")->address.empty());
    CHECK(load.data.terminal("T2")->address.empty());
    // The other columns are still required.
    m.write("terminals.csv",
            "terminal_id,name,kind,territory,lat,lon,address,grade\n"
            "T1,老百姓大药房,pharmacy,CN-SH-PD,31.2304,121.5060,上海市,A\n");
    auto missing = load_master_data(m.dir);
    CHECK(has_error(missing, "terminals.csv", 1, "Missing column \"radius_m\""));
    CHECK(missing.data.terminals.empty());
}

TEST_CASE("master data: a GBK address reads as UTF-8, a bad row is still named by line") {
    MasterDir m;
    // 浦东新区 in GBK.
    m.write("terminals.csv",
            "terminal_id,name,kind,territory,lat,lon,radius_m,grade,address\n"
            "T1,A,pharmacy,CN-SH-PD,31.2304,121.5060,100,A,\xC6\xD6\xB6\xAB\xD0\xC2\xC7\xF8\n"
            "T2,B,pharmacy,CN-SH-PD,31.2304,121.5060,-1,A,\xC6\xD6\xB6\xAB\n");
    // The other files hold only ASCII, so that they read as GBK too.
    m.write("products.csv", "product_id,name,spec,unit,gtin,drug_code_prefix\n");
    m.write("distributors.csv", "distributor_id,name,tier,territories\n");
    m.write("reps.csv", "rep_id,name,role,territory,device_id\n");
    auto load = load_master_data(m.dir, MasterEncoding::gbk);
    REQUIRE(load.data.terminal("T1"));
    CHECK(load.data.terminal("T1")->address == "浦东新区");
    CHECK(has_error(load, "terminals.csv", 3, "radius_m must be positive"));
    CHECK(load.errors.size() == 1);
}

TEST_CASE("master data: columns may come in any order and extra ones are ignored") {
    MasterDir m;
    m.write("reps.csv",
            "device_id,phone,rep_id,territory,role,name\n"
            "dev-009,138000,R9,CN-ZJ,otc,李雷\n");
    auto load = load_master_data(m.dir);
    CHECK(load.errors.empty());
    REQUIRE(load.data.rep("R9"));
    CHECK(load.data.rep("R9")->role == RepRole::otc);
    CHECK(load.data.rep("R9")->territory == "CN-ZJ");
}

TEST_CASE("master data: a UTF-8 byte order mark is not part of the first column name") {
    MasterDir m;
    m.write("products.csv",
            "\xEF\xBB\xBFproduct_id,name,spec,unit,gtin,drug_code_prefix\n"
            "P1,阿莫西林胶囊,0.25g*24粒,盒,6901234567892,8612345\n");
    auto load = load_master_data(m.dir);
    CHECK(load.errors.empty());
    CHECK(load.data.product("P1"));
}

TEST_CASE("master data: a missing column or file is an error of that file") {
    MasterDir m;
    m.write("products.csv", "product_id,name\nP1,x\n");
    fs::remove(m.dir / "distributors.csv");
    auto load = load_master_data(m.dir);
    CHECK(has_error(load, "products.csv", 1, "Missing column \"spec\""));
    CHECK(has_error(load, "distributors.csv", 0, "cannot open"));
    CHECK(load.data.products.empty());
    CHECK(load.data.terminal("T1"));  // the other files still load
}

TEST_CASE("master data: a duplicate id is an error, the first row wins") {
    MasterDir m;
    m.write("products.csv",
            "product_id,name,spec,unit,gtin,drug_code_prefix\n"
            "P1,first,,,,\n"
            "P1,second,,,,\n");
    auto load = load_master_data(m.dir);
    CHECK(has_error(load, "products.csv", 3, "duplicate product_id"));
    CHECK(load.data.product("P1")->name == "first");
}

TEST_CASE("master data: what changed between two versions, by id") {
    MasterDir m;
    auto before = load_master_data(m.dir).data;
    auto after = before;
    after.terminals.at("T2").radius_m = 250;
    after.terminals.erase("T1");
    after.products.emplace("P3", Product{"P3", "氯雷他定片", "10mg*6片", "盒", "", ""});
    auto changes = master_changes(before, after);
    CHECK(changes.products.added == std::vector<std::string>{"P3"});
    CHECK(changes.terminals.changed == std::vector<std::string>{"T2"});
    CHECK(changes.terminals.removed == std::vector<std::string>{"T1"});
    auto readdressed = before;
    readdressed.terminals.at("T1").address = "上海市浦东新区张杨路123号";
    CHECK(master_changes(before, readdressed).terminals.changed == std::vector<std::string>{"T1"});
    CHECK(changes.distributors.empty());
    CHECK(changes.reps.empty());
    CHECK(master_changes(before, before).empty());
}

TEST_CASE("master data: a row that is not UTF-8 is a bad row, read as GBK it loads") {
    MasterDir m;
    // 王芳 in GBK.
    m.write("reps.csv",
            "rep_id,name,role,territory,device_id\nR1,\xCD\xF5\xB7\xBC,retail,CN-SH,dev-001\n");
    auto as_utf8 = load_master_data(m.dir);
    CHECK(has_error(as_utf8, "reps.csv", 2, "not UTF-8 text"));
    CHECK_FALSE(as_utf8.data.rep("R1"));
    // The other files are UTF-8 and may not read as GBK: only reps.csv matters here.
    auto as_gbk = load_master_data(m.dir, MasterEncoding::gbk);
    CHECK_FALSE(has_error(as_gbk, "reps.csv", 2, ""));
    REQUIRE(as_gbk.data.rep("R1"));
    CHECK(as_gbk.data.rep("R1")->name == "王芳");
}
