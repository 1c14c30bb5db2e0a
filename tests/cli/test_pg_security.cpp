// PostGIS security against a throwaway server that behaves like a legacy one
// (standard_conforming_strings=off): no password in any output, stdout or stderr, in the keyword
// and the URI form; a hostile profile label runs no SQL; a signal during `--engine postgis` leaves
// no scratch schema and no running query; `db clean` lists and drops leftovers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "layers/io.hpp"
#include "layers/postgis.hpp"
#include "tests/support.hpp"
#include "tests/support_pg.hpp"

extern char** environ;

using namespace planmap;
using nlohmann::json;

namespace {

const std::string secret = "Sup3r-S3cret_pw";

// Every session of this server reads '\' in a string literal as an escape.
test::PgCluster& server() {
    return test::program_cluster([](test::PgCluster& c) { c.psql("ALTER DATABASE postgres SET standard_conforming_strings = off;"); });
}

class PgSecurity : public ::testing::Test {
protected:
    void SetUp() override {
        if (!server().available()) GTEST_SKIP() << "no PostGIS server: " << server().why();
    }
};

// "PG:host=H port=P dbname=D user=U" → its values.
std::string value_of(const std::string& conn, const std::string& key) {
    auto at = conn.find(" " + key + "=");
    if (at == std::string::npos) at = conn.find(":" + key + "=");
    auto start = at + key.size() + 2;
    return conn.substr(start, conn.find(' ', start) - start);
}

std::string percent_encode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// The server in keyword form with a quoted password (trust authentication ignores it).
std::string keyword_connection() { return server().gdal_connection() + " password='" + secret + " x\\'y'"; }

// The same database as a URI with user:password@.
std::string uri_connection() {
    auto c = server().gdal_connection();
    return "postgresql://" + value_of(c, "user") + ":" + percent_encode(secret) + "@" + percent_encode(value_of(c, "host")) + ":" +
           value_of(c, "port") + "/" + value_of(c, "dbname");
}

int scratch_schemas() {
    return std::stoi(server().psql("SELECT count(*) FROM pg_namespace WHERE left(nspname, 12) = 'planmap_run_';"));
}

void expect_no_secret(const test::CliResult& r, const std::string& what) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << what << " stdout:\n" << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << what << " stderr:\n" << r.err;
    EXPECT_EQ(r.out.find("S3cret"), std::string::npos) << what;
    EXPECT_EQ(r.err.find("S3cret"), std::string::npos) << what;
}

void expect_no_secret_in_files(const test::fs::path& dir) {
    for (const auto& f : test::list_files(dir)) {
        auto bytes = test::read_file(dir / f);
        EXPECT_EQ(bytes.find("S3cret"), std::string::npos) << f;
        EXPECT_EQ(bytes.find(percent_encode(secret)), std::string::npos) << f;
    }
}

}  // namespace

TEST_F(PgSecurity, ServerIsLegacy) {
    EXPECT_EQ(server().psql("SHOW standard_conforming_strings;"), "off\n");
}

