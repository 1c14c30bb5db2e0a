#include "layers/encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

namespace planmap::layers {

namespace fs = std::filesystem;

std::string normalise_encoding(std::string_view name) {
    std::string key;
    for (char c : name)
        if (std::isalnum(static_cast<unsigned char>(c))) key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (key == "UTF8" || key == "65001") return "UTF-8";
    if (key == "GBK" || key == "936" || key == "CP936" || key == "MS936" || key == "WINDOWS936" || key == "GB2312" ||
        key == "EUCCN" || key == "ANSI936")
        return "CP936";
    if (key == "GB18030" || key == "54936") return "GB18030";
    if (key == "BIG5" || key == "950" || key == "CP950") return "CP950";
    if (key == "LATIN1" || key == "ISO88591" || key == "88591") return "ISO-8859-1";
    if (key == "1252" || key == "CP1252" || key == "WINDOWS1252") return "CP1252";
    if (key == "ASCII" || key == "USASCII") return "UTF-8";
    return std::string(name);
}

bool is_gbk_family(std::string_view e) { return e == "CP936" || e == "GB18030" || e == "GBK" || e == "GB2312"; }

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0, n = s.size();
    while (i < n) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > n) return false;
        if (len == 2 && c < 0xC2) return false;  // overlong
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

namespace {

struct Iconv {
    iconv_t cd;
    Iconv(const char* to, const char* from) : cd(iconv_open(to, from)) {}
    ~Iconv() {
        if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;
};

// Decodes to UTF-32; false on any invalid sequence.
bool decode_utf32(std::string_view in, const char* from, std::vector<char32_t>& out) {
    Iconv cv("UTF-32LE", from);
    if (cv.cd == reinterpret_cast<iconv_t>(-1)) return false;
    std::vector<char> buf(in.size() * 4 + 16);
    char* inp = const_cast<char*>(in.data());
    std::size_t inleft = in.size();
    char* outp = buf.data();
    std::size_t outleft = buf.size();
    if (iconv(cv.cd, &inp, &inleft, &outp, &outleft) == static_cast<std::size_t>(-1)) return false;
    std::size_t n = (buf.size() - outleft) / 4;
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto* p = reinterpret_cast<const unsigned char*>(buf.data() + i * 4);
        out[i] = static_cast<char32_t>(p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24));
    }
    return true;
}

bool cjkish(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x2000 && c <= 0x206F);
}

}  // namespace

bool plausible_gbk(std::string_view bytes) {
    std::vector<char32_t> cps;
    if (!decode_utf32(bytes, "GB18030", cps)) return false;
    std::size_t non_ascii = 0, cjk = 0;
    for (char32_t c : cps) {
        if (c < 0x80) continue;
        ++non_ascii;
        if (cjkish(c)) ++cjk;
    }
    return non_ascii > 0 && cjk * 10 >= non_ascii * 9;
}

std::vector<std::string> dbf_record_texts(const std::string& dbf_path, std::size_t max_bytes) {
    std::vector<std::string> records;
    std::ifstream in(dbf_path, std::ios::binary);
    if (!in) return records;
    unsigned char header[32];
    if (!in.read(reinterpret_cast<char*>(header), 32)) return records;
    std::uint32_t nrec = header[4] | (header[5] << 8) | (header[6] << 16) | (static_cast<std::uint32_t>(header[7]) << 24);
    std::uint16_t header_len = static_cast<std::uint16_t>(header[8] | (header[9] << 8));
    std::uint16_t rec_len = static_cast<std::uint16_t>(header[10] | (header[11] << 8));
    if (header_len < 33 || rec_len == 0) return records;
    struct Col {
        std::size_t offset, len;
    };
    std::vector<Col> cols;
    std::size_t offset = 1;  // deletion flag
    for (std::size_t pos = 32; pos + 32 <= header_len; pos += 32) {
        unsigned char d[32];
        if (!in.read(reinterpret_cast<char*>(d), 32) || d[0] == 0x0D) break;
        std::size_t len = d[16];
        if (d[11] == 'C') cols.push_back({offset, len + (static_cast<std::size_t>(d[17]) << 8)});
        offset += len;
    }
    in.seekg(header_len);
    std::vector<char> rec(rec_len);
    std::size_t total = 0;
    for (std::uint32_t r = 0; r < nrec && total < max_bytes; ++r) {
        if (!in.read(rec.data(), rec_len)) break;
        std::string out;
        for (const auto& c : cols) {
            if (c.offset + c.len > rec.size()) continue;
            std::string_view field(rec.data() + c.offset, c.len);
            auto end = field.find_last_not_of(' ');
            if (end == std::string_view::npos) continue;
            out.append(field.substr(0, end + 1));
            out.push_back('\n');
        }
        total += out.size();
        records.push_back(std::move(out));
    }
    return records;
}

namespace {
bool has_non_ascii(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}
}  // namespace

std::vector<std::size_t> mixed_encoding_records(const std::vector<std::string>& records) {
    std::vector<std::size_t> utf8, other;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (!has_non_ascii(records[i])) continue;
        (is_valid_utf8(records[i]) ? utf8 : other).push_back(i);
    }
    if (utf8.empty() || other.empty()) return {};
    return utf8.size() <= other.size() ? utf8 : other;
}

EncodingChoice shapefile_encoding(const std::string& shp_path, const std::optional<std::string>& forced) {
    if (forced) return {normalise_encoding(*forced), "option", "asked for " + *forced};
    fs::path base(shp_path);
    auto sibling = [&](const char* ext_lower, const char* ext_upper) -> fs::path {
        fs::path p = base;
        p.replace_extension(ext_lower);
        if (fs::exists(p)) return p;
        p.replace_extension(ext_upper);
        if (fs::exists(p)) return p;
        return {};
    };
    if (auto cpg = sibling(".cpg", ".CPG"); !cpg.empty()) {
        std::ifstream in(cpg);
        std::string text;
        std::getline(in, text);
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
        if (!text.empty()) return {normalise_encoding(text), "cpg", ".cpg says " + text};
    }
    auto dbf = sibling(".dbf", ".DBF");
    if (dbf.empty()) return {"UTF-8", "detected", "no .dbf"};
    {
        std::ifstream in(dbf, std::ios::binary);
        unsigned char header[30] = {};
        if (in.read(reinterpret_cast<char*>(header), 30)) {
            unsigned ldid = header[29];
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", ldid);
            if (ldid == 0x4D || ldid == 0x7A) return {"CP936", "ldid", std::string("LDID ") + hex};
            if (ldid == 0x4F || ldid == 0x78) return {"CP950", "ldid", std::string("LDID ") + hex};
            if (ldid == 0x57) return {"ISO-8859-1", "ldid", std::string("LDID ") + hex + " (ANSI)"};
            if (ldid == 0x03) return {"CP1252", "ldid", std::string("LDID ") + hex};
        }
    }
    std::string bytes;
    for (const auto& r : dbf_record_texts(dbf.string())) bytes += r;
    if (is_valid_utf8(bytes)) {
        bool ascii = std::all_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        return {"UTF-8", "detected", ascii ? "ASCII only" : "valid UTF-8"};
    }
    if (plausible_gbk(bytes)) return {"CP936", "detected", "GBK/GB18030 plausible"};
    return {"ISO-8859-1", "detected", "neither UTF-8 nor GBK; bytes kept as Latin-1"};
}

}  // namespace planmap::layers
