#pragma once
// The handheld page's JSON API (docs/agent.md, "The page's API"): the same
// operations as the capture commands, on `serve`'s own outbox, answered on
// the io_context's thread. Every capture is its own transaction, committed
// before the answer says it is saved; what changed is published as
// server-sent events (scan, scan_error, state) and kicks the background
// sync. Bad input is answered 400 naming the field.

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/background_sync.h"
#include "agent/gps_follow.h"
#include "agent/outbox.h"
#include "agent/pin_worker.h"
#include "agent/ui_server.h"

namespace fieldflow::agent {

struct ServeContext {
    Outbox& outbox;
    std::filesystem::path state_dir;
    std::filesystem::path web_dir;
    const GpsFollow& gps;
    BackgroundSync* sync = nullptr;  // none: no gateway to sync with
    std::string token;
    std::string version;
    // Sends an event to the page's open streams.
    std::function<void(const std::string& name, const std::string& data)> publish;
    // Where the PIN is checked, off the io_context's thread.
    PinWorker& pins;
};

class ServeApi {
  public:
    explicit ServeApi(ServeContext context);

    UiResponse answer(const UiRequest& request);
    // POST /api/unlock and /api/pin, whose Argon2id runs on the PinWorker:
    // answered through `reply` once it is done (UiDeferral). False for
    // any other request, which answer() answers.
    bool answer_later(const UiRequest& request, const UiReply& reply);

    // A code the scan engine read: saved as a scan in the open visit and
    // published as `scan`; with no visit open (or refused), published as
    // `scan_error` and kept in the list of codes not saved.
    void scanned_by_engine(const std::string& code);

    nlohmann::json state() const;
    // state() as one line of JSON, the data of a `state` event.
    std::string state_text() const;

  private:
    nlohmann::json scan_line_json(const std::string& code);
    nlohmann::json visit() const;
    nlohmann::json terminals() const;
    nlohmann::json results() const;
    UiResponse photo(const UiRequest& request);
    UiResponse checkin(const UiRequest& request, const nlohmann::json& body);
    UiResponse count(const UiRequest& request, const nlohmann::json& body);
    UiResponse report(const UiRequest& request, const std::string& kind,
                      const nlohmann::json& body);
    UiResponse checkout(const UiRequest& request);
    // A distributor's file: checked by line, and queued when `queue` (agent/serve_upload.cpp).
    UiResponse upload(const UiRequest& request, bool queue);
    // The rep's PIN (agent/pin_lock.h): unlock for default_unlock_hold,
    // the first PIN or a changed one, each answered as docs/agent.md says:
    // at once when the request is refused before any PIN is checked, and
    // through `reply` once the PinWorker has checked it otherwise.
    void unlock(const UiRequest& request, const nlohmann::json& body, const UiReply& reply);
    void set_pin(const UiRequest& request, const nlohmann::json& body, const UiReply& reply);
    // The page's answer once the PinWorker is done: what its outbox threw,
    // or (nothing thrown) `ok_body` with the lock state, which the page's
    // streams hear too.
    UiResponse pin_checked(const UiRequest& request, const std::exception_ptr& thrown,
                           const char* field, nlohmann::json ok_body);
    // Once a capture is committed: the page and the sync are told.
    void captured();
    // Locked, unlocked, a PIN set or a wrong one counted: the page is told.
    void lock_changed();

    ServeContext context_;
    // Packs scanned today, for the serial_seen_today warning: read from
    // the outbox on the day's first scan (a restart keeps the day's), and
    // each one listed there with its scan (Outbox::list_next).
    std::string today_;
    std::set<std::string> packs_today_;
    // Codes from the scan engine that could not be saved, newest last.
    nlohmann::json unsaved_codes_ = nlohmann::json::array();
};

}  // namespace fieldflow::agent