// Every output of every command that takes a connection: HTML report, JSON summary, outputs,
// stdout and stderr, for a succeeding and a failing run, in both forms.
TEST_F(PgSecurity, NoPasswordInAnyOutput) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "300", "--seed", "3", "-o", city, "-q"}).code, 0);
    int n = 0;
    for (const auto& conn : {keyword_connection(), uri_connection()}) {
        SCOPED_TRACE(layers::redact_connection(conn));
        auto dir = tmp / ("run" + std::to_string(n++));
        test::fs::create_directories(dir);
        // Into the database: the layers as tables (the URI form takes an active_schema-free write).
        auto conv = test::run({"convert", city, conn});
        ASSERT_EQ(conv.code, 0) << conv.err;
        expect_no_secret(conv, "convert to PG");
        EXPECT_NE(conv.out.find("wrote "), std::string::npos) << conv.out;
        // GDAL's tables= goes after the keyword form; for a URI, planmap converts it first.
        auto table = [&](const std::string& t) {
            return conn.rfind("PG:", 0) == 0 ? conn + " tables=" + t : layers::pg_keyword_form(conn) + " tables=" + t;
        };
        auto info = test::run({"info", "--json", table("residential")});
        ASSERT_EQ(info.code, 0) << info.err;
        expect_no_secret(info, "info --json");
        auto ij = json::parse(info.out);
        EXPECT_NE(ij["source"].get<std::string>().find("***"), std::string::npos) << ij["source"];
        auto info_text = test::run({"info", table("residential")});
        ASSERT_EQ(info_text.code, 0) << info_text.err;
        expect_no_secret(info_text, "info");
        // Out of the database.
        auto back = test::run({"convert", table("parks"), (dir / "parks.gpkg").string()});
        ASSERT_EQ(back.code, 0) << back.err;
        expect_no_secret(back, "convert from PG");
        // A coverage run with the PostGIS engine, every source in the database.
        auto cov = test::run({"coverage", "--facilities", table("parks"), "--residential", table("residential"), "--zones",
                              table("zones"), "--zone-field", "name", "--profile", "gb-park-radius", "--engine", "postgis",
                              "--db", conn, "-o", (dir / "out").string(), "--html", (dir / "report.html").string(), "--json",
                              (dir / "summary.json").string()});
        ASSERT_EQ(cov.code, 0) << cov.err;
        expect_no_secret(cov, "coverage");
        auto summary = json::parse(test::read_file(dir / "summary.json"));
        EXPECT_EQ(summary["engine"], "postgis");
        EXPECT_NE(summary["residential"]["source"].get<std::string>().find("***"), std::string::npos);
        auto html = test::read_file(dir / "report.html");
        EXPECT_NE(html.find("***"), std::string::npos);
        // The same run to stdout.
        auto cov2 = test::run({"coverage", "--facilities", table("parks"), "--residential", table("residential"), "--profile",
                               "gb-park-radius", "--engine", "postgis", "--db", conn, "-o", (dir / "out2").string(), "--json", "-"});
        ASSERT_EQ(cov2.code, 0) << cov2.err;
        expect_no_secret(cov2, "coverage --json -");
        // Failing runs: a missing table, and a scratch load that fails.
        auto missing = test::run({"coverage", "--facilities", table("no_such_table"), "--residential", table("residential"),
                                  "--radius", "300", "--engine", "postgis", "--db", conn, "-o", (dir / "out3").string()});
        EXPECT_NE(missing.code, 0);
        expect_no_secret(missing, "failing coverage");
        auto bad_info = test::run({"info", "--json", table("no_such_table")});
        EXPECT_NE(bad_info.code, 0);
        expect_no_secret(bad_info, "failing info");
        auto bad_write = test::run({"convert", city, conn + (conn.rfind("PG:", 0) == 0 ? " dbname=no_such_db" : "_no_such_db")});
        EXPECT_EQ(bad_write.code, 1);
        expect_no_secret(bad_write, "failing convert");
        auto bad_clean = test::run({"db", "clean", "--db", conn + (conn.rfind("PG:", 0) == 0 ? " dbname=no_such_db" : "_no_such_db")});
        EXPECT_EQ(bad_clean.code, 1);
        expect_no_secret(bad_clean, "failing db clean");
        expect_no_secret_in_files(dir);
        server().psql("DROP TABLE IF EXISTS residential, parks, zones, streets, river, facilities CASCADE;");
    }
    EXPECT_EQ(scratch_schemas(), 0);
}

