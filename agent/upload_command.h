#pragma once
// `upload flows|stock FILE`: a commercial rep carries a distributor's flow
// data or stock report into the outbox, one record per row, to be judged at
// the gateway by the same rules as an imported file and booked there.

#include <ostream>
#include <string>

#include "agent/outbox.h"

namespace fieldflow::agent {

struct UploadRequest {
    std::string kind;  // "flows" or "stock"
    std::string file;
    bool gbk = false;      // the file is GBK text, not UTF-8
    bool chinese = false;  // what a person reads in Chinese (program/message_language.h)
};

// Queues every good row together; bad rows (and rows a record cannot carry)
// are listed on `errors` with their line and not queued. Returns 0, or 1 when
// some rows were bad; throws Refused when the file cannot be read.
int upload(Outbox& outbox, const UploadRequest& request, std::ostream& out, std::ostream& errors);

}  // namespace fieldflow::agent
