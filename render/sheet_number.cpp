#include "render/sheet_number.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace planmap::render {

namespace {
const SheetSeries series[] = {
    {1000000, ' ', 6.0, 4.0},
    {500000, 'B', 3.0, 2.0},
    {250000, 'C', 1.5, 1.0},
    {100000, 'D', 0.5, 1.0 / 3},
    {50000, 'E', 0.25, 1.0 / 6},
    {25000, 'F', 0.125, 1.0 / 12},
    {10000, 'G', 0.0625, 1.0 / 24},
    {5000, 'H', 0.03125, 1.0 / 48},
    {2000, 'I', 0.03125 / 3, 1.0 / 144},
    {1000, 'J', 0.03125 / 6, 1.0 / 288},
    {500, 'K', 0.03125 / 12, 1.0 / 576},
};
}  // namespace

const SheetSeries& nearest_series(double denominator) {
    const SheetSeries* best = &series[0];
    double best_d = 1e300;
    for (const auto& s : series) {
        double d = std::fabs(std::log(denominator) - std::log(static_cast<double>(s.denominator)));
        if (d < best_d) {
            best_d = d;
            best = &s;
        }
    }
    return *best;
}

std::string sheet_number(double lon, double lat, long denominator) {
    const SheetSeries* s = nullptr;
    for (const auto& x : series)
        if (x.denominator == denominator) s = &x;
    if (!s) throw usage_error(trf("1:{} is not a GB/T 13989 series scale", denominator));
    if (!(std::fabs(lat) < 88) || !(std::fabs(lon) <= 180)) throw usage_error(tr("point outside the sheet system"));
    // Work in units of the finest interval to avoid floating-point edge errors: 1/1000 arc-second.
    auto units = [](double deg) { return static_cast<long long>(std::floor(deg * 3600000.0 + 1e-6)); };
    long long alat = units(std::fabs(lat));
    long long alon = units(lon + 180.0);
    const long long row_span = 4LL * 3600000, col_span = 6LL * 3600000;
    long long row = alat / row_span;        // 0 = A
    long long col = alon / col_span + 1;    // 1…60
    if (col > 60) col = 60;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%c%02lld", static_cast<char>('A' + row), col);
    std::string out = buf;
    if (s->code == ' ') return out;
    long long dlat = std::llround(s->dlat_deg * 3600000.0), dlon = std::llround(s->dlon_deg * 3600000.0);
    long long in_lat = alat % row_span, in_lon = alon % col_span;
    long long r = row_span / dlat - in_lat / dlat;  // rows counted from the north edge
    long long c = in_lon / dlon + 1;
    int digits = (s->code == 'J' || s->code == 'K') ? 4 : 3;
    std::snprintf(buf, sizeof buf, "%c%0*lld%0*lld", s->code, digits, r, digits, c);
    return out + buf;
}

}  // namespace planmap::render
