// Outputs never replace inputs: every command names what it reads and what it writes, and
// check_outputs refuses, before any work, an output that is one of its inputs or another output.
#pragma once

#include <string>
#include <vector>

namespace planmap::core {

struct NamedPath {
    std::string role;  // how the command calls it in messages: "--residential", "-o", "DST"
    std::string path;  // as given: a file, a folder, SRC:layer, PG:…, LON,LAT or '-' (the last three ignored)
    // An output folder that the command writes as a whole: an input anywhere inside it is refused;
    // another output inside it only when it is one of `files` (the names the command writes there).
    bool folder = false;
    std::vector<std::string> files = {};
};

// Throws usage_error naming both paths when an output
//  - is an input (the same file after following links, hard links included),
//  - is an output folder holding an input,
//  - would replace an existing file inside an input folder,
//  - is another output of the same command, or one of the files an output folder holds.
// Inputs are resolved as the readers do: an existing path, else "path:layer" with an existing
// path; anything else (connection strings, coordinates, missing files) is not a file and is skipped.
void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

}  // namespace planmap::core
