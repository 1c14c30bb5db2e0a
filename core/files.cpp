#include "core/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace planmap::core {

namespace fs = std::filesystem;

namespace {

fs::path folder_of(const fs::path& target) {
    return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

// Mode 0666 less the process's umask, read from /proc (changing the umask to read it would race
// with other threads creating files).
mode_t file_mode() {
    static const mode_t mode = [] {
        mode_t mask = 022;
        if (FILE* f = std::fopen("/proc/self/status", "r")) {
            char line[256];
            while (std::fgets(line, sizeof line, f))
                if (std::strncmp(line, "Umask:", 6) == 0) mask = static_cast<mode_t>(std::strtoul(line + 6, nullptr, 8));
            std::fclose(f);
        }
        return static_cast<mode_t>(0666 & ~mask);
    }();
    return mode;
}

}  // namespace

AtomicFile::AtomicFile(const fs::path& target) : target_(target) {
    fs::path dir = folder_of(target);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw io_error("cannot write '" + target.string() + "': folder '" + dir.string() + "' does not exist");
    std::string templ = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    int fd = ::mkstemp(buf.data());
    if (fd < 0)
        throw io_error("cannot write '" + target.string() + "': cannot create a file in '" + dir.string() + "': " +
                       std::strerror(errno));
    ::fchmod(fd, file_mode());
    ::close(fd);
    tmp_ = buf.data();
}

AtomicFile::~AtomicFile() {
    if (committed_) return;
    std::error_code ec;
    fs::remove(tmp_, ec);
}

void AtomicFile::commit() {
    std::error_code ec;
    fs::rename(tmp_, target_, ec);
    if (ec) throw io_error("cannot write '" + target_.string() + "': " + ec.message());
    committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    AtomicFile file{fs::path(path)};
    FILE* f = std::fopen(file.path().c_str(), "wb");
    if (!f) throw io_error("cannot write '" + path + "': " + std::strerror(errno));
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = (std::fflush(f) == 0) && ok;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) throw io_error("cannot write '" + path + "': write failed (disk full?)");
    file.commit();
}

TempDir::TempDir(const fs::path& parent) {
    std::string templ = (parent / ".planmap-tmp-XXXXXX").string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data()))
        throw io_error("cannot create a temporary folder in '" + parent.string() + "': " + std::strerror(errno));
    path_ = buf.data();
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
}

void require_output_folder(const std::string& path, const std::string& what) {
    fs::path parent = fs::absolute(path).parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
        throw io_error("cannot write " + what + " '" + path + "': folder '" + parent.string() + "' does not exist");
}

std::string data_dir() {
    if (const char* env = std::getenv("PLANMAP_DATA_DIR"); env && *env) return env;
    return PLANMAP_DATA_DIR;
}

}  // namespace planmap::core
