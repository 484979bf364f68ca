#include "store/operator_accounts.h"

#include <doctest/doctest.h>

#include "store/gateway_store.h"
#include "store/store_file.h"

using namespace fieldflow;
using fieldflow::test::StoreFile;

TEST_CASE("operator accounts: a password matches its own hash only, with a salt of its own") {
    auto stored = store::hash_password("correct horse", 1000);
    CHECK(stored.rfind("pbkdf2-sha256$1000$", 0) == 0);
    CHECK(store::password_matches("correct horse", stored));
    CHECK_FALSE(store::password_matches("correct horsf", stored));
    CHECK_FALSE(store::password_matches("", stored));
    CHECK(store::hash_password("correct horse", 1000) != stored);
}

TEST_CASE("operator accounts: a malformed stored hash matches nothing") {
    for (const char* stored : {"", "plain", "pbkdf2-sha256$0$00$00", "pbkdf2-sha256$10$zz$",
                               "md5$1000$0011$0011", "pbkdf2-sha256$1000$0011$0011"})
        CHECK_FALSE(store::password_matches("x", stored));
}

TEST_CASE("operator accounts: sessions expire, and a new password ends the old ones") {
    StoreFile file;
    store::GatewayStore store(file.location);
    auto accounts = store.operators();
    accounts.put("zhang", store::Role::reviewer, "correct horse", "admin");
    auto who = accounts.authenticate("zhang", "correct horse");
    REQUIRE(who);
    CHECK(who->role == store::Role::reviewer);
    CHECK_FALSE(accounts.authenticate("zhang", "Correct horse"));
    CHECK_FALSE(accounts.authenticate("wang", "correct horse"));

    auto session = accounts.open_session(*who, 1'000'000, 60'000);
    auto active = accounts.session(session.token, 1'030'000);
    REQUIRE(active);
    CHECK(active->who.name == "zhang");
    CHECK(active->csrf == session.csrf);
    CHECK_FALSE(accounts.session(session.token, 1'060'000));  // expired
    CHECK_FALSE(accounts.session(session.token + "0", 1'030'000));

    auto again = accounts.open_session(*who, 2'000'000, 60'000);
    CHECK(accounts.session(again.token, 2'000'001));
    accounts.put("zhang", store::Role::admin, "battery staple", "admin");
    CHECK_FALSE(accounts.session(again.token, 2'000'001));
    CHECK_THROWS_AS(accounts.put("zhang", store::Role::admin, "short", "admin"),
                    std::invalid_argument);
    CHECK(store.audit().verify().problem == std::nullopt);
}

TEST_CASE("operator accounts: territories are codes, comma-separated, none of them empty") {
    CHECK(store::territories_named("CN-SH") == std::vector<std::string>{"CN-SH"});
    CHECK(store::territories_named("CN-SH,CN-ZJ-HZ") ==
          std::vector<std::string>{"CN-SH", "CN-ZJ-HZ"});
    for (const char* bad : {"", ",", "CN-SH,", "CN--SH", "-CN", "CN-", "CN SH", "CN,'x'"})
        CHECK_THROWS_AS(store::territories_named(bad), std::invalid_argument);
    CHECK(store::territory_list({"CN-SH", "CN-ZJ"}) == "CN-SH,CN-ZJ");
}

TEST_CASE("operator accounts: a new scope ends the sessions and enters the audit log") {
    StoreFile file;
    store::GatewayStore store(file.location);
    auto accounts = store.operators();
    accounts.put("wang", store::Role::admin, "correct horse", "root");
    accounts.put("zhang", store::Role::reviewer, "correct horse", "wang", {"CN-SH"});
    auto who = accounts.authenticate("zhang", "correct horse");
    REQUIRE(who);
    CHECK(who->territories == std::vector<std::string>{"CN-SH"});
    CHECK(accounts.authenticate("wang", "correct horse")->territories.empty());

    auto session = accounts.open_session(*who, 1'000'000, 60'000);
    auto active = accounts.session(session.token, 1'000'001);
    REQUIRE(active);
    CHECK(active->who.territories == std::vector<std::string>{"CN-SH"});

    CHECK(accounts.rescope("zhang", {"CN-SH", "CN-ZJ"}, "wang"));
    CHECK_FALSE(accounts.session(session.token, 1'000'001));
    CHECK_FALSE(accounts.rescope("nobody", {}, "wang"));
    auto listed = accounts.list();
    REQUIRE(listed.size() == 2);
    CHECK(listed[1].territories == std::vector<std::string>{"CN-SH", "CN-ZJ"});
    CHECK(store.audit().verify().problem == std::nullopt);

    // A scope changed behind the log's back is a changed row.
    store.db().exec("UPDATE operators SET territories = '' WHERE name = 'zhang'");
    auto report = store.audit().verify();
    REQUIRE(report.problem);
    CHECK(report.problem->what.find("operators row zhang") != std::string::npos);
}
