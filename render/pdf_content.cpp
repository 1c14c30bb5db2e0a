#include "render/pdf_content.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string_view>

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace planmap::render {

namespace {

const char* const cap_op[] = {"0 J\n", "1 J\n", "2 J\n"};
const char* const join_op[] = {"0 j\n", "1 j\n", "2 j\n"};

// zlib's fastest level: the stream is mostly digits and operators, and compresses at level 1 to
// within a few per cent of the default level in a fraction of the time.
constexpr int deflate_level = 1;

// One zlib stream, reset between the buffers it compresses.
class Deflater {
public:
    explicit Deflater(const std::string& output) : output_(output) {
        if (deflateInit(&z_, deflate_level) != Z_OK) throw io_error(trf("{}: compressing the page content failed", output_));
    }
    ~Deflater() { deflateEnd(&z_); }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;

    std::string operator()(const std::string& in) {
        deflateReset(&z_);
        std::string out(deflateBound(&z_, static_cast<uLong>(in.size())), '\0');
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z_.avail_in = static_cast<uInt>(in.size());
        z_.next_out = reinterpret_cast<Bytef*>(out.data());
        z_.avail_out = static_cast<uInt>(out.size());
        int rc = deflate(&z_, Z_FINISH);
        if (rc != Z_STREAM_END) throw io_error(trf("{}: compressing the page content failed", output_));
        out.resize(z_.total_out);
        return out;
    }

private:
    const std::string& output_;
    z_stream z_{};
};

}  // namespace

PdfContent::PdfContent(double page_w_mm, double page_h_mm) : k_(72.0 / 25.4), page_w_mm_(page_w_mm), page_h_mm_(page_h_mm) {
    set_.width_mm = 1 / k_;  // PDF's initial line width: 1 pt
    out_.reserve(1 << 20);
    // Page space: points from the top-left corner, y down, as the millimetres of the drawing.
    out_ += "q\n1 0 0 -1 0 ";
    put(page_h_mm_ * k_, 6);
    out_ += " cm\n";
}

// A number with at most `decimals` decimals, trailing zeros dropped.
void PdfContent::put(double v, int decimals) {
    static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    long long i = std::llround(v * scale[decimals]);
    if (i < 0) out_ += '-', i = -i;
    long long p = static_cast<long long>(scale[decimals]);
    char buf[32];
    auto end = std::to_chars(buf, buf + sizeof buf, i / p).ptr;
    out_.append(buf, end);
    long long frac = i % p;
    if (frac == 0) return;
    char digits[8];
    int n = 0;
    for (long long d = p / 10; d > 0; d /= 10) digits[n++] = static_cast<char>('0' + frac / d % 10);
    while (digits[n - 1] == '0') --n;
    out_ += '.';
    out_.append(digits, static_cast<std::size_t>(n));
}

void PdfContent::touch(double x, double y) {
    ext_[0] = std::min(ext_[0], x), ext_[1] = std::min(ext_[1], y), ext_[2] = std::max(ext_[2], x), ext_[3] = std::max(ext_[3], y);
}

void PdfContent::point(double x, double y) {
    // The path is written to its own buffer: swap it in for the number formatting.
    out_.swap(path_);
    put(x * k_);
    out_ += ' ';
    put(y * k_);
    out_.swap(path_);
    touch(x, y);
}

void PdfContent::before_path_change() {
    if (!pending_fill_) return;
    pending_fill_ = false;
    set_fill(pending_source_);
    paint_path(pending_even_odd_ ? "f*\n" : "f\n");
}

void PdfContent::new_path() {
    before_path_change();
    path_.clear();
    has_point_ = closed_ = false;
    ext_[0] = ext_[1] = 1e300, ext_[2] = ext_[3] = -1e300;
}

void PdfContent::new_sub_path() {
    before_path_change();
    has_point_ = false;
}

void PdfContent::move_to(double x, double y) {
    before_path_change();
    point(x, y);
    path_ += " m\n";
    has_point_ = true, closed_ = false;
    start_x_ = x, start_y_ = y;
}

void PdfContent::line_to(double x, double y) {
    before_path_change();
    if (!has_point_ || closed_) {
        // Cairo: a line from no current point starts there; after a close, from the subpath's start.
        double sx = has_point_ ? start_x_ : x, sy = has_point_ ? start_y_ : y;
        move_to(sx, sy);
    }
    point(x, y);
    path_ += " l\n";
}

void PdfContent::curve_to(double x1, double y1, double x2, double y2, double x3, double y3) {
    before_path_change();
    if (!has_point_ || closed_) move_to(has_point_ ? start_x_ : x1, has_point_ ? start_y_ : y1);
    point(x1, y1);
    path_ += ' ';
    point(x2, y2);
    path_ += ' ';
    point(x3, y3);
    path_ += " c\n";
}

void PdfContent::close_path() {
    before_path_change();
    if (!has_point_ || closed_) return;
    path_ += "h\n";
    closed_ = true;
}

void PdfContent::arc(double xc, double yc, double r, double a0, double a1) {
    while (a1 < a0) a1 += 2 * M_PI;
    auto at = [&](double a) { return std::pair{xc + r * std::cos(a), yc + r * std::sin(a)}; };
    auto [x0, y0] = at(a0);
    if (has_point_ && !closed_) line_to(x0, y0);
    else move_to(x0, y0);
    if (r <= 0) return;
    // Cubic Béziers of at most a quarter turn each.
    int n = std::max(1, static_cast<int>(std::ceil((a1 - a0) / (M_PI / 2) - 1e-9)));
    double step = (a1 - a0) / n, h = 4.0 / 3.0 * std::tan(step / 4);
    for (int i = 0; i < n; ++i) {
        double t0 = a0 + step * i, t1 = t0 + step;
        auto [px, py] = at(t0);
        auto [qx, qy] = at(t1);
        curve_to(px - h * r * std::sin(t0), py + h * r * std::cos(t0), qx + h * r * std::sin(t1), qy - h * r * std::cos(t1), qx, qy);
    }
}

void PdfContent::path_extents(double& x0, double& y0, double& x1, double& y1) {
    if (ext_[0] > ext_[2]) {
        x0 = y0 = x1 = y1 = 0;
        return;
    }
    x0 = ext_[0], y0 = ext_[1], x1 = ext_[2], y1 = ext_[3];
}

void PdfContent::set_source(const styles::Color& c, double opacity) { want_.source = {c.r, c.g, c.b, c.a * opacity}; }

void PdfContent::alpha(char op, double a) {
    long key = std::lround(std::clamp(a, 0.0, 1.0) * 10000);
    auto it = gstates_.try_emplace({op, key}, static_cast<int>(gstates_.size())).first;
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "/pm%d gs\n", it->second);
    out_.append(buf, static_cast<std::size_t>(n));
}

