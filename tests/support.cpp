#include "tests/support.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>


namespace planmap::test {

fs::path project_root() { return fs::path(PLANMAP_SOURCE_DIR); }

fs::path fixture(const std::string& rel) { return project_root() / "tests" / "data" / rel; }

fs::path seed_plan(const std::string& name) { return project_root() / "plans" / (name + ".toml"); }

std::vector<std::string> seed_plan_bases(const std::string& name) {
    static const std::map<std::string, std::pair<std::string, std::string>> bases = {
        {"jiaojiang", {"taizhou", "331000"}}, {"luqiao", {"taizhou", "331000"}}, {"jinan", {"jinan", "370100"}},
        {"pingliang", {"pingliang", "620800"}}, {"wenzhou", {"wenzhou", "330300"}}};
    const auto& [id, code] = bases.at(name);
    return {"--base", id + "=" + fixture("boundaries/plans/" + code + ".geojson").string()};
}

TempDir::TempDir() : dir_(fs::temp_directory_path()) {}


std::vector<std::string> list_files(const fs::path& dir) {
    std::vector<std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) out.push_back(fs::relative(e.path(), dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string fingerprint(const fs::path& dir) {
    std::string fp;
    for (const auto& name : list_files(dir)) {
        fs::path p = dir / name;
        if (!fs::is_regular_file(p)) continue;
        std::string bytes = read_file(p);
        fp += name + ":" + std::to_string(bytes.size()) + ":" + std::to_string(std::hash<std::string>{}(bytes)) + "\n";
    }
    return fp;
}

std::pair<int, std::string> shell(const std::string& command, bool merge_stderr) {
    std::string out;
    FILE* p = ::popen((command + (merge_stderr ? " 2>&1" : "")).c_str(), "r");
    if (!p) return {-1, "popen failed"};
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

geo::GeomPtr box(double x0, double y0, double x1, double y1) {
    constexpr double X0 = 620000, Y0 = 3160000;
    return geo::make_polygon({{X0 + x0, Y0 + y0}, {X0 + x1, Y0 + y0}, {X0 + x1, Y0 + y1}, {X0 + x0, Y0 + y1}, {X0 + x0, Y0 + y0}});
}

std::string pdf_text(const fs::path& pdf) {
    auto [status, text] = shell("pdftotext -layout '" + pdf.string() + "' - 2>/dev/null");
    return status == 0 ? text : std::string();
}

}  // namespace planmap::test
