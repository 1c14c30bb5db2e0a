// Output that is never half-written: every file planmap writes is made under a fresh, unguessable
// temporary name beside its target (created exclusively, so a planted link is never followed) and
// renamed into place only when complete. Live temporaries are removed when the process ends on
// SIGINT, SIGTERM or SIGHUP; those that earlier runs left behind (killed with SIGKILL, power loss)
// are named in a warning when planmap writes beside them again.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace planmap::core {

// A temporary file beside `target`, created exclusively (O_EXCL, mode 0600 widened to the umask's
// usual 0644 on commit). Write to path(); commit() renames it onto the target; the destructor
// removes it when it was not committed.
class AtomicFile {
public:
    explicit AtomicFile(const std::filesystem::path& target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::filesystem::path& path() const { return tmp_; }
    const std::filesystem::path& target() const { return target_; }
    // Renames the temporary file onto the target; io_error naming the target when that fails.
    void commit();

private:
    std::filesystem::path target_, tmp_;
    bool committed_ = false;
    int slot_ = -1;  // in the registry of live temporaries
    int fd_ = -1;    // held open with a lock: marks the file as live for other runs
};

// Writes `bytes` to `path` through an AtomicFile. io_error names `path` (folder missing, disk full …).
void write_file_atomically(const std::string& path, const std::string& bytes);

// A fresh folder ".planmap-tmp-XXXXXX" inside `parent` (mkdtemp), removed with everything in it on
// destruction.
class TempDir {
public:
    explicit TempDir(const std::filesystem::path& parent);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    // The folder is kept (it was renamed into place): the destructor no longer removes it.
    void keep();

private:
    std::filesystem::path path_;
    int slot_ = -1;
    int fd_ = -1;
};

// An output folder written as a whole (coverage -o, lifecircle -o): the command writes into
// path(), a fresh temporary folder beside the target; commit() puts it in place of the target in
// one step (rename, or an atomic exchange with an existing folder, whose old content is then
// removed). An existing folder that is not empty is refused (usage_error) unless `overwrite`.
// Without commit() the temporary folder is removed.
class OutputFolder {
public:
    OutputFolder(const std::filesystem::path& target, bool overwrite, const std::string& what = "output folder");
    const std::filesystem::path& path() const { return tmp_->path(); }
    const std::filesystem::path& target() const { return target_; }
    void commit();

private:
    std::filesystem::path target_;
    std::unique_ptr<TempDir> tmp_;
};

// Where warnings of this module go (stale temporaries); default: standard error, one
// "planmap: warning: …" line each. Returns the previous sink.
using WarningSink = std::function<void(const std::string&)>;
WarningSink set_warning_sink(WarningSink sink);

// Temporaries of earlier runs in `folder` (".planmap-tmp-*" folders, ".*.tmp-*" files) that no
// running planmap holds. AtomicFile and TempDir warn about them once per folder.
std::vector<std::filesystem::path> stale_temporaries(const std::filesystem::path& folder);

// Throws io_error when the folder `path` would be written in does not exist (checked before any
// work, so that a run never stops half-way with partial outputs). `what` names the output.
void require_output_folder(const std::string& path, const std::string& what);

// The folder holding shipped data files (profiles/, styles/data/ …): $PLANMAP_DATA_DIR, else the
// installed copy (<prefix>/share/planmap beside the running <prefix>/bin/planmap, as `cmake --install`
// and the .deb lay it out), else the source tree the program was built from.
std::string data_dir();

}  // namespace planmap::core
