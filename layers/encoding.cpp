#include "layers/encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"

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

namespace {

// The length of the valid UTF-8 sequence starting at s[i] (1 to 4), or 0 when there is none:
// no overlong forms, no surrogates, nothing beyond U+10FFFF.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + len > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < len; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    return len;
}

bool has_non_ascii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

void append_escape(std::string& out, unsigned char byte) {
    char esc[5];
    std::snprintf(esc, sizeof esc, "\\x%02X", byte);
    out.append(esc, 4);
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0, len = 0; i < s.size(); i += len)
        if ((len = utf8_sequence(s, i)) == 0) return false;
    return true;
}

std::string escape_invalid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (std::size_t len = utf8_sequence(s, i)) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            append_escape(out, static_cast<unsigned char>(s[i++]));
        }
    }
    return out;
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

DbfTexts dbf_texts(const std::string& dbf_path, std::size_t max_bytes) {
    DbfTexts texts;
    std::ifstream in(dbf_path, std::ios::binary);
    if (!in) return texts;
    unsigned char header[32];
    if (!in.read(reinterpret_cast<char*>(header), 32)) return texts;
    std::uint32_t nrec = header[4] | (header[5] << 8) | (header[6] << 16) | (static_cast<std::uint32_t>(header[7]) << 24);
    std::uint16_t header_len = static_cast<std::uint16_t>(header[8] | (header[9] << 8));
    std::uint16_t rec_len = static_cast<std::uint16_t>(header[10] | (header[11] << 8));
    if (header_len < 33 || rec_len == 0) return texts;
    struct Col {
        std::size_t offset, len;
    };
    std::vector<Col> cols;
    std::size_t offset = 1;  // deletion flag
    for (std::size_t pos = 32; pos + 32 <= header_len; pos += 32) {
        unsigned char d[32];
        if (!in.read(reinterpret_cast<char*>(d), 32) || d[0] == 0x0D) break;
        const char* name = reinterpret_cast<const char*>(d);
        texts.field_names.emplace_back(name, std::find(name, name + 11, '\0'));
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
        texts.records.push_back(std::move(out));
    }
    return texts;
}

namespace {

// What the bytes of one text are: ASCII (telling nothing), valid UTF-8, else plausible GBK, else
// neither. UTF-8 validity comes first: GBK decodes almost any byte pairs, UTF-8 does not.
enum class TextKind { ascii, utf8, gbk, other };

TextKind text_kind(std::string_view s) {
    if (!has_non_ascii(s)) return TextKind::ascii;
    if (is_valid_utf8(s)) return TextKind::utf8;
    return plausible_gbk(s) ? TextKind::gbk : TextKind::other;
}

bool decodes(std::string_view bytes, const char* encoding) {
    std::vector<char32_t> cps;
    return decode_utf32(bytes, encoding, cps);
}

bool known_encoding(const std::string& encoding) {
    Iconv cv("UTF-8", encoding.c_str());
    return cv.cd != reinterpret_cast<iconv_t>(-1);
}

// How messages name an encoding: CP936 is what users call GBK.
std::string display_name(const std::string& encoding) { return encoding == "CP936" ? "GBK" : encoding; }

}  // namespace

std::vector<std::size_t> mixed_encoding_records(const std::vector<std::string>& records) {
    std::vector<std::size_t> utf8, other;
    for (std::size_t i = 0; i < records.size(); ++i) {
        TextKind k = text_kind(records[i]);
        if (k != TextKind::ascii) (k == TextKind::utf8 ? utf8 : other).push_back(i);
    }
    if (utf8.empty() || other.empty()) return {};
    return utf8.size() <= other.size() ? utf8 : other;
}

std::optional<std::string> contradicted_encoding(std::string_view declared, const std::vector<std::string>& texts) {
    std::size_t utf8 = 0, gbk = 0, non_ascii = 0;
    std::string gbk_bytes;
    for (const auto& t : texts) {
        TextKind k = text_kind(t);
        if (k != TextKind::ascii) ++non_ascii;
        if (k == TextKind::utf8) ++utf8;
        if (k == TextKind::gbk) {
            ++gbk;
            gbk_bytes.append(t).push_back('\n');
        }
    }
    std::string d = normalise_encoding(declared);
    // The other encoding must explain most non-ASCII texts, not only more than the declared one.
    if (d == "UTF-8" && 2 * gbk > non_ascii) return decodes(gbk_bytes, "CP936") ? "CP936" : "GB18030";
    if (is_gbk_family(d) && 2 * utf8 > non_ascii) return "UTF-8";
    return std::nullopt;
}

