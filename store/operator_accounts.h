#pragma once
// Operators of the gateway's web pages: accounts with a role and a
// password kept only as a slow salted hash (PBKDF2-HMAC-SHA256, OpenSSL),
// and login sessions kept only as the SHA-256 of their cookie. Account
// changes enter the audit log.

#include "store/sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/audit_log.h"

namespace fieldflow::store {

// viewer: reads; reviewer: also settles flagged records; admin: all of it.
// Each within the operator's territories.
enum class Role { viewer, reviewer, admin };
std::string_view name(Role role);
std::optional<Role> role_named(std::string_view name);

struct Operator {
    std::string name;
    Role role = Role::viewer;
    // Territory codes (core/territory.h) whose terminals, reps and
    // distributors the operator sees. Empty for every territory: what an
    // account made before scopes existed had, whatever its role.
    std::vector<std::string> territories;
};

// "CN-SH,CN-ZJ" as the list it names, each code checked: letters, digits
// and '-' between non-empty parts. Throws std::invalid_argument otherwise,
// and for an empty list (every territory is asked for by naming none).
std::vector<std::string> territories_named(std::string_view list);
std::string territory_list(const std::vector<std::string>& territories);

// What a browser holds after logging in: the cookie's token, and the
// token it must echo in X-CSRF-Token on every request that changes state.
struct LoginSession {
    std::string token;
    std::string csrf;
    std::int64_t expires_at_ms = 0;
};

struct ActiveSession {
    Operator who;
    std::string csrf;
};

// The PHC-like string kept for a password: "pbkdf2-sha256$ITER$SALT$HASH".
std::string hash_password(std::string_view password, unsigned iterations = 600'000);
bool password_matches(std::string_view password, std::string_view stored);

class OperatorAccounts {
  public:
    static void ensure_schema(sql::Database& db);

    OperatorAccounts(sql::Database& db, AuditLog& audit) : db_(db), audit_(audit) {}

    // Adds an operator, or gives an existing one a new password, role and
    // territories (none for every territory).
    // Throws std::invalid_argument for an empty name or a password under 8 characters.
    void put(const std::string& name, Role role, std::string_view password, const std::string& by,
             const std::vector<std::string>& territories = {});
    // Gives an operator other territories, keeping the password. Their
    // sessions end: a page open under the old scope must not keep showing
    // it. False when there is no such operator.
    bool rescope(const std::string& name, const std::vector<std::string>& territories,
                 const std::string& by);
    // False when there is no such operator. Their sessions end with them.
    bool remove(const std::string& name, const std::string& by);
    std::vector<Operator> list();

    // The operator, when the name exists and the password is theirs. One
    // password hash either way, so that timing does not tell which names
    // exist (an unknown name is checked against a hash made once).
    std::optional<Operator> authenticate(const std::string& name, std::string_view password);
    // What a login checks a password against, without checking it: the
    // caller hashes (on a thread of its own) and must hash as much for an
    // unknown name.
    struct Stored {
        Operator who;
        std::string password;  // as hash_password made it
    };
    std::optional<Stored> stored_login(const std::string& name);
    LoginSession open_session(const Operator& who, std::int64_t now_ms,
                              std::int64_t lifetime_ms = 12 * 3600 * 1000);
    // The session a cookie token stands for, if it is open and not expired.
    std::optional<ActiveSession> session(std::string_view token, std::int64_t now_ms);
    void close_session(std::string_view token);

  private:
    sql::Database& db_;
    AuditLog& audit_;
};

}  // namespace fieldflow::store
