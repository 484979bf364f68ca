#pragma once
// The page's own files (HTML, scripts, styles, icons), served from the
// folder `serve --web` names: installed under PREFIX/share/fieldflow/handheld,
// the source tree's web/handheld in a build tree. Nothing comes from a
// network: the page works on a handheld with none.

#include <filesystem>
#include <string>

#include "agent/ui_server.h"

namespace fieldflow::agent {

// The file `path` names under `folder` ("/" is index.html); 404 for one
// that is not there or that would leave the folder.
UiResponse static_file(const UiRequest& request, const std::filesystem::path& folder,
                       const std::string& path);

// Where the page's files are when --web does not say, for the program at
// `program` (/proc/self/exe): PREFIX/share/fieldflow/handheld beside an
// installed PREFIX/bin/fieldflow-agent, else the source tree's web/handheld.
std::string default_handheld_web_dir(const std::string& program);
std::string default_handheld_web_dir();

}  // namespace fieldflow::agent
