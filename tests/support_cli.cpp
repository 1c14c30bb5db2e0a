#include "tests/support.hpp"

#include "cli/cli.hpp"

namespace planmap::test {

CliResult run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    int code = cli::run_cli(args, out, err);
    return {code, out.str(), err.str()};
}

}  // namespace planmap::test
