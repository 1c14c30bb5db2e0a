// Attribute encodings of shapefiles from Chinese sources: `.cpg`, the DBF code-page byte (LDID),
// or detection from the bytes themselves; and decoding attribute text to UTF-8.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planmap::layers {

struct EncodingChoice {
    std::string encoding;  // an iconv name GDAL accepts: "UTF-8", "CP936", "GB18030", "ISO-8859-1"
    std::string source;    // "cpg", "ldid", "detected", "option"
    std::string detail;    // e.g. "LDID 0x4D", ".cpg says 936"
    // Set when the bytes contradict what the file declares (".cpg says UTF-8" over GBK bytes): the
    // encoding is the one the bytes support, and this says so, naming the file and both encodings.
    std::string warning;
    // 0-based records whose text is in another encoding than the rest (see mixed_encoding_records).
    std::vector<std::size_t> mixed_records;
};

// Maps what users and `.cpg` files write ("GBK", "936", "utf8", "GB2312", …) to an iconv name.
std::string normalise_encoding(std::string_view name);
bool is_gbk_family(std::string_view encoding);

bool is_valid_utf8(std::string_view bytes);
// The text with every byte that is not part of a valid UTF-8 sequence written as "\xNN".
std::string escape_invalid_utf8(std::string_view bytes);
// True when the bytes decode as GB18030 and most non-ASCII characters are CJK ideographs or
// CJK punctuation (a plausibility test, not a proof).
bool plausible_gbk(std::string_view bytes);

// The encoding of the shapefile at `shp_path`: `.cpg`, then LDID, then detection from the DBF's
// field names and character fields. A declared encoding (`.cpg`, LDID) that the bytes contradict
// (see contradicted_encoding) gives way to the one they support, with a warning. `forced` (from
// --encoding) wins over all of them.
EncodingChoice shapefile_encoding(const std::string& shp_path, const std::optional<std::string>& forced);

// The raw bytes of a DBF file's field names and of its character fields (one string per record).
struct DbfTexts {
    std::vector<std::string> field_names;
    std::vector<std::string> records;
};
DbfTexts dbf_texts(const std::string& dbf_path, std::size_t max_bytes = 1 << 20);

// Records whose non-ASCII text is valid UTF-8 while others' is not: one file, two encodings.
// Returns the 0-based record numbers of the minority kind (empty when the file is consistent).
std::vector<std::size_t> mixed_encoding_records(const std::vector<std::string>& records);

// The encoding the texts (field names, records) are really in when they contradict `declared`:
// declared UTF-8 while more than half of the non-ASCII texts are not UTF-8 but plausible GBK
// ("CP936", or "GB18030" when only that decodes them), or declared GBK/GB18030 while more than
// half are valid UTF-8 ("UTF-8"). nullopt when the texts agree with the declaration or tell nothing (ASCII only).
std::optional<std::string> contradicted_encoding(std::string_view declared, const std::vector<std::string>& texts);

// Decodes attribute text in one encoding to UTF-8. Bytes that are not valid in the encoding are
// kept as "\xNN" (never dropped, never an exception later), and the texts that needed it counted.
class TextDecoder {
public:
    explicit TextDecoder(std::string encoding);
    ~TextDecoder();
    TextDecoder(const TextDecoder&) = delete;
    TextDecoder& operator=(const TextDecoder&) = delete;

    // Replaces `text` (bytes in the encoding) by its UTF-8 form.
    void decode(std::string& text);
    const std::string& encoding() const noexcept { return encoding_; }
    std::size_t escaped_texts() const noexcept { return escaped_; }

private:
    std::string encoding_;
    void* cd_ = nullptr;  // iconv_t to UTF-8; null for UTF-8 itself
    std::size_t escaped_ = 0;
};

}  // namespace planmap::layers
