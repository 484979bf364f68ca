#include "core/master_data.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "core/csv.h"
#include "core/text_encoding.h"

namespace fieldflow::core {

namespace {

template <typename T>
const T* find_in(const std::unordered_map<std::string, T>& map, const std::string& id) {
    auto it = map.find(id);
    return it == map.end() ? nullptr : &it->second;
}

TerminalKind terminal_kind(std::string_view text) {
    if (text == "hospital") return TerminalKind::hospital;
    if (text == "pharmacy") return TerminalKind::pharmacy;
    if (text == "clinic") return TerminalKind::clinic;
    throw csv::FieldError(
        "bad_kind", "kind must be hospital, pharmacy or clinic, not \"" + std::string(text) + "\"",
        "类型须为 hospital、pharmacy 或 clinic，而不是“" + std::string(text) + "”");
}

RepRole rep_role(std::string_view text) {
    if (text == "retail") return RepRole::retail;
    if (text == "otc") return RepRole::otc;
    if (text == "commercial") return RepRole::commercial;
    throw csv::FieldError(
        "bad_role", "role must be retail, otc or commercial, not \"" + std::string(text) + "\"",
        "岗位须为 retail、otc 或 commercial，而不是“" + std::string(text) + "”");
}

char grade(std::string_view text) {
    if (text == "A" || text == "B" || text == "C") return text[0];
    throw csv::FieldError("bad_grade", "grade must be A, B or C, not \"" + std::string(text) + "\"",
                          "等级须为 A、B 或 C，而不是“" + std::string(text) + "”");
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    while (!text.empty()) {
        auto cut = text.find(';');
        auto item = text.substr(0, cut);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) items.emplace_back(item);
        if (cut == std::string_view::npos) break;
        text.remove_prefix(cut + 1);
    }
    return items;
}

// The text of `path` as UTF-8; nullopt after adding the error that says why not.
std::optional<std::string> read_text(const std::filesystem::path& path, MasterEncoding encoding,
                                     std::vector<LoadError>& errors) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors.push_back({path.string(), 0, "cannot open file", "cannot_open", "无法打开文件"});
        return std::nullopt;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (encoding == MasterEncoding::utf8) return bytes;
    try {
        return gbk_to_utf8(bytes);
    } catch (const EncodingError& e) {
        auto before = std::string_view(bytes).substr(0, e.offset);
        auto line = static_cast<unsigned>(std::count(before.begin(), before.end(), '\n') + 1);
        auto at = std::to_string(e.offset);
        errors.push_back({path.string(), line, "not GBK text at byte " + at + "; file not read",
                          "not_gbk", "第 " + at + " 字节起不是 GBK 文本，文件未读取"});
        return std::nullopt;
    }
}

// Reads `dir/name` as a table; a file that cannot be read is one error.
// A row that is not UTF-8 text is a bad row: names are shown and stored as UTF-8.
template <std::size_t N, typename Handle>
void load_file(const std::filesystem::path& dir, const char* name,
               const std::array<const char*, N>& columns, MasterEncoding encoding,
               std::vector<LoadError>& errors, Handle&& handle, std::size_t optional = 0) {
    auto path = dir / name;
    auto text = read_text(path, encoding, errors);
    if (!text) return;
    std::istringstream in(std::move(*text));
    csv::read_table<N>(
        in, path.string(), columns,
        [&](const csv::Row<N>& fields) {
            for (const auto& field : fields)
                if (!valid_utf8(field))
                    throw csv::FieldError(
                        "not_utf8",
                        encoding == MasterEncoding::utf8
                            ? "not UTF-8 text; if the file is GBK, read it as GBK (--encoding gbk)"
                            : "not UTF-8 text",
                        encoding == MasterEncoding::utf8
                            ? "不是 UTF-8 文本；若文件为 GBK，请按 GBK 读取（--encoding gbk）"
                            : "不是 UTF-8 文本");
            handle(fields);
        },
        errors, optional);
}

// Inserts unless the id is taken: a second row with the same id is an error,
// not a silent overwrite.
template <typename T>
void insert_unique(std::unordered_map<std::string, T>& map, T value, const char* what) {
    std::string id = value.id;
    if (!map.emplace(id, std::move(value)).second)
        throw csv::FieldError("duplicate_id", std::string("duplicate ") + what + " \"" + id + "\"",
                              csv::chinese_column(what) + "“" + id + "”重复");
}

void load_products_into(const std::filesystem::path& file, MasterEncoding encoding,
                        MasterDataLoad& load) {
    load_file<6>(file.parent_path(), file.filename().c_str(),
                 {"product_id", "name", "spec", "unit", "gtin", "drug_code_prefix"}, encoding,
                 load.errors, [&](const csv::Row<6>& f) {
                     insert_unique(load.data.products,
                                   Product{std::string(csv::required(f[0], "product_id")), f[1],
                                           f[2], f[3], f[4], f[5]},
                                   "product_id");
                 });
}

}  // namespace

