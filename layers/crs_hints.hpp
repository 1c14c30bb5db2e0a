// What a layer without a CRS probably is, read from its coordinates: Gauss-Krüger eastings with or
// without the zone number in front, longitude/latitude, Web Mercator. A hint for the user to
// confirm (give the code as the source CRS), never an assumption planmap makes.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "geo/geos.hpp"

namespace planmap::layers {

class Layer;

struct CrsCandidate {
    int epsg = 0;       // the code
    int epsg_last = 0;  // == epsg; or the last of a run when the zone is not in the coordinates
    std::string name;   // as PROJ names it: "CGCS2000 / 3-degree Gauss-Kruger zone 39"
    std::string code() const;  // "EPSG:4527", or "EPSG:4534…EPSG:4554" for a run
};

struct CrsHints {
    std::vector<std::string> readings;       // what the coordinates look like ("3-degree Gauss-Krüger zone 39 …")
    std::vector<CrsCandidate> candidates;    // most likely first: CGCS2000, then Xian 1980, Beijing 1954
    std::vector<std::string> cautions;       // datum shifts, an unknown central meridian, GCJ-02
    bool empty() const noexcept { return candidates.empty(); }
    // One line for messages: "its coordinates look like …: EPSG:4527 (…), EPSG:2363 (…); cautions".
    std::string summary() const;
};

// The CRSs an extent's numbers fit, inside China (empty when they fit none of them):
// - x = zone·10^6 + easting, zones 25–45: 3-degree Gauss-Krüger zone-prefixed (CGCS2000
//   EPSG:4513–4533, Xian 1980 EPSG:2349–2369, Beijing 1954 EPSG:2401–2421);
// - zones 13–23: 6-degree zone-prefixed (CGCS2000 EPSG:4491–4501, Xian 1980 EPSG:2327–2337,
//   Beijing 1954 EPSG:21413–21423); Web Mercator (EPSG:3857) too when x also fits it;
// - x = 500000 ± 350000 m without a zone: 3-degree Gauss-Krüger by central meridian (CGCS2000
//   EPSG:4534–4554, …), the meridian unknown;
// - longitude/latitude: EPSG:4490 (CGCS2000), EPSG:4326 (WGS 84), GCJ-02 possible.
// y (northing) must lie between about 3°N and 55°N.
CrsHints crs_hints(const geo::Envelope& extent);

// The error for a layer without a CRS where one is needed: names the layer (and its source when
// given), the parameter that supplies a CRS (none when empty: the caller has no such parameter),
// and what the layer's coordinates suggest.
crs_error missing_crs_error(const Layer& layer, const std::string& parameter = "source_crs",
                            const std::string& source = {});

}  // namespace planmap::layers
