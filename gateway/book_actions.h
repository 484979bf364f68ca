#pragma once
// The daily work on the distribution books from the operators' console,
// with the same checks and audit entries as the CLI (store/book_import.h,
// store/distribution_store.h). Reading is for every operator; acting is
// for reviewers and admins.
//   POST /api/books/import/preview?kind=K&name=FILE[&encoding=auto|utf-8|gbk]
//        the file itself as the body (up to 8 MiB): what an import would
//        store, find already there and refuse, each bad row by line; stores
//        nothing, and answers a token for exactly that outcome
//   POST /api/books/import/confirm?...&token=T
//        the same file again: stored when the import still comes out as the
//        token says, checked inside the transaction that commits; 409 with
//        the new preview when the file or the books changed in between
//   POST /api/books/flows/adjust   {"flow_id","field","value","reason"}
//   GET  /api/books/adjustments
//   POST /api/books/periods/close  {"period":"YYYY-MM","reason"}
//   POST /api/books/periods/reopen {"period":"YYYY-MM","reason"} (reason required)
//   GET  /api/books/periods        closed months and every close and reopening

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "gateway/http_server.h"
#include "store/operator_accounts.h"

namespace fieldflow::gateway {

class BookActions {
  public:
    // Where the upload bodies go: the listener lets them be larger.
    static constexpr std::string_view upload_prefix = "/api/books/import/";

    // `db` locates the store; each action opens its own connection, as the CLI does.
    BookActions(std::string db, std::shared_ptr<spdlog::logger> log)
        : db_(std::move(db)), log_(std::move(log)) {}

    // The answer for a /api/books/ path, nullopt for any other. The caller
    // has checked the login and, for a POST, the CSRF token.
    std::optional<HttpResponse> handle(const HttpRequest& request, std::string_view path,
                                       const store::ActiveSession& who);

  private:
    HttpResponse import(const HttpRequest& request, bool confirm, const std::string& by);
    HttpResponse adjust(const HttpRequest& request, const std::string& by);
    HttpResponse adjustments(const HttpRequest& request);
    HttpResponse period(const HttpRequest& request, bool close, const std::string& by);
    HttpResponse periods(const HttpRequest& request);

    std::string db_;
    std::shared_ptr<spdlog::logger> log_;
};

}  // namespace fieldflow::gateway
