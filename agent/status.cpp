#include "agent/status.h"

#include "agent/master_apply.h"
#include "agent/plan_command.h"
#include "agent/plan_held.h"
#include "agent/today.h"
#include "core/clock.h"

#include <ctime>
#include <iomanip>

namespace fieldflow::agent {

namespace {

std::string local_time(std::int64_t ms) {
    std::time_t seconds = ms / 1000;
    std::tm tm{};
    localtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    return text;
}

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string lock_line(const LockState& lock) {
    switch (lock.status) {
        case LockStatus::no_pin:
            return "none: a lost handheld can be read (set-pin seals it)";
        case LockStatus::unlocked:
            return "set, unlocked";
        case LockStatus::locked:
            return "set, locked" +
                   (lock.failures ? ", " + std::to_string(lock.failures) + " wrong PIN" +
                                        (lock.failures == 1 ? "" : "s")
                                  : std::string()) +
                   (lock.locked_until_ms > core::unix_now_ms()
                        ? ", no PIN taken until " + local_time(lock.locked_until_ms)
                        : std::string());
    }
    return "";
}

}  // namespace

void print_status(Outbox& outbox, std::ostream& out, bool json) {
    auto identity = outbox.identity();
    auto lock = outbox.lock_state();
    // A locked outbox still tells how much waits, never what.
    bool readable = lock.status != LockStatus::locked;
    auto visit = readable ? outbox.open_visit() : std::nullopt;
    auto ack = outbox.last_ack();
    auto depth = outbox.depth();
    auto next = outbox.next_seq();
    auto master = master_version(outbox.database());
    auto terminals = terminals_known(outbox.database());
    auto photos = outbox.photo_counts();
    auto plan = held_plan(outbox.database());
    auto day = readable ? today(outbox, std::nullopt, core::unix_now_ms()) : Today{};
    if (json) {
        out << "{\"device\":" << (identity ? json_string(identity->device) : "null")
            << ",\"rep\":" << (identity ? json_string(identity->rep) : "null")
            << ",\"depth\":" << depth << ",\"next_seq\":" << next << ",\"open_visit\":";
        if (visit)
            out << "{\"terminal\":" << json_string(visit->terminal)
                << ",\"check_in_seq\":" << visit->check_in_seq
                << ",\"since_ms\":" << visit->since_ms << "}";
        else
            out << "null";
        out << ",\"last_ack\":";
        if (ack)
            out << "{\"at_ms\":" << ack->at_ms << ",\"accepted\":" << ack->accepted
                << ",\"flagged\":" << ack->flagged << ",\"rejected\":" << ack->rejected << "}";
        else
            out << "null";
        out << ",\"master_version\":" << master << ",\"terminals\":" << terminals
            << ",\"plan_version\":" << (plan ? plan->version : 0)
            << ",\"plan_today\":" << plan_today_json(day) << ",\"photos_queued\":" << photos.queued
            << ",\"photos_refused\":" << photos.refused << ",\"lock\":\""
            << lock_status_name(lock.status) << "\",\"pin_failures\":" << lock.failures
            << ",\"locked_out_until_ms\":" << lock.locked_until_ms << "}\n";
        return;
    }
    if (!identity) {
        out << "not set up: run init --device ID --rep ID\n";
        return;
    }
    out << "device     " << identity->device << " (rep " << identity->rep << ")\n"
        << "outbox     " << depth << " record" << (depth == 1 ? "" : "s") << " queued (next seq "
        << next << ")\n"
        << "pin        " << lock_line(lock) << '\n'
        << "visit      "
        << (!readable ? "(locked)"
            : visit   ? "open at " + visit->terminal + " since " + local_time(visit->since_ms)
                      : "none open")
        << '\n'
        << "last ack   ";
    if (ack)
        out << local_time(ack->at_ms) << ": " << ack->accepted << " accepted, " << ack->flagged
            << " flagged, " << ack->rejected << " rejected\n";
    else
        out << "never\n";
    out << "master     ";
    if (master)
        out << "version " << master << ", " << terminals << " terminal"
            << (terminals == 1 ? "" : "s") << " known\n";
    else
        out << "none yet: sync downloads it\n";
    std::size_t done = 0;
    for (const auto& stop : day.plan) done += stop.done;
    out << "plan       ";
    if (plan)
        out << "version " << plan->version << ", " << day.plan.size() << " visit"
            << (day.plan.size() == 1 ? "" : "s") << " today, " << done << " done\n";
    else
        out << "none yet: sync downloads it\n";
    out << "photos     " << photos.queued << " queued";
    if (photos.refused > 0) out << ", " << photos.refused << " refused by the gateway (kept here)";
    out << '\n';
}

}  // namespace fieldflow::agent
