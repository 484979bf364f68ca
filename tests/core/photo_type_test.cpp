#include "core/photo_type.h"

#include <doctest/doctest.h>

#include <string>

using fieldflow::core::photo_content_type;

namespace {

std::string_view type_of(const std::string& head) {
    return photo_content_type(std::as_bytes(std::span(head.data(), head.size())));
}

}  // namespace

TEST_CASE("photo type: JPEG and PNG by their first bytes, nothing else") {
    CHECK(type_of("\xFF\xD8\xFF\xE0rest") == "image/jpeg");
    CHECK(type_of(std::string("\x89PNG\r\n\x1A\n", 8) + "IHDR") == "image/png");
    // A PNG signature whose line endings a text transfer rewrote is no PNG.
    CHECK(type_of(std::string("\x89PNG\n\x1A\n", 7) + "IHDR").empty());
    CHECK(type_of("GIF89a").empty());
    CHECK(type_of("not a photo").empty());
    CHECK(type_of("\xFF\xD8").empty());
    CHECK(type_of("").empty());
}
