#include "fuzz/fuzz_master.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "support/master_fixture.h"

namespace fieldflow::fuzz {

const core::MasterData& master_data() {
    static const core::MasterData master = [] {
        auto dir = std::filesystem::temp_directory_path() /
                   ("fieldflow-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        auto loaded = core::load_master_data(test::write_master_fixture(dir));
        std::filesystem::remove_all(dir);
        if (!loaded.errors.empty()) std::abort();  // the fixture itself must load
        return loaded.data;
    }();
    return master;
}

}  // namespace fieldflow::fuzz
