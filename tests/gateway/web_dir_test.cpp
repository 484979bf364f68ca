// Where the gateway looks for the dashboard when --web does not say: an
// installed prefix's share/fieldflow/web, else the source tree's web/.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gateway/web_dir.h"

using namespace fieldflow;
namespace fs = std::filesystem;

namespace {

struct ScratchPrefix {
    fs::path root = fs::temp_directory_path() / ("fieldflow-prefix-" + std::to_string(::getpid()));
    ScratchPrefix() {
        fs::remove_all(root);
        fs::create_directories(root / "bin");
    }
    ~ScratchPrefix() { fs::remove_all(root); }
};

}  // namespace

TEST_CASE("web dir: an installed gateway serves the files of its own prefix" *
          doctest::test_suite("no gateway store")) {
    ScratchPrefix prefix;
    auto web = prefix.root / "share" / "fieldflow" / "web";
    fs::create_directories(web);
    std::ofstream(web / "index.html") << "<!doctype html>";
    CHECK(gateway::default_web_dir((prefix.root / "bin" / "fieldflow-gateway").string()) ==
          web.string());
}

TEST_CASE("web dir: a gateway outside an installed prefix serves the source tree's web/" *
          doctest::test_suite("no gateway store")) {
    ScratchPrefix prefix;
    // A share/fieldflow/web without the page is not an installed dashboard.
    fs::create_directories(prefix.root / "share" / "fieldflow" / "web");
    CHECK(gateway::default_web_dir((prefix.root / "bin" / "fieldflow-gateway").string()) ==
          std::string(FIELDFLOW_SOURCE_DIR) + "/web");
    CHECK(gateway::default_web_dir("") == std::string(FIELDFLOW_SOURCE_DIR) + "/web");
}
