#include "core/files.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <set>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace planmap::core {

namespace fs = std::filesystem;

namespace {

fs::path folder_of(const fs::path& target) {
    return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

// The process's umask, read from /proc (changing the umask to read it would race with other
// threads creating files).
mode_t umask_value() {
    static const mode_t mask = [] {
        mode_t m = 022;
        if (FILE* f = std::fopen("/proc/self/status", "r")) {
            char line[256];
            while (std::fgets(line, sizeof line, f))
                if (std::strncmp(line, "Umask:", 6) == 0) m = static_cast<mode_t>(std::strtoul(line + 6, nullptr, 8));
            std::fclose(f);
        }
        return m;
    }();
    return mask;
}
mode_t file_mode() { return static_cast<mode_t>(0666 & ~umask_value()); }
mode_t folder_mode() { return static_cast<mode_t>(0777 & ~umask_value()); }

// ---- Live temporaries, removed by a signal handler -------------------------------------------
// A fixed table of absolute paths, filled before the temporary is used; the handler only reads it
// and calls unlink/rmdir/openat/getdents64/close (async-signal-safe system calls).

enum : int { kFree = 0, kBusy = 1, kFile = 2, kFolder = 3 };
constexpr int kSlots = 512;
struct Slot {
    std::atomic<int> state{kFree};
    char path[PATH_MAX];
};
Slot g_slots[kSlots];
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

struct Dirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

// Removes `name` (relative to dirfd) and, if it is a folder, everything in it.
void remove_tree_at(int dirfd, const char* name, int depth) {
    if (::unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) return;
    if (depth > 32) return;
    int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    alignas(8) char buf[2048];
    // Entries removed while reading may shift the listing: read again until a pass removes nothing.
    for (int pass = 0; pass < 1000; ++pass) {
        bool removed = false;
        ::lseek(fd, 0, SEEK_SET);
        for (;;) {
            long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
            if (n <= 0) break;
            for (long off = 0; off < n;) {
                auto* d = reinterpret_cast<Dirent64*>(buf + off);
                off += d->d_reclen;
                const char* e = d->d_name;
                if (e[0] == '.' && (e[1] == '\0' || (e[1] == '.' && e[2] == '\0'))) continue;
                remove_tree_at(fd, e, depth + 1);
                removed = true;
            }
        }
        if (!removed) break;
    }
    ::close(fd);
    ::unlinkat(dirfd, name, AT_REMOVEDIR);
}

void remove_live_temporaries() {
    for (auto& s : g_slots) {
        int st = s.state.load(std::memory_order_acquire);
        if (st == kFile) ::unlink(s.path);
        if (st == kFolder) remove_tree_at(AT_FDCWD, s.path, 0);
    }
}

void on_signal(int sig) {
    int saved = errno;
    remove_live_temporaries();
    // Hand the signal on: to the handler installed before ours, or the default action (ends the
    // process once this handler returns, the signal being blocked until then).
    for (int i = 0; i < 3; ++i)
        if (kSignals[i] == sig) ::sigaction(sig, &g_previous[i], nullptr);
    ::raise(sig);
    errno = saved;
}

void install_handlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (int i = 0; i < 3; ++i) {
            struct sigaction old {};
            if (::sigaction(kSignals[i], nullptr, &old) != 0) continue;
            if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) continue;  // e.g. SIGHUP under nohup
            g_previous[i] = old;
            struct sigaction sa {};
            sa.sa_handler = on_signal;
            sigfillset(&sa.sa_mask);
            sa.sa_flags = SA_RESTART;
            ::sigaction(kSignals[i], &sa, nullptr);
        }
    });
}

int register_temporary(const fs::path& p, bool folder) {
    install_handlers();
    std::error_code ec;
    std::string s = fs::absolute(p, ec).string();
    if (ec || s.size() >= PATH_MAX) return -1;
    for (int i = 0; i < kSlots; ++i) {
        int expected = kFree;
        if (g_slots[i].state.compare_exchange_strong(expected, kBusy)) {
            std::memcpy(g_slots[i].path, s.c_str(), s.size() + 1);
            g_slots[i].state.store(folder ? kFolder : kFile, std::memory_order_release);
            return i;
        }
    }
    return -1;  // table full: still removed on failure, not on a signal
}

