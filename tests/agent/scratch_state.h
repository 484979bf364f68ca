#pragma once
// A handheld's state folder for one test, removed with everything in it at
// the end. The agent's suite keeps its own (tests/support's TempDir comes
// with the gateway's store, which the handheld-only build has not).

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace fieldflow::test {

class ScratchState {
  public:
    ScratchState() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "fieldflow-agent-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~ScratchState() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchState(const ScratchState&) = delete;
    ScratchState& operator=(const ScratchState&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path handheld() const { return path_ / "handheld"; }

  private:
    std::filesystem::path path_;
};

}  // namespace fieldflow::test
