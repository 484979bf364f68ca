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
};

struct Distributor {
    std::string id;
    std::string name;
    int tier = 1;
    std::vector<std::string> territories;
};

enum class RepRole { retail, otc, commercial };

struct Rep {
    std::string id;
    std::string name;
    RepRole role = RepRole::retail;
    std::string territory;
    std::string device;
};

// A row that could not be loaded; the rest of its file still is.
struct LoadError {
    std::string file;
    unsigned line = 0;
    std::string message;
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
};

struct MasterDataLoad {
    MasterData data;
    std::vector<LoadError> errors;  // bad rows, skipped
};

// Reads products.csv, terminals.csv, distributors.csv and reps.csv from `dir`.
// A missing file or header is an error of that file; a bad row skips that row.
MasterDataLoad load_master_data(const std::filesystem::path& dir);

// Only products.csv, for a handheld's catalogue.
MasterDataLoad load_products(const std::filesystem::path& products_csv);

std::string_view name(TerminalKind kind);
std::string_view name(RepRole role);

}  // namespace fieldflow::core
