// Output that is never half-written: every file planmap writes is made under a fresh, unguessable
// temporary name beside its target (created exclusively, so a planted link is never followed) and
// renamed into place only when complete.
#pragma once

#include <filesystem>
#include <string>

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

private:
    std::filesystem::path path_;
};

// Throws io_error when the folder `path` would be written in does not exist (checked before any
// work, so that a run never stops half-way with partial outputs). `what` names the output.
void require_output_folder(const std::string& path, const std::string& what);

// The folder holding shipped data files (profiles/ …): $PLANMAP_DATA_DIR, else where the build put them.
std::string data_dir();

}  // namespace planmap::core
