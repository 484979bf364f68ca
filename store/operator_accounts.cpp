#include "store/operator_accounts.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "core/clock.h"
#include "core/digest.h"
#include "store/device_token.h"

namespace fieldflow::store {

namespace {

constexpr const char* scheme = "pbkdf2-sha256";

std::vector<unsigned char> pbkdf2(std::string_view password, std::span<const unsigned char> salt,
                                  unsigned iterations) {
    std::vector<unsigned char> out(32);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return out;
}

std::optional<std::vector<unsigned char>> from_hex(std::string_view text) {
    if (text.size() % 2) return std::nullopt;
    std::vector<unsigned char> bytes(text.size() / 2);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto [end, ec] =
            std::from_chars(text.data() + 2 * i, text.data() + 2 * i + 2, bytes[i], 16);
        if (ec != std::errc() || end != text.data() + 2 * i + 2) return std::nullopt;
    }
    return bytes;
}

// As territory_list wrote them; a hand-edited list that no longer parses
// opens nothing rather than everything.
std::vector<std::string> stored_territories(const std::string& list) {
    if (list.empty()) return {};
    try {
        return territories_named(list);
    } catch (const std::invalid_argument&) {
        return {"\x01none"};
    }
}

}  // namespace

std::string_view name(Role role) {
    switch (role) {
        case Role::viewer:
            return "viewer";
        case Role::reviewer:
            return "reviewer";
        case Role::admin:
            return "admin";
    }
    return "viewer";
}

std::optional<Role> role_named(std::string_view text) {
    for (Role role : {Role::viewer, Role::reviewer, Role::admin})
        if (name(role) == text) return role;
    return std::nullopt;
}

std::vector<std::string> territories_named(std::string_view list) {
    auto code_char = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-';
    };
    std::vector<std::string> territories;
    for (std::size_t start = 0; start <= list.size();) {
        auto end = std::min(list.find(',', start), list.size());
        std::string_view code = list.substr(start, end - start);
        if (code.empty() || code.front() == '-' || code.back() == '-' ||
            code.find("--") != std::string_view::npos || !std::ranges::all_of(code, code_char))
            throw std::invalid_argument("\"" + std::string(code) +
                                        "\" is not a territory code such as CN-SH");
        territories.emplace_back(code);
        start = end + 1;
    }
    return territories;
}

std::string territory_list(const std::vector<std::string>& territories) {
    std::string list;
    for (const auto& t : territories) list += (list.empty() ? "" : ",") + t;
    return list;
}

std::string hash_password(std::string_view password, unsigned iterations) {
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof salt) != 1) throw std::runtime_error("no random bytes");
    return std::string(scheme) + "$" + std::to_string(iterations) + "$" + core::hex(salt) + "$" +
           core::hex(pbkdf2(password, salt, iterations));
}