// The URI form works wherever a PG: string does, --engine postgis included (it appended
// " tables=…" to the URI before).
TEST_F(PgSecurity, UriFormRunsTheEngine) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "200", "--seed", "4", "-o", city, "-q"}).code, 0);
    auto a = test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--radius", "300",
                        "-o", (tmp / "a").string(), "--json", "-"});
    auto b = test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--radius", "300",
                        "-o", (tmp / "b").string(), "--json", "-", "--engine", "postgis", "--db", "PG:" + uri_connection()});
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(b.code, 0) << b.err;
    auto ja = json::parse(a.out), jb = json::parse(b.out);
    EXPECT_NEAR(ja["covered_area_m2"].get<double>(), jb["covered_area_m2"].get<double>(), 1e-6 * ja["covered_area_m2"].get<double>());
    EXPECT_EQ(scratch_schemas(), 0);
}

// A profile label written to break out of its literal on a legacy server: stored as text, no
// statement runs, the table survives, and the label comes back unchanged.
TEST_F(PgSecurity, HostileProfileLabelRunsNoSql) {
    test::TempDir tmp;
    server().psql("CREATE TABLE victim (x int); INSERT INTO victim VALUES (1);");
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "200", "--seed", "6", "-o", city, "-q"}).code, 0);
    const std::string label = "x\\'); DROP TABLE victim; --";
    const std::string label2 = "a\\b 'it''s";
    {
        std::ofstream p(tmp / "hostile.toml");
        p << R"(name = "hostile"
dissolve = true

[[radius]]
label = ''')" << label << R"('''
min_area_m2 = 5000
radius_m = 300
standard = "S"
clause = "1"
confidence = "M"

[[radius]]
label = ")" << R"(a\\b 'it''s)" << R"("
max_area_m2 = 5000
radius_m = 100
standard = "S"
clause = "2"
confidence = "M"
)";
    }
    json out[2];
    int k = 0;
    for (const std::string engine : {"embedded", "postgis"}) {
        auto r = test::run({"coverage", "--facilities", city + ":parks", "--residential", city + ":residential", "--profile",
                            (tmp / "hostile.toml").string(), "--engine", engine, "--db", server().gdal_connection(), "-o",
                            (tmp / engine).string(), "--json", "-"});
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(server().psql("SELECT count(*) FROM victim;"), "1\n") << engine;
        out[k++] = json::parse(r.out);
    }
    // Both engines name the same rules, the labels unchanged.
    EXPECT_EQ(out[0]["service_areas"], out[1]["service_areas"]);
    std::string rules = out[1]["service_areas"].dump();
    EXPECT_NE(rules.find(json(label).dump()), std::string::npos) << rules;
    EXPECT_NE(rules.find(json(label2).dump()), std::string::npos) << rules;
    server().psql("DROP TABLE victim;");
    EXPECT_EQ(scratch_schemas(), 0);
}

// SIGTERM while the server computes: the process ends by the signal, the run's sessions are gone
// and so is its scratch schema.
TEST_F(PgSecurity, SignalDropsTheScratchSchema) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "20000", "--seed", "2", "-o", city, "-q"}).code, 0);
    for (int sig : {SIGTERM, SIGINT}) {
        SCOPED_TRACE(sig);
        std::vector<std::string> args = {PLANMAP_BINARY, "-q", "coverage", "--facilities", city + ":parks", "--residential",
                                         city + ":residential", "--profile", "gb-park-radius", "--engine", "postgis", "--db",
                                         server().gdal_connection(), "-o", (tmp / ("out" + std::to_string(sig))).string()};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_t pid = 0;
        ASSERT_EQ(::posix_spawn(&pid, PLANMAP_BINARY, nullptr, nullptr, argv.data(), environ), 0);
        // Wait until the server runs one of the run's queries (not just the load).
        bool busy = false;
        for (int i = 0; i < 600 && !busy; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            busy = server().psql("SELECT count(*) FROM pg_stat_activity WHERE left(application_name, 12) = 'planmap_run_' "
                                 "AND state = 'active';") != "0\n";
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                pid = 0;
                break;
            }
        }
        if (pid == 0) {
            GTEST_SKIP() << "the run ended before it could be interrupted";
        }
        ASSERT_TRUE(busy) << "the run never reached the server";
        ASSERT_EQ(scratch_schemas(), 1);
        ::kill(pid, sig);
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFSIGNALED(status)) << "status " << status;
        if (WIFSIGNALED(status)) {
            EXPECT_EQ(WTERMSIG(status), sig);
        }
        EXPECT_EQ(scratch_schemas(), 0);
        // No session of the run is left, so no query runs on.
        int sessions = 1;
        for (int i = 0; i < 100 && sessions; ++i) {
            sessions = std::stoi(server().psql("SELECT count(*) FROM pg_stat_activity WHERE left(application_name, 12) = 'planmap_run_';"));
            if (sessions) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        EXPECT_EQ(sessions, 0);
    }
}

