#include <gtest/gtest.h>

#include <sstream>

#include "cli/progress.hpp"
#include "tests/support.hpp"

using namespace planmap;

TEST(Progress, LineShowsBarPercentAndCounts) {
    auto l = cli::Progress::line("reading x", 50, 200, 1.25);
    EXPECT_NE(l.find("reading x ["), std::string::npos) << l;
    EXPECT_NE(l.find(" 25% 50/200 1.2s"), std::string::npos) << l;
    EXPECT_EQ(std::count(l.begin(), l.end(), '#'), 7);
    auto u = cli::Progress::line("reading x", 4096, 0, 0.5);
    EXPECT_EQ(u, "reading x 4096 0.5s");
}

TEST(Progress, NothingIsDrawnWhenNotATerminal) {
    std::ostringstream err;
    EXPECT_FALSE(cli::progress_enabled(err, false));  // not stderr
    {
        cli::Progress p(err, "x", cli::progress_enabled(err, false));
        p.update(1, 2);
    }
    EXPECT_TRUE(err.str().empty());
}

TEST(Progress, EnabledBarDrawsAndClearsWhenComplete) {
    std::ostringstream err;
    {
        cli::Progress p(err, "x", true);
        p.update(1, 2);
        p.update(2, 2);
    }
    std::string s = err.str();
    EXPECT_NE(s.find("x ["), std::string::npos);
    EXPECT_EQ(s.substr(s.size() - 4), "\r\033[K");
}

TEST(Progress, CliRunsLeaveNoProgressInCapturedOutput) {
    const auto json = ::planmap::test::fixture("boundaries/taizhou.geojson");
    auto r = test::run({"info", json.string()});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err.find('\r'), std::string::npos);
    EXPECT_EQ(r.out.find('\r'), std::string::npos);
}
