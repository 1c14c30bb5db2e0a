// libFuzzer target: shapefile records. The input is split into .shp, .shx and .dbf parts at the
// two 16-bit lengths in its first four bytes, so the fuzzer can damage each file separately;
// the encoding detection (LDID, UTF-8/GBK plausibility, mixed records) reads the .dbf.
#include "fuzz/fuzz_input.hpp"
#include "layers/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return 0;
    std::size_t a = data[0] | (data[1] << 8), b = data[2] | (data[3] << 8);
    data += 4;
    size -= 4;
    a = std::min(a, size);
    b = std::min(b, size - a);
    using planmap::fuzz::put;
    auto shp = put("in.shp", data, a);
    put("in.shx", data + a, b);
    auto dbf = put("in.dbf", data + a + b, size - a - b);
    auto texts = planmap::layers::dbf_texts(dbf.string()).records;
    (void)planmap::layers::mixed_encoding_records(texts);
    planmap::fuzz::read_all(shp);
    return 0;
}
