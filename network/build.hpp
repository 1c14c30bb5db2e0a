// Building walking networks: from OpenStreetMap (PBF or XML, through libosmium) and from any set
// of lines (a street centre-line layer).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "geo/geos.hpp"
#include "network/graph.hpp"

namespace planmap::network {

struct NetworkBuildReport {
    std::size_t ways_read = 0;                     // OSM ways with a highway tag / input lines
    std::size_t ways_used = 0;                     // of which walkable / usable
    std::map<std::string, std::size_t> skipped;    // reason → count
    std::size_t missing_nodes = 0;                 // OSM node references without a location
    std::size_t snapped_lines = 0;                 // lines moved by the snapping tolerance
    std::size_t duplicate_edges = 0;               // OSM: edges drawn again by another way over the same nodes
    double duplicate_length_m = 0;                 // their length, left out
};

// Which highway ways of an OSM file are walkable.
enum class WalkRules {
    // OSMnx's 'walk' network type, the usual reference of walking-accessibility studies (and
    // what results are compared with): every highway way except those whose tags match its
    // exclusions, as substrings like its Overpass regexes: highway abandoned, bus_guideway,
    // construction, cycleway, motor(way…), planned, platform, proposed, raceway; area=yes; foot
    // containing "no"; access or service containing "private".
    osmnx,
    // OSM's legal access as pedestrian routers read it: also leaves out access=no (unless foot
    // allows), foot=private/use_sidepath, trunk roads without a sidewalk, cycleways without foot
    // access, disused/razed/busway/escape highways; keeps cycleways and private roads that
    // foot=yes|designated|permissive opens.
    access,
};
// "osmnx" / "access"; throws usage_error for anything else.
WalkRules parse_walk_rules(const std::string& name);

// The OSM tags rule: nullptr when a way with these tags is walkable, else the reason it is not.
// `get(key)` returns the tag's value or nullptr.
template <class Get>
const char* walk_exclusion(Get&& get, WalkRules rules = WalkRules::osmnx);

// Walkable highway ways of an OSM file; topology from shared nodes; node ids are OSM node ids;
// coordinates in the metric analysis CRS of the data's centre.
Network build_network_from_osm(const std::string& path, NetworkBuildReport* report = nullptr,
                               WalkRules rules = WalkRules::osmnx);

// A network from lines (LineString / MultiLineString) in the metric CRS `crs`: nodes at end points
// and intersections; with snap_m > 0, vertices and end points within snap_m of another line are
// moved onto it first (closing small gaps). Node ids are dense indices.
Network build_network_from_lines(const std::vector<const GEOSGeometry*>& lines, const std::string& crs, double snap_m,
                                 NetworkBuildReport* report = nullptr);

// ------------------------------------------------------------------------------------------------

template <class Get>
const char* walk_exclusion(Get&& get, WalkRules rules) {
    auto is = [](const char* v, std::initializer_list<const char*> any) {
        if (!v) return false;
        for (const char* a : any)
            if (std::string_view(v) == a) return true;
        return false;
    };
    auto contains = [](const char* v, std::initializer_list<const char*> any) {
        if (!v) return false;
        for (const char* a : any)
            if (std::string_view(v).find(a) != std::string_view::npos) return true;
        return false;
    };
    const char* hw = get("highway");
    if (!hw) return "no highway tag";
    if (rules == WalkRules::osmnx) {
        if (contains(get("area"), {"yes"})) return "area=yes";
        if (contains(hw, {"abandoned", "bus_guideway", "construction", "cycleway", "motor", "planned", "platform",
                          "proposed", "raceway"}))
            return "highway not for walking";
        if (contains(get("foot"), {"no"})) return "foot=no";
        if (contains(get("access"), {"private"}) || contains(get("service"), {"private"})) return "access=private";
        return nullptr;
    }
    if (is(get("area"), {"yes"})) return "area=yes";
    const char* foot = get("foot");
    const bool foot_ok = is(foot, {"yes", "designated", "permissive"});
    if (is(foot, {"no", "private", "use_sidepath"})) return "foot=no/private";
    if (is(hw, {"construction", "proposed", "planned", "abandoned", "disused", "razed", "raceway", "bus_guideway",
                "busway", "escape", "platform", "no"}))
        return "highway not for walking";
    if (is(hw, {"motorway", "motorway_link", "trunk", "trunk_link"}) && !foot_ok &&
        !is(get("sidewalk"), {"both", "left", "right", "yes"}))
        return "motorway/trunk without sidewalk";
    if (is(hw, {"cycleway"}) && !foot_ok) return "cycleway without foot access";
    if (!foot_ok && (is(get("access"), {"no", "private"}) || is(get("service"), {"private"})))
        return "access=no/private";
    return nullptr;
}

}  // namespace planmap::network