void PdfContent::set_fill(const Source& s) {
    if (s.r != set_.fill.r || s.g != set_.fill.g || s.b != set_.fill.b) {
        put(s.r, 4), out_ += ' ', put(s.g, 4), out_ += ' ', put(s.b, 4), out_ += " rg\n";
    }
    if (s.a != set_.fill.a) alpha('f', s.a);
    set_.fill = s;
}

void PdfContent::set_stroke() {
    const Source& s = want_.source;
    if (s.r != set_.stroke.r || s.g != set_.stroke.g || s.b != set_.stroke.b) {
        put(s.r, 4), out_ += ' ', put(s.g, 4), out_ += ' ', put(s.b, 4), out_ += " RG\n";
    }
    if (s.a != set_.stroke.a) alpha('s', s.a);
    set_.stroke = s;
    if (want_.width_mm != set_.width_mm) {
        put(want_.width_mm * k_, 4), out_ += " w\n";
        set_.width_mm = want_.width_mm;
    }
    if (want_.cap != set_.cap) out_ += cap_op[std::clamp(static_cast<int>(want_.cap), 0, 2)], set_.cap = want_.cap;
    if (want_.join != set_.join) out_ += join_op[std::clamp(static_cast<int>(want_.join), 0, 2)], set_.join = want_.join;
    if (want_.dash_mm != set_.dash_mm) {
        out_ += '[';
        for (double d : want_.dash_mm) put(d * k_, 4), out_ += ' ';
        out_ += "] 0 d\n";
        set_.dash_mm = want_.dash_mm;
    }
}

void PdfContent::paint_path(const char* op) {
    if (path_.empty()) return;
    out_ += path_;
    out_ += op;
}

void PdfContent::end_path() {
    path_.clear();
    has_point_ = closed_ = false;
    ext_[0] = ext_[1] = 1e300, ext_[2] = ext_[3] = -1e300;
}

