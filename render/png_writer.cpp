#include "render/png_writer.hpp"

#include <zlib.h>

#include <algorithm>
#include <vector>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "geo/error.hpp"
#include "render/cairo.hpp"

namespace planmap::render {

namespace {

struct Band {
    std::vector<unsigned char> deflated;
    uLong adler = 1;
    std::size_t raw_len = 0;
};

void put32(std::vector<unsigned char>& v, std::uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<unsigned char>(x >> s));
}

void write_chunk(std::ofstream& out, const char* type, const unsigned char* data, std::size_t n) {
    std::vector<unsigned char> head;
    put32(head, static_cast<std::uint32_t>(n));
    out.write(reinterpret_cast<const char*>(head.data()), 4);
    out.write(type, 4);
    if (n) out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
    uLong crc = crc32(0, reinterpret_cast<const Bytef*>(type), 4);
    if (n) crc = crc32(crc, data, static_cast<uInt>(n));
    std::vector<unsigned char> tail;
    put32(tail, static_cast<std::uint32_t>(crc));
    out.write(reinterpret_cast<const char*>(tail.data()), 4);
}

// Rasterises rows [y0, y1) of the recording into an image surface.
SurfacePtr rasterise_band(cairo_surface_t* recording, int width, int y0, int y1) {
    SurfacePtr img(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, y1 - y0));
    {
        CairoPtr cr(cairo_create(img.get()));
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        cairo_set_source_surface(cr.get(), recording, 0, -y0);
        cairo_paint(cr.get());
    }
    cairo_surface_flush(img.get());
    return img;
}

// Compresses a band's rows (filter Sub per row) into a raw deflate stream ending in a sync flush
// (or the final block for the last band). Reads only the pixel buffer, so it runs on any thread.
void compress_band(const unsigned char* data, int stride, int width, int rows, bool last, Band& band) {
    z_stream zs{};
    // Z_RLE: after the Sub filter, flat map colours are runs of zeros; far faster than full LZ77
    // search and about as small for maps.
    deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_RLE);
    std::vector<unsigned char> row(static_cast<std::size_t>(width) * 3 + 1);
    band.deflated.resize(deflateBound(&zs, static_cast<uLong>(row.size()) * static_cast<uLong>(rows)) + 64);
    zs.next_out = band.deflated.data();
    zs.avail_out = static_cast<uInt>(band.deflated.size());
    for (int y = 0; y < rows; ++y) {
        const auto* px = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        row[0] = 1;  // Sub
        unsigned char pr = 0, pg = 0, pb = 0;
        for (int x = 0; x < width; ++x) {
            std::uint32_t p = px[x];
            unsigned char r = static_cast<unsigned char>(p >> 16), g = static_cast<unsigned char>(p >> 8), b = static_cast<unsigned char>(p);
            std::size_t i = 1 + static_cast<std::size_t>(x) * 3;
            row[i] = static_cast<unsigned char>(r - pr);
            row[i + 1] = static_cast<unsigned char>(g - pg);
            row[i + 2] = static_cast<unsigned char>(b - pb);
            pr = r, pg = g, pb = b;
        }
        band.adler = adler32(band.adler, row.data(), static_cast<uInt>(row.size()));
        band.raw_len += row.size();
        zs.next_in = row.data();
        zs.avail_in = static_cast<uInt>(row.size());
        deflate(&zs, y + 1 == rows ? (last ? Z_FINISH : Z_SYNC_FLUSH) : Z_NO_FLUSH);
    }
    band.deflated.resize(band.deflated.size() - zs.avail_out);
    deflateEnd(&zs);
}

}  // namespace

void write_png_bands(cairo_surface_t* recording, const std::function<SurfacePtr()>& another_recording, int workers, int width, int height,
                     double dpi, const std::string& path) {
    const int band_rows = std::max(32, std::min(256, height / 8 + 1));
    int nbands = (height + band_rows - 1) / band_rows;
    std::vector<Band> bands(static_cast<std::size_t>(nbands));
    // Cairo cannot replay one recording from several threads: the calling thread starts on the
    // recording it has while each further worker first draws its own copy of the sheet; all take
    // the next band (rasterise, then compress) until none is left.
    workers = std::max(1, std::min(workers, nbands));
    std::atomic<int> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&](cairo_surface_t* rec) {
        for (int b = next++; b < nbands; b = next++) {
            int y0 = b * band_rows, y1 = std::min(height, y0 + band_rows);
            SurfacePtr img = rasterise_band(rec, width, y0, y1);
            compress_band(cairo_image_surface_get_data(img.get()), cairo_image_surface_get_stride(img.get()), width, y1 - y0,
                          b + 1 == nbands, bands[static_cast<std::size_t>(b)]);
        }
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w)
        threads.emplace_back([&] {
            try {
                SurfacePtr own = another_recording();
                work(own.get());
            } catch (...) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                failure = std::current_exception();
            }
        });
    try {
        work(recording);
    } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        failure = std::current_exception();
        next = nbands;
    }
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
    uLong adler = 1;
    for (const auto& b : bands) adler = adler32_combine(adler, b.adler, static_cast<z_off_t>(b.raw_len));

    std::ofstream out(path, std::ios::binary);
    if (!out) throw io_error("cannot write " + path);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    out.write(reinterpret_cast<const char*>(sig), 8);
    std::vector<unsigned char> ihdr;
    put32(ihdr, static_cast<std::uint32_t>(width));
    put32(ihdr, static_cast<std::uint32_t>(height));
    ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, deflate, adaptive filtering, no interlace
    write_chunk(out, "IHDR", ihdr.data(), ihdr.size());
    std::vector<unsigned char> phys;
    auto ppm = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
    put32(phys, ppm);
    put32(phys, ppm);
    phys.push_back(1);  // metre
    write_chunk(out, "pHYs", phys.data(), phys.size());
    // The zlib stream: header, the bands' deflate data, the Adler-32 of everything.
    const unsigned char zhead[2] = {0x78, 0x01};
    write_chunk(out, "IDAT", zhead, 2);
    for (const auto& b : bands) {
        const std::size_t chunk = 1 << 20;
        for (std::size_t off = 0; off < b.deflated.size(); off += chunk)
            write_chunk(out, "IDAT", b.deflated.data() + off, std::min(chunk, b.deflated.size() - off));
    }
    std::vector<unsigned char> tail;
    put32(tail, static_cast<std::uint32_t>(adler));
    write_chunk(out, "IDAT", tail.data(), tail.size());
    write_chunk(out, "IEND", nullptr, 0);
    out.close();
    if (!out) throw io_error("cannot write " + path);
}

}  // namespace planmap::render