EncodingChoice shapefile_encoding(const std::string& shp_path, const std::optional<std::string>& forced) {
    if (forced) return {normalise_encoding(*forced), "option", trf("asked for {}", *forced), {}, {}};
    fs::path base(shp_path);
    auto sibling = [&](const char* ext_lower, const char* ext_upper) -> fs::path {
        fs::path p = base;
        p.replace_extension(ext_lower);
        if (fs::exists(p)) return p;
        p.replace_extension(ext_upper);
        if (fs::exists(p)) return p;
        return {};
    };
    auto dbf = sibling(".dbf", ".DBF");
    DbfTexts texts = dbf.empty() ? DbfTexts{} : dbf_texts(dbf.string());
    std::vector<std::string> all = texts.field_names;
    all.insert(all.end(), texts.records.begin(), texts.records.end());

    // What the file declares: .cpg, then the LDID byte (`says` is how a message quotes it).
    std::optional<EncodingChoice> declared;
    std::string says;
    if (auto cpg = sibling(".cpg", ".CPG"); !cpg.empty()) {
        std::ifstream in(cpg);
        std::string text;
        std::getline(in, text);
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
        if (!text.empty() && known_encoding(normalise_encoding(text))) {
            declared = EncodingChoice{normalise_encoding(text), "cpg", trf(".cpg says {}", text), {}, {}};
            says = trf(".cpg says {}", text);
        }
    }
    if (!declared && !dbf.empty()) {
        std::ifstream in(dbf, std::ios::binary);
        unsigned char header[30] = {};
        if (in.read(reinterpret_cast<char*>(header), 30)) {
            unsigned ldid = header[29];
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", ldid);
            std::string detail = std::string("LDID ") + hex;
            if (ldid == 0x4D || ldid == 0x7A) declared = EncodingChoice{"CP936", "ldid", detail, {}, {}};
            if (ldid == 0x4F || ldid == 0x78) declared = EncodingChoice{"CP950", "ldid", detail, {}, {}};
            if (ldid == 0x57) declared = EncodingChoice{"ISO-8859-1", "ldid", detail + " (ANSI)", {}, {}};
            if (ldid == 0x03) declared = EncodingChoice{"CP1252", "ldid", detail, {}, {}};
            if (declared) says = trf("its code-page byte ({}) says {}", detail, declared->encoding);
        }
    }
    if (dbf.empty()) return declared ? *declared : EncodingChoice{"UTF-8", "detected", tr("no .dbf"), {}, {}};

    EncodingChoice choice;
    if (declared) {
        choice = *declared;
        if (auto actual = contradicted_encoding(choice.encoding, all)) {
            std::string name = display_name(*actual);
            choice = {*actual, "detected", trf("{} bytes; {}", name, says),
                      trf("'{0}': {1} but the bytes are {2}; read as {2}", dbf.string(), says, name), {}};
        }
    } else {
        std::string bytes;
        for (const auto& t : all) bytes.append(t).push_back('\n');
        if (is_valid_utf8(bytes)) choice = {"UTF-8", "detected", has_non_ascii(bytes) ? tr("valid UTF-8") : tr("ASCII only"), {}, {}};
        else if (plausible_gbk(bytes)) choice = {"CP936", "detected", tr("GBK/GB18030 plausible"), {}, {}};
        else choice = {"ISO-8859-1", "detected", tr("neither UTF-8 nor GBK; bytes kept as Latin-1"), {}, {}};
    }
    choice.mixed_records = mixed_encoding_records(texts.records);
    return choice;
}

TextDecoder::TextDecoder(std::string encoding) : encoding_(normalise_encoding(encoding)) {
    if (encoding_ == "UTF-8") return;
    iconv_t cd = iconv_open("UTF-8", encoding_.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) throw io_error(trf("unknown encoding '{}'", encoding));
    cd_ = cd;
}

TextDecoder::~TextDecoder() {
    if (cd_) iconv_close(static_cast<iconv_t>(cd_));
}

void TextDecoder::decode(std::string& text) {
    if (!has_non_ascii(text)) return;
    if (!cd_) {
        if (is_valid_utf8(text)) return;
        ++escaped_;
        text = escape_invalid_utf8(text);
        return;
    }
    auto cd = static_cast<iconv_t>(cd_);
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    std::string out(text.size() * 4 + 16, '\0');  // room for 4 bytes per input byte: "\xNN" or a 4-byte character
    char* in = text.data();
    std::size_t in_left = text.size(), out_len = 0;
    bool escaped = false;
    while (in_left > 0) {
        char* out_p = out.data() + out_len;
        std::size_t out_left = out.size() - out_len;
        std::size_t r = iconv(cd, &in, &in_left, &out_p, &out_left);
        int err = errno;
        out_len = out.size() - out_left;
        if (r != static_cast<std::size_t>(-1)) break;
        if (err == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        // EILSEQ or EINVAL: the byte at `in` starts no valid character; kept as "\xNN".
        std::string esc;
        append_escape(esc, static_cast<unsigned char>(*in));
        if (out.size() - out_len < esc.size()) out.resize(out.size() * 2);
        out.replace(out_len, esc.size(), esc);
        out_len += esc.size();
        ++in;
        --in_left;
        escaped = true;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
    out.resize(out_len);
    if (escaped) ++escaped_;
    text = std::move(out);
}

}  // namespace planmap::layers
