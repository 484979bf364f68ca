#include "support/test_ca.h"

#include <fstream>
#include <stdexcept>

#include "support/process.h"

namespace fieldflow::test {

namespace {

void openssl(std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/openssl");
    if (run(args).code != 0) throw std::runtime_error("openssl " + args[1] + " failed");
}

}  // namespace

TestCa make_test_ca(const std::filesystem::path& dir, const std::string& name) {
    std::filesystem::create_directories(dir);
    auto path = [&](const std::string& file) { return (dir / (name + "-" + file)).string(); };
    TestCa ca{path("ca.pem"), path("gateway.pem"), path("gateway.key")};
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", path("ca.key"), "-out", ca.ca, "-days", "2", "-subj",
             "/CN=fieldflow " + name + " CA"});
    openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", ca.key, "-out", path("gateway.csr"), "-subj", "/CN=localhost"});
    std::ofstream(path("san.cnf")) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    openssl({"x509", "-req", "-in", path("gateway.csr"), "-CA", ca.ca, "-CAkey", path("ca.key"),
             "-CAcreateserial", "-out", ca.cert, "-days", "2", "-extfile", path("san.cnf")});
    return ca;
}

}  // namespace fieldflow::test