// `db clean`: leftovers listed (--dry-run drops nothing), then dropped; a live run's schema kept.
TEST_F(PgSecurity, DbCleanDropsLeftoversOnly) {
    server().psql("CREATE SCHEMA planmap_run_1_dead; CREATE TABLE planmap_run_1_dead.res (x int); CREATE SCHEMA planmap_runner;");
    // A live run: a session named after its schema.
    layers::PgDatabase live(server().gdal_connection() + " application_name=planmap_run_2_live");
    live.exec("CREATE SCHEMA planmap_run_2_live");
    auto dry = test::run({"db", "clean", "--db", keyword_connection(), "--dry-run"});
    ASSERT_EQ(dry.code, 0) << dry.err;
    EXPECT_NE(dry.out.find("planmap_run_1_dead: leftover"), std::string::npos) << dry.out;
    EXPECT_NE(dry.out.find("planmap_run_2_live: in use"), std::string::npos) << dry.out;
    EXPECT_EQ(dry.out.find("planmap_runner"), std::string::npos) << dry.out;
    expect_no_secret(dry, "db clean --dry-run");
    EXPECT_EQ(scratch_schemas(), 2);
    auto wet = test::run({"db", "clean", "--db", uri_connection()});
    ASSERT_EQ(wet.code, 0) << wet.err;
    EXPECT_NE(wet.out.find("planmap_run_1_dead: dropped"), std::string::npos) << wet.out;
    EXPECT_NE(wet.out.find("1 dropped"), std::string::npos) << wet.out;
    expect_no_secret(wet, "db clean");
    EXPECT_EQ(server().psql("SELECT nspname FROM pg_namespace WHERE left(nspname, 11) = 'planmap_run' ORDER BY 1;"),
              "planmap_run_2_live\nplanmap_runner\n");  // the look-alike is no scratch schema
    live.exec("DROP SCHEMA planmap_run_2_live");
    server().psql("DROP SCHEMA planmap_runner;");
}

// `convert` into a database is one transaction: when a layer fails (here its table exists), the
// layers written before it are not left behind, and the existing table is untouched.
TEST_F(PgSecurity, FailedConvertLeavesNoLayers) {
    test::TempDir tmp;
    auto city = (tmp / "city.gpkg").string();
    ASSERT_EQ(test::run({"synth", "--parcels", "50", "--seed", "4", "-o", city, "-q"}).code, 0);
    auto names = layers::read(city);
    ASSERT_GE(names.layers.size(), 3u);
    const std::string last = names.layers.back().name();
    server().psql("CREATE TABLE " + last + " (keep int); INSERT INTO " + last + " VALUES (7);");
    auto r = test::run({"convert", city, keyword_connection()});
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.err.find(last), std::string::npos) << r.err;
    expect_no_secret(r, "failing convert");
    std::string tables;
    for (const auto& l : names.layers) tables += (tables.empty() ? "'" : ", '") + l.name() + "'";
    EXPECT_EQ(server().psql("SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'public' AND "
                            "table_name IN (" + tables + ");"),
              last + "\n");
    EXPECT_EQ(server().psql("SELECT keep FROM " + last + ";"), "7\n");
    server().psql("DROP TABLE " + last + ";");
}
