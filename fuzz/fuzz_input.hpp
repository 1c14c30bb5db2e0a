// Writes fuzzer bytes to files in a per-process temporary folder and reads them with planmap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "core/error.hpp"
#include "layers/io.hpp"

namespace planmap::fuzz {

inline std::filesystem::path work_dir() {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("planmap-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

inline std::filesystem::path put(const std::string& name, const std::uint8_t* data, std::size_t size) {
    auto p = work_dir() / name;
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return p;
}

// Reads every layer; planmap errors are expected answers to bad bytes, anything else is a bug.
inline void read_all(const std::filesystem::path& p) {
    try {
        auto ds = layers::read(p.string());
        for (auto& l : ds.layers) (void)l.extent();
    } catch (const planmap::error&) {
    }
}

}  // namespace planmap::fuzz