void PdfContent::fill(bool preserve) {
    before_path_change();
    if (preserve) {
        pending_fill_ = true;
        pending_source_ = want_.source;
        pending_even_odd_ = want_.even_odd;
        return;
    }
    set_fill(want_.source);
    paint_path(want_.even_odd ? "f*\n" : "f\n");
    end_path();
}

void PdfContent::stroke(bool preserve) {
    if (pending_fill_) {
        pending_fill_ = false;
        set_fill(pending_source_);
        set_stroke();
        paint_path(pending_even_odd_ ? "B*\n" : "B\n");
    } else {
        set_stroke();
        paint_path("S\n");
    }
    if (!preserve) end_path();
}

void PdfContent::clip(bool preserve) {
    before_path_change();
    paint_path(want_.even_odd ? "W* n\n" : "W n\n");
    if (!preserve) end_path();
}

int PdfContent::define_path_form() {
    before_path_change();
    Form f;
    f.content = path_ + "S\n";
    // Room around the outline for any stroke width (the stroke is set where the form is used).
    const double margin = 30;
    bool empty = ext_[0] > ext_[2];
    f.bbox[0] = empty ? 0 : ext_[0] * k_ - margin, f.bbox[1] = empty ? 0 : ext_[1] * k_ - margin;
    f.bbox[2] = empty ? 0 : ext_[2] * k_ + margin, f.bbox[3] = empty ? 0 : ext_[3] * k_ + margin;
    forms_.push_back(std::move(f));
    end_path();
    return static_cast<int>(forms_.size()) - 1;
}

void PdfContent::stroke_form(int n, const cairo_matrix_t& m) {
    before_path_change();
    set_stroke();
    out_ += "q ";
    put(m.xx, 6), out_ += ' ', put(m.yx, 6), out_ += ' ', put(m.xy, 6), out_ += ' ', put(m.yy, 6), out_ += ' ';
    put(m.x0 * k_), out_ += ' ', put(m.y0 * k_);
    char buf[32];
    int len = std::snprintf(buf, sizeof buf, " cm /pmF%d Do Q\n", n);
    out_.append(buf, static_cast<std::size_t>(len));
}

void PdfContent::save() {
    before_path_change();
    out_ += "q\n";
    saved_.emplace_back(want_, set_);
}

void PdfContent::restore() {
    before_path_change();
    if (saved_.empty()) return;
    out_ += "Q\n";
    want_ = saved_.back().first;
    set_ = saved_.back().second;
    saved_.pop_back();
}

void PdfContent::paint(const styles::Color& c) {
    before_path_change();
    set_fill({c.r, c.g, c.b, c.a});
    out_ += "0 0 ";
    put(page_w_mm_ * k_, 6), out_ += ' ', put(page_h_mm_ * k_, 6);
    out_ += " re f\n";
}

PdfContent::Stream PdfContent::finish(const std::string& output) {
    before_path_change();
    while (!saved_.empty()) restore();
    out_ += "Q\n";
    Stream s;
    Deflater deflate(output);
    s.deflated = deflate(out_);
    for (std::size_t i = 0; i < forms_.size(); ++i) {
        const Form& f = forms_[i];
        std::string data = deflate(f.content);
        char head[256];
        int n = std::snprintf(head, sizeof head, "<< /Type /XObject /Subtype /Form /BBox [ %.2f %.2f %.2f %.2f ] /Length %zu /Filter /FlateDecode >>\nstream\n",
                              f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3], data.size());
        s.forms.push_back(std::string(head, static_cast<std::size_t>(n)) + data + "\nendstream\n");
    }
    std::vector<Form>().swap(forms_);
    for (const auto& [key, n] : gstates_) {
        char buf[64];
        int len = std::snprintf(buf, sizeof buf, "/pm%d << /%s %g >> ", n, key.first == 'f' ? "ca" : "CA", static_cast<double>(key.second) / 10000.0);
        s.ext_gstates.append(buf, static_cast<std::size_t>(len));
    }
    std::string().swap(out_);
    return s;
}

// ---------------------------------------------------------------------------------------------
// The incremental update.

