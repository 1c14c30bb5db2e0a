#include "tests/support_pg.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/types.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace planmap::test {

namespace {

int free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return 0;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(s);
    return port;
}

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::pair<int, std::string> capture(const std::string& cmd) { return shell(cmd); }

class ProgramCluster : public ::testing::Environment {
public:
    static std::unique_ptr<PgCluster>& slot() {
        static std::unique_ptr<PgCluster> cluster;
        return cluster;
    }
    void TearDown() override { slot().reset(); }
};
[[maybe_unused]] auto* const program_environment = ::testing::AddGlobalTestEnvironment(new ProgramCluster);

}  // namespace

PgCluster& program_cluster(const std::function<void(PgCluster&)>& setup) {
    auto& cluster = ProgramCluster::slot();
    if (!cluster) {
        cluster = std::make_unique<PgCluster>();
        if (cluster->available() && setup) setup(*cluster);
    }
    return *cluster;
}

fs::path pg_bin_dir() {
    for (const char* v : {"17", "16", "15", "14", "13"}) {
        fs::path p = fs::path("/usr/lib/postgresql") / v / "bin";
        if (fs::exists(p / "initdb") && fs::exists(p / "pg_ctl")) return p;
    }
    return {};
}

std::string PgCluster::run_as_owner(const std::string& command) const {
    // initdb and postgres refuse to run as root: hand the cluster to the postgres account then.
    if (::geteuid() == 0) return "runuser -u " + user_ + " -- sh -c " + shell_quote(command);
    return command;
}

PgCluster::PgCluster() {
    bin_ = pg_bin_dir();
    if (bin_.empty()) {
        why_ = "PostgreSQL server binaries not installed";
        return;
    }
    auto version_dir = bin_.parent_path().filename().string();
    if (!fs::exists(fs::path("/usr/share/postgresql") / version_dir / "extension" / "postgis.control")) {
        why_ = "PostGIS not installed for PostgreSQL " + version_dir;
        return;
    }
    user_ = ::geteuid() == 0 ? "postgres" : "";
    if (::geteuid() == 0) {
        passwd* pw = ::getpwnam("postgres");
        if (!pw) {
            why_ = "running as root and there is no postgres account";
            return;
        }
        if (::chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
            why_ = "cannot hand the temporary folder to postgres";
            return;
        }
    } else {
        user_ = ::getpwuid(::geteuid())->pw_name;
    }
    port_ = free_port();
    auto data = (dir_.path() / "data").string();
    auto [rc, out] = capture(run_as_owner(bin_.string() + "/initdb -A trust -U " + user_ + " -E UTF8 --no-locale -D " + data));
    if (rc != 0) {
        why_ = "initdb failed: " + out;
        return;
    }
    std::string opts = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + dir_.path().string() +
                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    std::tie(rc, out) = capture(run_as_owner(bin_.string() + "/pg_ctl -D " + data + " -w -t 60 -l " +
                                             (dir_.path() / "server.log").string() + " -o " + shell_quote(opts) + " start"));
    if (rc != 0) {
        why_ = "the server did not start: " + out;
        return;
    }
    started_ = true;
    try {
        psql("CREATE EXTENSION postgis;");
    } catch (const std::exception& e) {
        why_ = e.what();
        started_ = false;
        capture(run_as_owner(bin_.string() + "/pg_ctl -D " + data + " -m immediate stop"));
    }
}

PgCluster::~PgCluster() {
    if (!started_) return;
    capture(run_as_owner(bin_.string() + "/pg_ctl -D " + (dir_.path() / "data").string() + " -m fast -w stop"));
}

std::string PgCluster::gdal_connection() const {
    return "PG:host=" + dir_.path().string() + " port=" + std::to_string(port_) + " dbname=postgres user=" + user_;
}

std::string PgCluster::psql(const std::string& sql) const {
    auto file = dir_.path() / "query.sql";
    {
        std::ofstream f(file);
        f << sql;
    }
    ::chmod(file.c_str(), 0644);
    auto [rc, out] = capture(bin_.string() + "/psql -X -q -A -t -v ON_ERROR_STOP=1 -h " + dir_.path().string() + " -p " +
                             std::to_string(port_) + " -U " + user_ + " -d postgres -f " + file.string());
    if (rc != 0) throw std::runtime_error("psql failed: " + out);
    return out;
}

}  // namespace planmap::test
