// `fieldflow masterdata generate`: a consistent, deterministic sample of
// master data — products with valid GTINs, terminals with coordinates in the
// districts of their territories, distributors and reps bound to devices.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "tools/commands.h"
#include "tools/csv_output.h"

namespace fieldflow::tools {

namespace {

// Each district with where its terminals stand: its city and district for
// an address, then one of its roads and a number.
struct District {
    const char* territory;
    const char* name;
    double lat, lon;
    const char* address_begin;
    const char* roads[4];
};

const District districts[] = {
    {"CN-SH-PD",
     "浦东",
     31.2304,
     121.5440,
     "上海市浦东新区",
     {"张杨路", "世纪大道", "张江路", "东方路"}},
    {"CN-SH-XH",
     "徐汇",
     31.1880,
     121.4370,
     "上海市徐汇区",
     {"漕溪北路", "肇嘉浜路", "虹桥路", "天钥桥路"}},
    {"CN-SH-JA",
     "静安",
     31.2290,
     121.4480,
     "上海市静安区",
     {"南京西路", "延安中路", "江宁路", "常德路"}},
    {"CN-SH-MH",
     "闵行",
     31.1130,
     121.3820,
     "上海市闵行区",
     {"沪闵路", "七莘路", "都市路", "莘松路"}},
    {"CN-ZJ-HZ",
     "杭州",
     30.2741,
     120.1551,
     "浙江省杭州市西湖区",
     {"文三路", "天目山路", "教工路", "学院路"}},
    {"CN-ZJ-NB",
     "宁波",
     29.8683,
     121.5440,
     "浙江省宁波市鄞州区",
     {"鄞州大道", "天童南路", "四明中路", "中山东路"}},
};

const char* const chains[] = {"老百姓大药房", "一心堂",   "益丰大药房",
                              "大参林",       "国大药房", "华氏大药房"};
const char* const hospitals[] = {"人民医院", "中医医院", "妇幼保健院", "中心医院"};
const char* const streets[] = {"世纪大道", "南京西路", "淮海中路", "漕溪北路",
                               "延安西路", "莘庄",     "文三路",   "中山东路",
                               "天目山路", "张江路",   "陆家嘴",   "虹桥路"};

struct Drug {
    const char* name;
    const char* spec;
};
const Drug drugs[] = {
    {"阿莫西林胶囊", "0.25g*24粒"}, {"布洛芬缓释胶囊", "0.3g*20粒"},
    {"头孢克肟分散片", "0.1g*6片"}, {"盐酸二甲双胍片", "0.5g*48片"},
    {"阿托伐他汀钙片", "20mg*7片"}, {"复方甘草片", "100片"},
    {"氯雷他定片", "10mg*6片"},     {"奥美拉唑肠溶胶囊", "20mg*14粒"},
    {"连花清瘟胶囊", "0.35g*24粒"}, {"硝苯地平控释片", "30mg*7片"},
};

const char* const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
const char* const given[] = {"芳", "伟", "静", "磊", "敏", "洋", "丽", "强", "娟", "军"};

// GS1 mod-10 over the first twelve digits.
char gtin13_check(const std::string& twelve) {
    int sum = 0;
    for (std::size_t i = 0; i < 12; ++i) sum += (twelve[i] - '0') * (i % 2 ? 3 : 1);
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string fixed(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

}  // namespace

void write_sample_master_data(const std::filesystem::path& dir, unsigned seed,
                              unsigned terminal_count, unsigned rep_count) {
    std::mt19937 random(seed);
    auto pick = [&](auto& array) -> auto& {
        return array[random() % std::size(array)];
    };
    std::filesystem::create_directories(dir);

    std::ofstream products(dir / "products.csv", std::ios::binary);
    products << "product_id,name,spec,unit,gtin,drug_code_prefix\n";
    for (std::size_t i = 0; i < std::size(drugs); ++i) {
        char twelve[16];
        std::snprintf(twelve, sizeof twelve, "6901234%05zu", 10 * i + 1);
        std::string gtin = std::string(twelve) + gtin13_check(twelve);
        char prefix[8];
        std::snprintf(prefix, sizeof prefix, "86%05zu", 1000 + 37 * i);
        products << "P" << (i + 1 < 10 ? "0" : "") << i + 1 << ',' << drugs[i].name << ','
                 << csv_field(drugs[i].spec) << ",盒," << gtin << ',' << prefix << '\n';
    }

    std::ofstream terminals(dir / "terminals.csv", std::ios::binary);
    terminals << "terminal_id,name,kind,territory,lat,lon,radius_m,grade,address\n";
    std::uniform_real_distribution<double> offset(-0.03, 0.03);
    // Addresses draw from a sequence of their own, so that the rest of a
    // seed's sample stays what it was before terminals had addresses.
    std::mt19937 addressing(seed ^ 0x61646472u);
    for (unsigned i = 0; i < terminal_count; ++i) {
        const District& d = districts[i % std::size(districts)];
        unsigned roll = random() % 10;
        std::string kind = roll < 7 ? "pharmacy" : roll < 9 ? "clinic" : "hospital";
        std::string name =
            kind == "pharmacy" ? std::string(pick(chains)) + "(" + pick(streets) + "店)"
            : kind == "clinic" ? std::string(d.name) + pick(streets) + "社区卫生服务中心"
                               : std::string(d.name) + pick(hospitals);
        int radius = kind == "hospital" ? 250
                     : kind == "clinic" ? 120
                                        : 80 + static_cast<int>(random() % 5) * 20;
        char grade = "AABBBCCCCC"[random() % 10];
        char id[16];
        std::snprintf(id, sizeof id, "T%03u", i + 1);
        terminals << id << ',' << csv_field(name) << ',' << kind << ',' << d.territory << ','
                  << fixed(d.lat + offset(random), 6) << ',' << fixed(d.lon + offset(random), 6)
                  << ',' << radius << ',' << grade << ',' << d.address_begin
                  << d.roads[addressing() % std::size(d.roads)] << 1 + addressing() % 999 << "号\n";
    }

    std::ofstream distributors(dir / "distributors.csv", std::ios::binary);
    distributors << "distributor_id,name,tier,territories\n"
                 << "D01,国药控股上海有限公司,1,CN-SH\n"
                 << "D02,上海医药分销控股有限公司,1,CN-SH;CN-ZJ\n"
                 << "D03,华东医药股份有限公司,1,CN-ZJ\n"
                 << "D04,浦东新区医药有限公司,2,CN-SH-PD\n"
                 << "D05,杭州九州医药有限公司,2,CN-ZJ-HZ\n";

    std::ofstream reps(dir / "reps.csv", std::ios::binary);
    reps << "rep_id,name,role,territory,device_id\n";
    const char* territories[] = {"CN-SH", "CN-SH-PD", "CN-ZJ", "CN-SH-XH", "CN-ZJ-HZ", "CN-SH"};
    const char* roles[] = {"retail", "otc", "retail", "otc", "retail", "commercial"};
    for (unsigned i = 0; i < rep_count; ++i) {
        reps << 'R' << (i + 1 < 10 ? "0" : "") << i + 1 << ',' << pick(surnames) << pick(given)
             << ',' << roles[i % std::size(roles)] << ',' << territories[i % std::size(territories)]
             << ",dev-" << (i + 1 < 100 ? (i + 1 < 10 ? "00" : "0") : "") << i + 1 << '\n';
    }
}

int masterdata_command(const MasterdataOptions& o) {
    write_sample_master_data(o.out, o.seed, o.terminals, o.reps);
    std::filesystem::path dir(o.out);
    std::cout << "wrote " << std::size(drugs) << " products, " << o.terminals
              << " terminals, 5 distributors, " << o.reps << " reps to " << dir.string() << '\n';
    return 0;
}

}  // namespace fieldflow::tools
