// GCJ-02 (the obfuscated lon/lat of AMap/Tencent/DataV data) and BD-09 (Baidu) coordinates.
// PROJ does not support them, so the published forward formulas are implemented here with an
// iterative inverse. Points outside China's bounding box pass through unchanged, as in every
// reference implementation.
#pragma once

namespace planmap::geo {

struct LonLat {
    double lon = 0;
    double lat = 0;
};

bool in_china_bbox(double lon, double lat);

// WGS84 (≈ CGCS2000 to centimetres) → GCJ-02 and back.
LonLat wgs84_to_gcj02(LonLat p);
LonLat gcj02_to_wgs84(LonLat p);  // iterative; converges below 1e-9° (sub-millimetre)

// GCJ-02 → BD-09 and back.
LonLat gcj02_to_bd09(LonLat p);
LonLat bd09_to_gcj02(LonLat p);  // iterative refinement of the closed-form approximation

inline LonLat wgs84_to_bd09(LonLat p) { return gcj02_to_bd09(wgs84_to_gcj02(p)); }
inline LonLat bd09_to_wgs84(LonLat p) { return gcj02_to_wgs84(bd09_to_gcj02(p)); }

}  // namespace planmap::geo
