#include "support/master_fixture.h"

#include <fstream>

namespace fieldflow::test {

std::string write_master_fixture(const std::filesystem::path& parent) {
    auto dir = parent / "master";
    std::filesystem::create_directories(dir);
    auto write = [&](const char* name, const char* text) {
        std::ofstream(dir / name, std::ios::binary) << text;
    };
    write("products.csv",
          "product_id,name,spec,unit,gtin,drug_code_prefix\n"
          "P1,阿莫西林胶囊,0.25g*24粒,盒,6901234567892,8612345\n"
          "P2,布洛芬缓释胶囊,0.3g*20粒,盒,6901234567809,8612346\n");
    write("terminals.csv",
          "terminal_id,name,kind,territory,lat,lon,radius_m,grade\n"
          "T1,老百姓大药房(世纪大道店),pharmacy,CN-SH-PD,31.2304,121.5060,100,A\n"
          "T2,一心堂(西湖店),pharmacy,CN-ZJ-HZ,30.2590,120.1300,150,B\n");
    write("distributors.csv",
          "distributor_id,name,tier,territories\n"
          "D1,国药控股上海,1,CN-SH;CN-ZJ\n"
          "D2,浦东新区医药,2,CN-SH-PD\n");
    write("reps.csv",
          "rep_id,name,role,territory,device_id\n"
          "R1,王芳,retail,CN-SH,dev-001\n"
          "R2,李雷,otc,CN-ZJ,dev-002\n"
          "R3,张伟,commercial,CN-SH,dev-003\n");
    return dir.string();
}

}  // namespace fieldflow::test
