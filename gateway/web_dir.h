#pragma once
// Where the dashboard's files are when --web does not say: beside the
// installed program (PREFIX/bin/fieldflow-gateway serves
// PREFIX/share/fieldflow/web, so a package or `cmake --install` to any
// prefix finds its own), else the source tree's web/ that the build was
// made from (a gateway run from build/bin).

#include <string>

namespace fieldflow::gateway {

// `program` is the running executable's path (/proc/self/exe); the folder
// is taken when it holds index.html.
std::string default_web_dir(const std::string& program);

// default_web_dir() of this process.
std::string default_web_dir();

}  // namespace fieldflow::gateway