bool password_matches(std::string_view password, std::string_view stored) {
    // scheme $ iterations $ salt $ hash
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        auto end = stored.find('$', start);
        parts.push_back(stored.substr(start, end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    if (parts.size() != 4 || parts[0] != scheme) return false;
    unsigned iterations = 0;
    auto [end, ec] =
        std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
    auto salt = from_hex(parts[2]);
    auto expected = from_hex(parts[3]);
    if (ec != std::errc() || iterations == 0 || !salt || !expected || expected->size() != 32)
        return false;
    auto offered = pbkdf2(password, *salt, iterations);
    return CRYPTO_memcmp(offered.data(), expected->data(), offered.size()) == 0;
}

void OperatorAccounts::ensure_schema(sql::Database& db) {
    db.exec(R"sql(
CREATE TABLE IF NOT EXISTS operators (
  name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('viewer','reviewer','admin')),
  password TEXT NOT NULL, changed_at_ms INTEGER NOT NULL,
  territories TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS operator_sessions (
  token_sha256 BLOB PRIMARY KEY, operator TEXT NOT NULL REFERENCES operators(name) ON DELETE CASCADE,
  csrf TEXT NOT NULL, opened_at_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL);
)sql");
    // Accounts from before scopes keep seeing every territory.
    if (!sql::has_column(db, "operators", "territories"))
        db.exec("ALTER TABLE operators ADD COLUMN territories TEXT NOT NULL DEFAULT ''");
}

namespace {

std::string described(const std::string& name, Role role,
                      const std::vector<std::string>& territories) {
    return name + " as " + std::string(store::name(role)) + " in " +
           (territories.empty() ? std::string("every territory") : territory_list(territories));
}

void end_sessions(sql::Database& db, const std::string& name) {
    sql::Statement end(db, "DELETE FROM operator_sessions WHERE operator = ?1");
    end.bind(1, name);
    end.exec();
}

}  // namespace

void OperatorAccounts::put(const std::string& name, Role role, std::string_view password,
                           const std::string& by, const std::vector<std::string>& territories) {
    if (name.empty()) throw std::invalid_argument("an operator needs a name");
    if (password.size() < 8)
        throw std::invalid_argument("the password of " + name + " is shorter than 8 characters");
    // Hashed before the transaction: the slow hash must not hold the write lock.
    std::string stored = hash_password(password);
    auto now = core::unix_now_ms();
    sql::Transaction transaction(db_, sql::TransactionKind::write);
    sql::Statement existed(db_, "SELECT role FROM operators WHERE name = ?1");
    existed.bind(1, name);
    bool known = existed.step();
    sql::Statement put(db_,
                       "INSERT INTO operators (name, role, password, changed_at_ms, "
                       "territories) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE "
                       "SET role = excluded.role, password = excluded.password, "
                       "changed_at_ms = excluded.changed_at_ms, "
                       "territories = excluded.territories");
    put.bind(1, name);
    put.bind(2, std::string(store::name(role)));
    put.bind(3, stored);
    put.bind(4, now);
    put.bind(5, territory_list(territories));
    put.exec();
    // A new password ends the sessions opened with the old one.
    end_sessions(db_, name);
    audit_.append_state(Kept::operators, name, by, known ? "operator changed" : "operator added",
                        described(name, role, territories));
    transaction.commit();
}

bool OperatorAccounts::rescope(const std::string& name, const std::vector<std::string>& territories,
                               const std::string& by) {
    sql::Transaction transaction(db_, sql::TransactionKind::write);
    sql::Statement existed(db_, "SELECT role FROM operators WHERE name = ?1");
    existed.bind(1, name);
    if (!existed.step()) return false;
    auto role = role_named(existed.text(0)).value_or(Role::viewer);
    sql::Statement change(db_,
                          "UPDATE operators SET territories = ?2, changed_at_ms = ?3 "
                          "WHERE name = ?1");
    change.bind(1, name);
    change.bind(2, territory_list(territories));
    change.bind(3, core::unix_now_ms());
    change.exec();
    end_sessions(db_, name);
    audit_.append_state(Kept::operators, name, by, "operator rescoped",
                        described(name, role, territories));
    transaction.commit();
    return true;
}

bool OperatorAccounts::remove(const std::string& name, const std::string& by) {
    sql::Transaction transaction(db_, sql::TransactionKind::write);
    end_sessions(db_, name);
    sql::Statement gone(db_, "DELETE FROM operators WHERE name = ?1");
    gone.bind(1, name);
    if (gone.exec() == 0) return false;
    audit_.append_state(Kept::operators, name, by, "operator removed", name);
    transaction.commit();
    return true;
}

std::vector<Operator> OperatorAccounts::list() {
    sql::Statement query(db_, "SELECT name, role, territories FROM operators ORDER BY name");
    std::vector<Operator> operators;
    while (query.step())
        operators.push_back({query.text(0), role_named(query.text(1)).value_or(Role::viewer),
                             stored_territories(query.text(2))});
    return operators;
}

std::optional<OperatorAccounts::Stored> OperatorAccounts::stored_login(const std::string& name) {
    sql::Statement query(db_, "SELECT role, password, territories FROM operators WHERE name = ?1");
    query.bind(1, name);
    if (!query.step()) return std::nullopt;
    auto role = role_named(query.text(0));
    if (!role) return std::nullopt;
    return Stored{{name, *role, stored_territories(query.text(2))}, query.text(1)};
}

std::optional<Operator> OperatorAccounts::authenticate(const std::string& name,
                                                       std::string_view password) {
    static const std::string unknown = hash_password("not a password");
    auto stored = stored_login(name);
    bool matches = password_matches(password, stored ? stored->password : unknown);
    if (!stored || !matches) return std::nullopt;
    return stored->who;
}

LoginSession OperatorAccounts::open_session(const Operator& who, std::int64_t now_ms,
                                            std::int64_t lifetime_ms) {
    LoginSession session{random_token("ffs1."), random_token(""), now_ms + lifetime_ms};
    auto digest = token_sha256(session.token);
    sql::Transaction transaction(db_, sql::TransactionKind::write);
    sql::Statement expired(db_, "DELETE FROM operator_sessions WHERE expires_at_ms <= ?1");
    expired.bind(1, now_ms);
    expired.exec();
    sql::Statement put(db_,
                       "INSERT INTO operator_sessions (token_sha256, operator, csrf, "
                       "opened_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    put.bind_blob(1, digest);
    put.bind(2, who.name);
    put.bind(3, session.csrf);
    put.bind(4, now_ms);
    put.bind(5, session.expires_at_ms);
    put.exec();
    transaction.commit();
    return session;
}

std::optional<ActiveSession> OperatorAccounts::session(std::string_view token,
                                                       std::int64_t now_ms) {
    auto digest = token_sha256(token);
    sql::Statement query(db_,
                         "SELECT o.name, o.role, s.csrf, o.territories FROM operator_sessions s "
                         "JOIN operators o ON o.name = s.operator "
                         "WHERE s.token_sha256 = ?1 AND s.expires_at_ms > ?2");
    query.bind_blob(1, digest);
    query.bind(2, now_ms);
    if (!query.step()) return std::nullopt;
    auto role = role_named(query.text(1));
    if (!role) return std::nullopt;
    return ActiveSession{{query.text(0), *role, stored_territories(query.text(3))}, query.text(2)};
}

void OperatorAccounts::close_session(std::string_view token) {
    auto digest = token_sha256(token);
    sql::Statement end(db_, "DELETE FROM operator_sessions WHERE token_sha256 = ?1");
    end.bind_blob(1, digest);
    end.exec();
}

}  // namespace fieldflow::store
