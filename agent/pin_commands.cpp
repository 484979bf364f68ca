#include "agent/pin_commands.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "program/message_language.h"

namespace fieldflow::agent {

namespace {

// One PIN from `in`; at a terminal, asked for and not echoed.
std::string read_pin(std::istream& in, const char* zh, const char* en) {
    bool terminal = &in == &std::cin && ::isatty(STDIN_FILENO);
    termios before{};
    if (terminal) {
        std::cerr << (program::chinese_messages() ? zh : en) << std::flush;
        ::tcgetattr(STDIN_FILENO, &before);
        auto quiet = before;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string pin;
    std::getline(in, pin);
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &before);
        std::cerr << '\n';
    }
    if (!pin.empty() && pin.back() == '\r') pin.pop_back();
    if (!in && pin.empty()) throw Refused("no PIN given on standard input");
    return pin;
}

std::string hours(std::chrono::seconds hold) {
    return std::to_string(std::chrono::duration_cast<std::chrono::hours>(hold).count());
}

}  // namespace

int set_pin_command(Outbox& outbox, std::istream& in, std::ostream& out,
                    std::chrono::seconds hold) {
    bool zh = program::chinese_messages();
    if (outbox.lock_state().status != LockStatus::no_pin) {
        auto current = read_pin(in, "当前 PIN：", "current PIN: ");
        auto next = read_pin(in, "新 PIN：", "new PIN: ");
        outbox.set_pin(next, hold, current);
        out << (zh ? "PIN 已更改\n" : "PIN changed\n");
        return 0;
    }
    auto pin = read_pin(in, "新 PIN（6 到 16 位数字）：", "new PIN (6 to 16 digits): ");
    outbox.set_pin(pin, hold);
    out << (zh ? "PIN 已设置：手持机上的记录、位置和照片已加密，解锁 " + hours(hold) + " 小时\n"
               : "PIN set: the handheld's records, positions and photos are sealed; unlocked "
                 "for " +
                     hours(hold) + " h\n");
    return 0;
}

int unlock_command(Outbox& outbox, std::istream& in, std::ostream& out, std::chrono::seconds hold) {
    bool zh = program::chinese_messages();
    auto held = outbox.unlock(read_pin(in, "PIN：", "PIN: "), hold);
    if (held == Held::by_this_process)
        throw Refused(
            "the PIN is right, but this system's kernel keeps no keys for the agent, so the "
            "next command could not use it: use the rep's app, which unlocks for itself");
    out << (zh ? "已解锁 " + hours(hold) + " 小时\n" : "unlocked for " + hours(hold) + " h\n");
    return 0;
}

int lock_command(Outbox& outbox, std::ostream& out) {
    outbox.lock();
    out << (program::chinese_messages() ? "已锁定\n" : "locked\n");
    return 0;
}

}  // namespace fieldflow::agent
