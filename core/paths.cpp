#include "core/paths.hpp"

#include <cctype>
#include <filesystem>
#include <optional>

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace planmap::core {

namespace fs = std::filesystem;

namespace {

// "PG:…", "MySQL:…", "postgresql://…": data sources that are not files.
bool is_connection(const std::string& s) {
    if (s.find("://") != std::string::npos) return true;
    auto colon = s.find(':');
    if (colon == std::string::npos || colon < 2) return false;
    for (std::size_t i = 0; i < colon; ++i)
        if (!std::isalpha(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

struct Resolved {
    const NamedPath* named;
    fs::path path;  // canonical (links followed); for a missing output, its folder's canonical path + name
    bool exists;
};

std::optional<fs::path> existing(const std::string& p) {
    std::error_code ec;
    if (p.empty() || !fs::exists(p, ec)) return std::nullopt;
    auto c = fs::canonical(p, ec);
    if (ec) return std::nullopt;
    return c;
}

std::optional<Resolved> resolve_input(const NamedPath& n) {
    if (n.path.empty() || n.path == "-") return std::nullopt;
    if (auto p = existing(n.path)) return Resolved{&n, *p, true};
    auto colon = n.path.rfind(':');
    if (colon != std::string::npos && colon > 0)
        if (auto p = existing(n.path.substr(0, colon))) return Resolved{&n, *p, true};
    return std::nullopt;
}

std::optional<Resolved> resolve_output(const NamedPath& n) {
    if (n.path.empty() || n.path == "-" || is_connection(n.path)) return std::nullopt;
    if (auto p = existing(n.path)) return Resolved{&n, *p, true};
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(n.path, ec), ec);
    if (ec) return std::nullopt;
    return Resolved{&n, p.lexically_normal(), false};
}

bool same(const Resolved& a, const Resolved& b) {
    if (a.exists && b.exists) {
        std::error_code ec;
        if (fs::equivalent(a.path, b.path, ec)) return true;
    }
    return a.path == b.path;
}

// `p` lies inside `folder` (strictly below it). Both canonical.
bool inside(const fs::path& p, const fs::path& folder) {
    auto f = folder.begin(), x = p.begin();
    for (; f != folder.end(); ++f, ++x) {
        if (f->empty()) continue;  // a trailing separator
        if (x == p.end() || *x != *f) return false;
    }
    return x != p.end();
}

std::string quoted(const NamedPath& n) { return trf("{} '{}'", n.role, n.path); }

[[noreturn]] void refuse(const std::string& what) { throw usage_error(trf("{}; nothing was written", what)); }

}  // namespace

void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
    std::vector<Resolved> in, out;
    for (const auto& n : inputs)
        if (auto r = resolve_input(n)) in.push_back(*r);
    for (const auto& n : outputs)
        if (auto r = resolve_output(n)) out.push_back(*r);

    for (const auto& o : out) {
        std::error_code ec;
        for (const auto& i : in) {
            if (same(o, i)) refuse(trf("output {} is the input {}", quoted(*o.named), quoted(*i.named)));
            if (o.named->folder && inside(i.path, o.path))
                refuse(trf("output folder {} holds the input {}", quoted(*o.named), quoted(*i.named)));
            if (o.exists && !o.named->folder && inside(o.path, i.path) && fs::is_directory(i.path, ec))
                refuse(trf("output {} would replace a file of the input folder {}", quoted(*o.named), quoted(*i.named)));
        }
    }
    for (std::size_t a = 0; a < out.size(); ++a)
        for (std::size_t b = 0; b < out.size(); ++b) {
            if (a == b) continue;
            const auto &A = out[a], &B = out[b];
            if (a < b && same(A, B)) refuse(trf("output {} is also the output {}", quoted(*B.named), quoted(*A.named)));
            if (!A.named->folder || !inside(B.path, A.path)) continue;
            if (B.named->folder) refuse(trf("output folder {} lies inside the output folder {}", quoted(*B.named), quoted(*A.named)));
            fs::path rel = B.path.lexically_relative(A.path);
            for (const auto& f : A.named->files)
                if (rel == fs::path(f))
                    refuse(trf("output {} is the file {} that the output folder {} holds", quoted(*B.named), f, quoted(*A.named)));
        }
}

}  // namespace planmap::core
