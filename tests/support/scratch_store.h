#pragma once
// Where a test keeps a gateway's store. The suites run twice: on SQLite,
// where the store is a file in the test's folder, and on PostgreSQL
// (FIELDFLOW_TEST_STORE=postgresql), where it is a database of its own on
// the server FIELDFLOW_TEST_POSTGRES names (scripts/with-postgres.sh starts
// one), created empty and dropped at the end.

#include <filesystem>
#include <string>

namespace fieldflow::test {

// True when this run of the suite is the PostgreSQL one.
bool testing_postgresql();

class ScratchStore {
  public:
    // `folder` holds the SQLite file, named `name`; a store made as a copy
    // of the one at `original` (which nothing may be using) starts with its content.
    ScratchStore(const std::filesystem::path& folder, const std::string& name,
                 const std::string& original = {});
    ~ScratchStore();
    ScratchStore(const ScratchStore&) = delete;
    ScratchStore& operator=(const ScratchStore&) = delete;

    // A file path, or a postgresql:// URL: what --db takes.
    const std::string& location() const { return location_; }

  private:
    std::string location_;
    std::string database_;  // PostgreSQL's, to drop
};

// One number from a store, read while a gateway may still be writing.
long long store_scalar(const std::string& location, const std::string& sql);
// A statement run on a store behind the gateway's back.
void store_exec(const std::string& location, const std::string& sql);
// Makes new connections to the store fail (the SQLite file moved away, the
// PostgreSQL database closed to connections), or lets them in again.
void set_reachable(const std::string& location, bool reachable);

}  // namespace fieldflow::test
