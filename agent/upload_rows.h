#pragma once
// A distributor's flow data or stock report as a commercial rep queues it,
// from a file named on the command line (`upload`) or picked on the page
// (上传): every good row as the record payload it becomes, every bad row
// with its line and what is wrong, read before anything is queued.

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/distribution_csv.h"
#include "core/master_data.h"
#include "core/record.h"

namespace fieldflow::agent {

// "flows" or "stock", the two kinds a handheld uploads.
std::optional<core::ImportKind> upload_kind(std::string_view name);

struct UploadRows {
    std::vector<core::Payload> payloads;
    std::vector<core::LoadError>
        bad;  // by line, with a code and Chinese where the reader gives them
};

// `in` is UTF-8 text; `file` names it in the bad rows. A row a record cannot
// carry is a bad row of its own: the rest of the file still goes.
UploadRows read_upload(core::ImportKind kind, std::istream& in, const std::string& file);

}  // namespace fieldflow::agent