void unregister_temporary(int& slot) {
    if (slot >= 0) g_slots[slot].state.store(kFree, std::memory_order_release);
    slot = -1;
}

// ---- Stale temporaries of earlier runs ----------------------------------------------------------

std::mutex g_sink_mutex;
WarningSink g_sink;

void warn(const std::string& message) {
    std::lock_guard<std::mutex> lock(g_sink_mutex);
    if (g_sink)
        g_sink(message);
    else
        std::cerr << "planmap: " << tr("warning: ") << message << "\n";
}

bool temporary_name(const std::string& name, bool& folder) {
    folder = name.rfind(".planmap-tmp-", 0) == 0;
    if (folder) return true;
    auto k = name.rfind(".tmp-");
    return name.size() > 1 && name[0] == '.' && k != std::string::npos && k > 0 && name.size() - k == 11;
}

// A live temporary is held open with a lock by the run that made it.
int lock_live(const fs::path& p, bool folder) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (folder ? O_DIRECTORY : 0));
    if (fd >= 0) ::flock(fd, LOCK_EX | LOCK_NB);
    return fd;
}

void warn_stale_once(const fs::path& folder) {
    static std::mutex m;
    static std::set<std::string> seen;
    std::error_code ec;
    fs::path key = fs::weakly_canonical(fs::absolute(folder, ec), ec);
    {
        std::lock_guard<std::mutex> lock(m);
        if (!seen.insert(key.string()).second) return;
    }
    auto stale = stale_temporaries(folder);
    if (stale.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < stale.size() && i < 5; ++i) list += (i ? ", " : "") + stale[i].filename().string();
    if (stale.size() > 5) list += trf(" and {} more", stale.size() - 5);
    warn(stale.size() == 1 ? trf("1 temporary left in '{}' by an earlier planmap run that did not finish: {} (safe to remove)",
                                 folder.string(), list)
                           : trf("{} temporaries left in '{}' by an earlier planmap run that did not finish: {} (safe to remove)",
                                 stale.size(), folder.string(), list));
}

}  // namespace

WarningSink set_warning_sink(WarningSink sink) {
    std::lock_guard<std::mutex> lock(g_sink_mutex);
    std::swap(sink, g_sink);
    return sink;
}

std::vector<fs::path> stale_temporaries(const fs::path& folder) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        bool is_folder = false;
        std::string name = it->path().filename().string();
        if (!temporary_name(name, is_folder)) continue;
        std::error_code ec2;
        if (is_folder != it->is_directory(ec2) || it->is_symlink(ec2)) continue;
        int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (is_folder ? O_DIRECTORY : 0));
        if (fd < 0) continue;
        if (::flock(fd, LOCK_SH | LOCK_NB) == 0) out.push_back(it->path());  // nobody holds it
        ::close(fd);
    }
    std::sort(out.begin(), out.end());
    return out;
}

AtomicFile::AtomicFile(const fs::path& target) : target_(target) {
    fs::path dir = folder_of(target);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw io_error(trf("cannot write '{}': folder '{}' does not exist", target.string(), dir.string()));
    warn_stale_once(dir);
    std::string templ = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    int fd = ::mkostemp(buf.data(), O_CLOEXEC);
    if (fd < 0)
        throw io_error(trf("cannot write '{}': cannot create a file in '{}': {}", target.string(), dir.string(),
                           std::strerror(errno)));
    tmp_ = buf.data();
    slot_ = register_temporary(tmp_, false);
    ::fchmod(fd, file_mode());
    ::flock(fd, LOCK_EX | LOCK_NB);
    fd_ = fd;
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(tmp_, ec);
    }
    unregister_temporary(slot_);
    if (fd_ >= 0) ::close(fd_);
}

void AtomicFile::commit() {
    std::error_code ec;
    fs::rename(tmp_, target_, ec);
    if (ec) throw io_error(trf("cannot write '{}': {}", target_.string(), ec.message()));
    committed_ = true;
    unregister_temporary(slot_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    AtomicFile file{fs::path(path)};
    FILE* f = std::fopen(file.path().c_str(), "wb");
    if (!f) throw io_error(trf("cannot write '{}': {}", path, std::strerror(errno)));
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = (std::fflush(f) == 0) && ok;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) throw io_error(trf("cannot write '{}': write failed (disk full?)", path));
    file.commit();
}