namespace {

class PdfFile {
public:
    explicit PdfFile(const std::string& path) : path_(path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw io_error(trf("cannot read '{}'", path));
        data_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        std::size_t sx = data_.rfind("startxref");
        if (sx == std::string::npos) fail("no startxref");
        xref_at_ = number_after(sx + 9);
        if (data_.compare(xref_at_, 4, "xref") != 0) fail("no cross-reference table where startxref points");
        std::size_t pos = xref_at_ + 4;
        // Subsections "first count" followed by 20-byte entries, up to the trailer.
        while (true) {
            pos = skip_space(pos);
            if (data_.compare(pos, 7, "trailer") == 0) break;
            long first = number_after(pos, &pos), count = number_after(pos, &pos);
            pos = skip_space(pos);
            for (long i = 0; i < count; ++i, pos += 20) {
                if (pos + 18 > data_.size()) fail("cross-reference table cut short");
                if (data_[pos + 17] == 'n') offsets_.resize(std::max<std::size_t>(offsets_.size(), static_cast<std::size_t>(first + i + 1)), 0),
                                            offsets_[static_cast<std::size_t>(first + i)] = std::strtol(data_.c_str() + pos, nullptr, 10);
            }
        }
        std::size_t open = data_.find("<<", pos), close = data_.rfind(">>", sx);
        if (open == std::string::npos || close == std::string::npos || close < open) fail("no trailer dictionary");
        trailer_ = data_.substr(open + 2, close - open - 2);
    }

    [[noreturn]] void fail(const char* what) const { throw io_error(trf("{}: cannot add the map's content to the PDF: {}", path_, what)); }

    std::size_t skip_space(std::size_t pos) const {
        while (pos < data_.size() && std::isspace(static_cast<unsigned char>(data_[pos]))) ++pos;
        return pos;
    }
    long number_after(std::size_t pos, std::size_t* end = nullptr) const {
        pos = skip_space(pos);
        char* e = nullptr;
        long v = std::strtol(data_.c_str() + pos, &e, 10);
        if (e == data_.c_str() + pos) fail("a number expected");
        if (end) *end = static_cast<std::size_t>(e - data_.c_str());
        return v;
    }
    // The number of the object referenced as "key N 0 R" in `dict`.
    long reference(std::string_view dict, std::string_view key) const {
        std::size_t k = dict.find(key);
        while (k != std::string_view::npos && k + key.size() < dict.size() && std::isalnum(static_cast<unsigned char>(dict[k + key.size()])))
            k = dict.find(key, k + 1);
        if (k == std::string_view::npos) fail("a reference is missing");
        std::string s(dict.substr(k + key.size(), 32));
        long n = 0, g = 0;
        char r = 0;
        if (std::sscanf(s.c_str(), " %ld %ld %c", &n, &g, &r) != 3 || r != 'R') fail("a reference is malformed");
        return n;
    }
    // The text of object `n` between "n 0 obj" and "endobj".
    std::string object(long n) const {
        if (n <= 0 || static_cast<std::size_t>(n) >= offsets_.size() || offsets_[static_cast<std::size_t>(n)] == 0) fail("an object is missing");
        std::size_t at = static_cast<std::size_t>(offsets_[static_cast<std::size_t>(n)]);
        std::size_t body = data_.find("obj", at), end = data_.find("endobj", at);
        if (body == std::string::npos || end == std::string::npos) fail("an object is malformed");
        return data_.substr(body + 3, end - body - 3);
    }

    std::string path_;
    std::string data_;
    std::size_t xref_at_ = 0;
    std::vector<long> offsets_;
    std::string trailer_;
};

}  // namespace

