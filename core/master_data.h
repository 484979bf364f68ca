#pragma once
// Master data: the products, terminals, distributors and reps a company works
// with, read from the CSV files of one folder (docs/data-formats.md).

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

namespace fieldflow::core {

struct Product {
    std::string id;
    std::string name;
    std::string spec;
    std::string unit;
    std::string gtin;
    std::string drug_code_prefix;
    bool operator==(const Product&) const = default;
};

enum class TerminalKind { hospital, pharmacy, clinic };

struct Terminal {
    std::string id;
    std::string name;
    TerminalKind kind = TerminalKind::pharmacy;
    std::string territory;
    double lat = 0;
    double lon = 0;
    double radius_m = 0;
    char grade = 'C';  // A, B or C: how often it should be visited.
    // UTF-8, empty when terminals.csv has none; last, so that terminals
    // initialised field by field in order before it came keep their meaning.
    std::string address;
    bool operator==(const Terminal&) const = default;
};

struct Distributor {
    std::string id;
    std::string name;
    int tier = 1;
    std::vector<std::string> territories;
    bool operator==(const Distributor&) const = default;
};

enum class RepRole { retail, otc, commercial };

struct Rep {
    std::string id;
    std::string name;
    RepRole role = RepRole::retail;
    std::string territory;
    std::string device;
    bool operator==(const Rep&) const = default;
};

// A row that could not be loaded; the rest of its file still is.
struct LoadError {
    std::string file;
    unsigned line = 0;
    std::string message;  // English, naming the column and the value
    // What was wrong as a stable name (docs/distribution.md, "Bad rows"),
    // and `message` in Chinese for the operator. Both empty where a reader
    // gives none: readers of them fall back to `message`.
    std::string code = {};
    std::string chinese = {};
};

struct MasterData {
    std::unordered_map<std::string, Product> products;
    std::unordered_map<std::string, Terminal> terminals;
    std::unordered_map<std::string, Distributor> distributors;
    std::unordered_map<std::string, Rep> reps;

    const Product* product(const std::string& id) const;
    const Terminal* terminal(const std::string& id) const;
    const Distributor* distributor(const std::string& id) const;
    const Rep* rep(const std::string& id) const;

    bool operator==(const MasterData&) const = default;
};

struct MasterDataLoad {
    MasterData data;
    std::vector<LoadError> errors;  // bad rows, skipped
};

enum class MasterEncoding { utf8, gbk };

// Reads products.csv, terminals.csv, distributors.csv and reps.csv from `dir`.
// A missing file or header is an error of that file; a bad row skips that row.
// With `gbk` every file is converted to UTF-8 first (its lines stay where
// they were); a row whose text is not UTF-8 then is a bad row, so that a
// GBK file read as UTF-8 is caught rather than stored garbled.
MasterDataLoad load_master_data(const std::filesystem::path& dir,
                                MasterEncoding encoding = MasterEncoding::utf8);

// What differs between two versions of the master data, by id, each list
// sorted: rows only in `after`, rows in both with other content, rows only
// in `before`.
struct MasterChanges {
    struct Ids {
        std::vector<std::string> added, changed, removed;
        bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
    };
    Ids products, terminals, distributors, reps;
    bool empty() const {
        return products.empty() && terminals.empty() && distributors.empty() && reps.empty();
    }
};
MasterChanges master_changes(const MasterData& before, const MasterData& after);

// Only products.csv, for a handheld's catalogue.
MasterDataLoad load_products(const std::filesystem::path& products_csv);

std::string_view name(TerminalKind kind);
std::string_view name(RepRole role);

}  // namespace fieldflow::core
