// Attribute encodings of shapefiles from Chinese sources: `.cpg`, the DBF code-page byte (LDID),
// or detection from the bytes themselves.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planmap::layers {

struct EncodingChoice {
    std::string encoding;  // an iconv name GDAL accepts: "UTF-8", "CP936", "GB18030", "ISO-8859-1"
    std::string source;    // "cpg", "ldid", "detected", "option"
    std::string detail;    // e.g. "LDID 0x4D", ".cpg says 936"
};

// Maps what users and `.cpg` files write ("GBK", "936", "utf8", "GB2312", …) to an iconv name.
std::string normalise_encoding(std::string_view name);
bool is_gbk_family(std::string_view encoding);

bool is_valid_utf8(std::string_view bytes);
// True when the bytes decode as GB18030 and most non-ASCII characters are CJK ideographs or
// CJK punctuation (a plausibility test, not a proof).
bool plausible_gbk(std::string_view bytes);

// The encoding of the shapefile at `shp_path`: `.cpg`, then LDID, then detection from the DBF's
// character fields. `forced` (from --encoding) wins over all of them.
EncodingChoice shapefile_encoding(const std::string& shp_path, const std::optional<std::string>& forced);

// The text fields of a DBF file as raw bytes, one string per record (for detection).
std::vector<std::string> dbf_record_texts(const std::string& dbf_path, std::size_t max_bytes = 1 << 20);

// Records whose non-ASCII text is valid UTF-8 while others' is not: one file, two encodings.
// Returns the 0-based record numbers of the minority kind (empty when the file is consistent).
std::vector<std::size_t> mixed_encoding_records(const std::vector<std::string>& records);

}  // namespace planmap::layers