void prepend_page_content(const std::string& path, const PdfContent::Stream& stream) {
    PdfFile pdf(path);
    std::string_view trailer = pdf.trailer_;
    std::size_t size_at = trailer.find("/Size");
    if (size_at == std::string_view::npos) pdf.fail("no /Size in the trailer");
    long next = std::strtol(pdf.trailer_.c_str() + size_at + 5, nullptr, 10);
    long pages = pdf.reference(pdf.object(pdf.reference(trailer, "/Root")), "/Pages");
    std::string kids = pdf.object(pages);
    std::size_t k = kids.find("/Kids");
    if (k == std::string::npos) pdf.fail("no /Kids in the page tree");
    std::size_t bracket = kids.find('[', k);
    long page = 0;
    if (bracket == std::string::npos || std::sscanf(kids.c_str() + bracket + 1, " %ld", &page) != 1) pdf.fail("no page in the page tree");
    std::string page_obj = pdf.object(page);

    const long content_n = next++;
    // /Contents: the new stream first.
    std::size_t c = page_obj.find("/Contents");
    if (c == std::string::npos) pdf.fail("the page has no /Contents");
    std::size_t v = c + 9;
    while (v < page_obj.size() && std::isspace(static_cast<unsigned char>(page_obj[v]))) ++v;
    std::string ref = std::to_string(content_n) + " 0 R ";
    if (v < page_obj.size() && page_obj[v] == '[') {
        page_obj.insert(v + 1, " " + ref);
    } else {
        long old = pdf.reference(page_obj, "/Contents");
        std::size_t r_end = page_obj.find('R', v);
        page_obj.replace(v, r_end + 1 - v, "[ " + ref + std::to_string(old) + " 0 R ]");
    }
    std::string resources_obj;
    long resources_n = 0;
    const long first_form = next;
    next += static_cast<long>(stream.forms.size());
    std::string xobjects;
    for (std::size_t i = 0; i < stream.forms.size(); ++i)
        xobjects += "/pmF" + std::to_string(i) + " " + std::to_string(first_form + static_cast<long>(i)) + " 0 R ";
    if (!stream.ext_gstates.empty() || !xobjects.empty()) {
        long old = pdf.reference(page_obj, "/Resources");
        resources_obj = pdf.object(old);
        // Entries into the page's dictionary `key`, made when missing.
        auto add = [&](const char* key, const std::string& entries) {
            if (entries.empty()) return;
            std::size_t at = resources_obj.find(key);
            if (at != std::string::npos) {
                std::size_t open = resources_obj.find("<<", at);
                if (open == std::string::npos) pdf.fail("a resource of the page is not a dictionary");
                resources_obj.insert(open + 2, " " + entries);
            } else {
                std::size_t open = resources_obj.find("<<");
                if (open == std::string::npos) pdf.fail("the page's resources are not a dictionary");
                resources_obj.insert(open + 2, std::string(" ") + key + " << " + entries + ">>");
            }
        };
        add("/ExtGState", stream.ext_gstates);
        add("/XObject", xobjects);
        resources_n = next++;
        std::size_t r = page_obj.find("/Resources");
        std::size_t r_end = page_obj.find('R', r + 10);
        page_obj.replace(r + 10, r_end + 1 - (r + 10), " " + std::to_string(resources_n) + " 0 R");
    }

    std::ofstream out(path, std::ios::binary | std::ios::app);
    if (!out) throw io_error(trf("cannot write {}", path));
    std::size_t at = pdf.data_.size();
    std::vector<std::pair<long, std::size_t>> written;
    auto put = [&](const std::string& s) {
        out.write(s.data(), static_cast<std::streamsize>(s.size()));
        at += s.size();
    };
    put("\n");
    written.emplace_back(page, at);
    put(std::to_string(page) + " 0 obj" + page_obj + "endobj\n");
    written.emplace_back(content_n, at);
    put(std::to_string(content_n) + " 0 obj\n<< /Length " + std::to_string(stream.deflated.size()) + " /Filter /FlateDecode >>\nstream\n");
    put(stream.deflated);
    put("\nendstream\nendobj\n");
    for (std::size_t i = 0; i < stream.forms.size(); ++i) {
        long n = first_form + static_cast<long>(i);
        written.emplace_back(n, at);
        put(std::to_string(n) + " 0 obj\n" + stream.forms[i] + "endobj\n");
    }
    if (resources_n) {
        written.emplace_back(resources_n, at);
        put(std::to_string(resources_n) + " 0 obj" + resources_obj + "endobj\n");
    }
    std::size_t xref = at;
    std::string x = "xref\n0 1\n0000000000 65535 f \n";
    char entry[32];
    for (std::size_t i = 0; i < written.size();) {
        std::size_t j = i;
        while (j + 1 < written.size() && written[j + 1].first == written[j].first + 1) ++j;
        x += std::to_string(written[i].first) + " " + std::to_string(j - i + 1) + "\n";
        for (; i <= j; ++i) {
            std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", written[i].second);
            x += entry;
        }
    }
    std::string t = pdf.trailer_;
    t.replace(size_at, pdf.trailer_.find_first_not_of("0123456789 \r\n\t", size_at + 5) - size_at, "/Size " + std::to_string(next) + "\n   ");
    x += "trailer\n<<" + t + "   /Prev " + std::to_string(pdf.xref_at_) + "\n>>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    put(x);
    out.close();
    if (!out) throw io_error(trf("cannot write {}", path));
}

}  // namespace planmap::render
