// A throwaway PostgreSQL + PostGIS cluster for peer checks: initdb in a temporary folder, started
// on a unix socket and a free loopback port, stopped and removed at destruction. Tests skip when
// the server binaries or PostGIS are not installed.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "tests/support.hpp"

namespace planmap::test {

class PgCluster {
public:
    // Starts a cluster; on failure available() is false and why() says why.
    PgCluster();
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    bool available() const { return started_; }
    const std::string& why() const { return why_; }
    // GDAL connection string ("PG:host=… port=… dbname=… user=…").
    std::string gdal_connection() const;
    // Runs SQL with psql (unaligned, tuples only); returns its standard output; throws on error.
    std::string psql(const std::string& sql) const;

private:
    std::string run_as_owner(const std::string& command) const;
    TempDir dir_;
    std::filesystem::path bin_;
    std::string user_;
    int port_ = 0;
    bool started_ = false;
    std::string why_;
};

// The test program's server: started on first use and stopped when the program ends (a gtest
// environment); `setup` runs once, right after a successful start.
PgCluster& program_cluster(const std::function<void(PgCluster&)>& setup = {});

// The PostgreSQL server binaries folder (e.g. /usr/lib/postgresql/15/bin); empty when absent.
std::filesystem::path pg_bin_dir();

}  // namespace planmap::test
