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
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "render/cairo.hpp"

namespace planmap::render {

namespace {

struct Band {
    std::unique_ptr<unsigned char[]> deflated;  // not zero-filled: most of the bound stays untouched
    std::size_t size = 0;
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

// Rasterises rows [y0, y0 + rows) of the recording into `pixels` (a worker's buffer, reused
// band after band).
void rasterise_band(cairo_surface_t* recording, unsigned char* pixels, int stride, int width, int y0, int rows) {
    SurfacePtr img(cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24, width, rows, stride));
    {
        CairoPtr cr(cairo_create(img.get()));
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        cairo_set_source_surface(cr.get(), recording, 0, -y0);
        cairo_paint(cr.get());
    }
    cairo_surface_flush(img.get());
    if (cairo_surface_status(img.get()) != CAIRO_STATUS_SUCCESS)
        throw io_error(trf("rasterising the sheet failed: {}", cairo_status_to_string(cairo_surface_status(img.get()))));
}

// Compresses a band's rows (filter Sub per row) into a raw deflate stream ending in a sync flush
// (or the final block for the last band). Reads only the pixel buffer, so it runs on any thread.
void compress_band(const unsigned char* data, int stride, int width, int rows, bool last, Band& band) {
    z_stream zs{};
    // Z_RLE: after the Sub filter, flat map colours are runs of zeros; far faster than full LZ77
    // search and about as small for maps.
    deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_RLE);
    const std::size_t n = static_cast<std::size_t>(width) * 3;
    std::vector<unsigned char> rgb(n), row(n + 1);
    std::size_t bound = deflateBound(&zs, static_cast<uLong>(row.size()) * static_cast<uLong>(rows)) + 64;
    band.deflated.reset(new unsigned char[bound]);
    zs.next_out = band.deflated.get();
    zs.avail_out = static_cast<uInt>(bound);
    for (int y = 0; y < rows; ++y) {
        const auto* px = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        for (int x = 0; x < width; ++x) {
            std::uint32_t p = px[x];
            std::size_t i = static_cast<std::size_t>(x) * 3;
            rgb[i] = static_cast<unsigned char>(p >> 16), rgb[i + 1] = static_cast<unsigned char>(p >> 8), rgb[i + 2] = static_cast<unsigned char>(p);
        }
        // Filter Sub: each byte minus the byte one pixel to the left (a loop the compiler vectorises).
        row[0] = 1;
        for (std::size_t i = 0; i < 3 && i < n; ++i) row[1 + i] = rgb[i];
        for (std::size_t i = 3; i < n; ++i) row[1 + i] = static_cast<unsigned char>(rgb[i] - rgb[i - 3]);
        band.adler = adler32(band.adler, row.data(), static_cast<uInt>(row.size()));
        band.raw_len += row.size();
        zs.next_in = row.data();
        zs.avail_in = static_cast<uInt>(row.size());
        deflate(&zs, y + 1 == rows ? (last ? Z_FINISH : Z_SYNC_FLUSH) : Z_NO_FLUSH);
    }
    band.size = bound - zs.avail_out;
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
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, width);
    auto work = [&](cairo_surface_t* rec) {
        std::unique_ptr<unsigned char[]> pixels;
        for (int b = next++; b < nbands; b = next++) {
            if (!pixels) pixels.reset(new unsigned char[static_cast<std::size_t>(stride) * static_cast<std::size_t>(band_rows)]);
            int y0 = b * band_rows, rows = std::min(height, y0 + band_rows) - y0;
            rasterise_band(rec, pixels.get(), stride, width, y0, rows);
            compress_band(pixels.get(), stride, width, rows, b + 1 == nbands, bands[static_cast<std::size_t>(b)]);
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
    if (!out) throw io_error(trf("cannot write {}", path));
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
        for (std::size_t off = 0; off < b.size; off += chunk) write_chunk(out, "IDAT", b.deflated.get() + off, std::min(chunk, b.size - off));
    }
    std::vector<unsigned char> tail;
    put32(tail, static_cast<std::uint32_t>(adler));
    write_chunk(out, "IDAT", tail.data(), tail.size());
    write_chunk(out, "IEND", nullptr, 0);
    out.close();
    if (!out) throw io_error(trf("cannot write {}", path));
}

}  // namespace planmap::render