const Product* MasterData::product(const std::string& id) const {
    return find_in(products, id);
}
const Terminal* MasterData::terminal(const std::string& id) const {
    return find_in(terminals, id);
}
const Distributor* MasterData::distributor(const std::string& id) const {
    return find_in(distributors, id);
}
const Rep* MasterData::rep(const std::string& id) const {
    return find_in(reps, id);
}

MasterDataLoad load_master_data(const std::filesystem::path& dir, MasterEncoding encoding) {
    MasterDataLoad load;
    auto& data = load.data;

    load_products_into(dir / "products.csv", encoding, load);

    // address came later: files without it keep loading, with no addresses.
    load_file<9>(
        dir, "terminals.csv",
        {"terminal_id", "name", "kind", "territory", "lat", "lon", "radius_m", "grade", "address"},
        encoding, load.errors,
        [&](const csv::Row<9>& f) {
            Terminal t;
            t.id = csv::required(f[0], "terminal_id");
            t.name = f[1];
            t.kind = terminal_kind(f[2]);
            t.territory = csv::required(f[3], "territory");
            t.lat = csv::to_double(f[4], "lat");
            t.lon = csv::to_double(f[5], "lon");
            t.radius_m = csv::to_double(f[6], "radius_m");
            if (t.lat < -90 || t.lat > 90)
                throw csv::FieldError("out_of_range", "lat out of range",
                                      "纬度超出范围（-90 到 90）");
            if (t.lon < -180 || t.lon > 180)
                throw csv::FieldError("out_of_range", "lon out of range",
                                      "经度超出范围（-180 到 180）");
            if (t.radius_m <= 0)
                throw csv::FieldError("not_positive", "radius_m must be positive",
                                      "围栏半径须大于 0");
            t.grade = grade(f[7]);
            t.address = f[8];
            insert_unique(data.terminals, std::move(t), "terminal_id");
        },
        1);

    load_file<4>(dir, "distributors.csv", {"distributor_id", "name", "tier", "territories"},
                 encoding, load.errors, [&](const csv::Row<4>& f) {
                     Distributor d;
                     d.id = csv::required(f[0], "distributor_id");
                     d.name = f[1];
                     auto tier = csv::to_integer(f[2], "tier");
                     if (tier != 1 && tier != 2)
                         throw csv::FieldError("bad_tier", "tier must be 1 or 2",
                                               "层级须为 1 或 2");
                     d.tier = static_cast<int>(tier);
                     d.territories = split_list(f[3]);
                     insert_unique(data.distributors, std::move(d), "distributor_id");
                 });

    load_file<5>(dir, "reps.csv", {"rep_id", "name", "role", "territory", "device_id"}, encoding,
                 load.errors, [&](const csv::Row<5>& f) {
                     Rep r;
                     r.id = csv::required(f[0], "rep_id");
                     r.name = f[1];
                     r.role = rep_role(f[2]);
                     r.territory = csv::required(f[3], "territory");
                     r.device = f[4];
                     insert_unique(data.reps, std::move(r), "rep_id");
                 });
    return load;
}

MasterDataLoad load_products(const std::filesystem::path& products_csv) {
    MasterDataLoad load;
    load_products_into(products_csv, MasterEncoding::utf8, load);
    return load;
}

namespace {

template <typename T>
MasterChanges::Ids changes_of(const std::unordered_map<std::string, T>& before,
                              const std::unordered_map<std::string, T>& after) {
    MasterChanges::Ids ids;
    for (const auto& [id, row] : after) {
        auto was = before.find(id);
        if (was == before.end())
            ids.added.push_back(id);
        else if (!(was->second == row))
            ids.changed.push_back(id);
    }
    for (const auto& [id, row] : before)
        if (!after.contains(id)) ids.removed.push_back(id);
    for (auto* list : {&ids.added, &ids.changed, &ids.removed})
        std::sort(list->begin(), list->end());
    return ids;
}

}  // namespace

MasterChanges master_changes(const MasterData& before, const MasterData& after) {
    return {
        changes_of(before.products, after.products), changes_of(before.terminals, after.terminals),
        changes_of(before.distributors, after.distributors), changes_of(before.reps, after.reps)};
}

std::string_view name(TerminalKind kind) {
    switch (kind) {
        case TerminalKind::hospital:
            return "hospital";
        case TerminalKind::pharmacy:
            return "pharmacy";
        case TerminalKind::clinic:
            return "clinic";
    }
    return "pharmacy";
}

std::string_view name(RepRole role) {
    switch (role) {
        case RepRole::retail:
            return "retail";
        case RepRole::otc:
            return "otc";
        case RepRole::commercial:
            return "commercial";
    }
    return "retail";
}

}  // namespace fieldflow::core
