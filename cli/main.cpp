#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f) writes must fail with EFBIG, reported as an error, rather
    // than the process being killed half-way.
    std::signal(SIGXFSZ, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    return planmap::cli::run_cli(args, std::cout, std::cerr);
}
