// `fieldflow photo get SHA256 --db DB [--out FILE]`: a photo a handheld sent,
// byte for byte as the gateway stored it once its hash was checked.

#include <fstream>
#include <iostream>

#include "core/report_rules.h"
#include "store/gateway_store.h"
#include "store/photo_store.h"
#include "tools/commands.h"

namespace fieldflow::tools {

int photo_command(const PhotoOptions& o) {
    if (core::sha256_hex(o.sha256) || o.sha256.empty()) {
        std::cerr << "fieldflow photo get: \"" << o.sha256
                  << "\" is not a SHA-256 (64 lowercase hex digits, as `fieldflow records` shows "
                     "in photoSha256)\n";
        return 2;
    }
    if (!existing_store("photo get", o.db)) return 1;
    store::GatewayStore store(o.db);
    store::PhotoStore photos(store.db());
    auto photo = photos.photo(o.sha256);
    if (!photo) {
        std::cerr << "fieldflow photo get: no photo " << o.sha256 << " in " << o.db
                  << " (not received yet, or refused)\n";
        return 1;
    }
    const auto* data = reinterpret_cast<const char*>(photo->bytes.data());
    auto size = static_cast<std::streamsize>(photo->bytes.size());
    if (o.out.empty()) {
        std::cout.write(data, size);
        std::cout.flush();
        return std::cout ? 0 : 1;
    }
    std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
    out.write(data, size);
    out.close();
    if (!out) {
        std::cerr << "fieldflow photo get: cannot write " << o.out << '\n';
        return 1;
    }
    std::cerr << "photo " << o.sha256 << " (" << photo->content_type << ", " << size
              << " bytes) written to " << o.out << '\n';
    return 0;
}

}  // namespace fieldflow::tools