TempDir::TempDir(const fs::path& parent) {
    warn_stale_once(parent);
    std::string templ = (parent / ".planmap-tmp-XXXXXX").string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data()))
        throw io_error(trf("cannot create a temporary folder in '{}': {}", parent.string(), std::strerror(errno)));
    path_ = buf.data();
    slot_ = register_temporary(path_, true);
    fd_ = lock_live(path_, true);
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
    unregister_temporary(slot_);
    if (fd_ >= 0) ::close(fd_);
}

void TempDir::keep() {
    unregister_temporary(slot_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    path_.clear();
}

OutputFolder::OutputFolder(const fs::path& target, bool overwrite, const std::string& what_given) {
    // The default name (files.hpp) in the user's language.
    static const char* const default_name = N_("output folder");
    const std::string what = what_given == default_name ? std::string(tr(default_name)) : what_given;
    std::error_code ec;
    fs::path t = fs::absolute(target, ec).lexically_normal();
    if (!t.has_filename() && t.has_parent_path() && t != t.root_path()) t = t.parent_path();  // "run/" is "run"
    if (fs::is_symlink(t, ec)) t = fs::canonical(t, ec);  // the folder a link points to is replaced, not the link
    if (t == t.root_path()) throw usage_error(trf("{} '{}' cannot be the root folder", what, target.string()));
    if (fs::exists(t, ec)) {
        if (!fs::is_directory(t, ec)) throw usage_error(trf("{} '{}' exists and is not a folder", what, target.string()));
        if (!fs::is_empty(t, ec) && !overwrite)
            throw usage_error(trf("{} '{}' exists and is not empty; give ", what, target.string()), param{"overwrite"},
                              tr(" to replace it as a whole, or choose a new folder"));
    }
    fs::path parent = t.parent_path();
    fs::create_directories(parent, ec);
    if (ec) throw io_error(trf("cannot create the folder '{}': {}", parent.string(), ec.message()));
    tmp_ = std::make_unique<TempDir>(parent);
    ::chmod(tmp_->path().c_str(), folder_mode());
    target_ = t;
}

void OutputFolder::commit() {
    const fs::path tmp = tmp_->path();
    if (::rename(tmp.c_str(), target_.c_str()) == 0) {  // no target yet, or an empty folder
        tmp_->keep();
        return;
    }
    int err = errno;
    if (err == ENOTEMPTY || err == EEXIST) {
        // One step: exchange the new folder with the old one, then remove the old (now at tmp).
        if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
            tmp_.reset();
            return;
        }
        // File systems without the exchange: two renames, the old folder moved aside first.
        TempDir aside(target_.parent_path());
        fs::path old = aside.path() / "old";
        if (::rename(target_.c_str(), old.c_str()) == 0) {
            if (::rename(tmp.c_str(), target_.c_str()) == 0) {
                tmp_->keep();
                return;  // `aside` removes the old folder
            }
            err = errno;
            ::rename(old.c_str(), target_.c_str());
        } else {
            err = errno;
        }
    }
    throw io_error(trf("cannot put the output folder '{}' in place: {}", target_.string(), std::strerror(err)));
}

void require_output_folder(const std::string& path, const std::string& what) {
    fs::path parent = fs::absolute(path).parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
        throw io_error(trf("cannot write {} '{}': folder '{}' does not exist", what, path, parent.string()));
}

std::string data_dir() {
    if (const char* env = std::getenv("PLANMAP_DATA_DIR"); env && *env) return env;
    std::error_code ec;
    // Installed: <prefix>/bin/planmap finds <prefix>/share/planmap, wherever the prefix was moved.
    if (auto exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
        auto share = exe.parent_path().parent_path() / "share" / "planmap";
        if (fs::is_directory(share / "profiles", ec)) return share.string();
    }
    return PLANMAP_DATA_DIR;
}

}  // namespace planmap::core
