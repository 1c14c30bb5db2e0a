// Helpers shared by the test programs: where the data beside the project is, temporary folders,
// and running the CLI in-process.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "core/files.hpp"
#include "geo/geos.hpp"

namespace planmap::test {

namespace fs = std::filesystem;

// A file or folder of the suite's fixtures (tests/data/, see its README).
fs::path fixture(const std::string& rel);
// The path of a seed plan (plans/NAME.toml) and the `--base ID=SOURCE` arguments that make it read
// the boundaries in tests/data/boundaries/plans/ instead of data/ (which only setup fills).
fs::path seed_plan(const std::string& name);
std::vector<std::string> seed_plan_bases(const std::string& name);
fs::path project_root();

// A fresh temporary folder removed at destruction.
class TempDir {
public:
    TempDir();
    const fs::path& path() const { return dir_.path(); }
    fs::path operator/(const std::string& name) const { return dir_.path() / name; }

private:
    core::TempDir dir_;
};

struct CliResult {
    int code = 0;
    std::string out;
    std::string err;
};
// Runs `planmap args…` in-process (only in programs linking planmap_test_cli).
CliResult run(const std::vector<std::string>& args);

// Lists every file below a folder (relative names), to prove nothing was left behind.
std::vector<std::string> list_files(const fs::path& dir);
std::string read_file(const fs::path& p);
// Runs a shell command: (exit status, standard output, with standard error too when merge_stderr).
std::pair<int, std::string> shell(const std::string& command, bool merge_stderr = true);
// The text of a PDF as `pdftotext -layout` extracts it (what a reviewer's search finds); empty
// when pdftotext fails.
std::string pdf_text(const fs::path& pdf);
// A byte-for-byte fingerprint of the files of a folder, to prove inputs are unchanged.
std::string fingerprint(const fs::path& dir);

// An axis-aligned rectangle in EPSG:4549 metres, offsets (x0, y0)–(x1, y1) from the point
// (620000, 3160000) that the synthetic cities and hand-made coverage cases use as their origin.
geo::GeomPtr box(double x0, double y0, double x1, double y1);

}  // namespace planmap::test
