// The GeoPackage bulk writer (layers/gpkg): what GDAL reads back from it, and its bookkeeping
// (feature counts and their triggers, extents, R-trees) as GDAL's own writer keeps it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geo/geos.hpp"
#include "layers/gdal.hpp"
#include "layers/gpkg.hpp"
#include "layers/io.hpp"
#include "tests/support.hpp"

using namespace planmap;
using namespace planmap::layers;

namespace {

GDALDatasetUniquePtr open(const std::string& path, bool update = false) {
    ensure_gdal();
    return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : 0), nullptr, nullptr, nullptr));
}

std::string sql_value(GDALDataset& ds, const std::string& sql) {
    OGRLayer* r = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (!r) return "(no result)";
    OGRFeatureUniquePtr f(r->GetNextFeature());
    std::string v = f ? f->GetFieldAsString(0) : "(no row)";
    ds.ReleaseResultSet(r);
    return v;
}

// A multipolygon layer with every kind of part the coverage and plan outputs write.
Layer mixed_layer() {
    Layer l("pieces", {{"n", FieldType::integer, ""}, {"share", FieldType::real, "比例"}, {"名称", FieldType::string, ""}},
            geo::Crs::from_epsg(4549), "MultiPolygon");
    l.add({-1, geo::from_wkt("POLYGON((0 0,10 0,10 10,0 10,0 0))"), {std::int64_t{1}, 0.5, std::string("一号")}});
    l.add({-1, geo::from_wkt("MULTIPOLYGON(((20 0,30 0,30 10,20 0)),((40 0,50 0,50 10,40 0)))"), {std::int64_t{2}, std::nan(""), std::string("")}});
    l.add({-1, geo::from_wkt("GEOMETRYCOLLECTION(POLYGON((60 0,70 0,70 10,60 0)),LINESTRING(0 50,10 60))"), {std::int64_t{3}, 1.0, {}}});
    l.add({-1, geo::from_wkt("POLYGON EMPTY"), {std::int64_t{4}, 0.0, std::string("空")}});
    l.add({-1, geo::from_wkt("GEOMETRYCOLLECTION(POLYGON((80 0,90 0,90 10,80 0)))"), {std::int64_t{6}, 0.0, std::string("集合")}});
    l.add({-1, nullptr, {{}, {}, std::string("无几何")}});
    return l;
}

}  // namespace

TEST(GpkgWriter, GdalReadsBackEveryGeometryAndValue) {
    test::TempDir tmp;
    Layer l = mixed_layer();
    auto path = (tmp / "mixed.gpkg").string();
    write(l, path);
    auto ds = open(path);
    ASSERT_TRUE(ds);
    OGRLayer* out = ds->GetLayerByName("pieces");
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->GetFeatureCount(FALSE), 6);  // from gpkg_ogr_contents, as the writer set it
    std::vector<std::string> wkt;
    std::vector<std::string> names;
    for (auto& f : *out) {
        OGRGeometry* g = f->GetGeometryRef();
        if (g) {
            char* text = nullptr;
            g->exportToWkt(&text, wkbVariantIso);
            wkt.emplace_back(text);
            CPLFree(text);
        } else {
            wkt.emplace_back("null");
        }
        names.emplace_back(f->IsFieldSetAndNotNull(2) ? f->GetFieldAsString(2) : "(null)");
        if (f->GetFID() == 2) {
            EXPECT_FALSE(f->IsFieldSetAndNotNull(1));  // NaN is stored as NULL
        }
        if (f->GetFID() == 6) {
            EXPECT_FALSE(f->IsFieldSetAndNotNull(0));
        }
    }
    ASSERT_EQ(wkt.size(), 6u);
    EXPECT_EQ(wkt[0], "MULTIPOLYGON (((0 0,10 0,10 10,0 10,0 0)))");  // a single polygon becomes a one-part multi
    EXPECT_EQ(wkt[1], "MULTIPOLYGON (((20 0,30 0,30 10,20 0)),((40 0,50 0,50 10,40 0)))");
    // A mixed collection is what OGR's forceTo leaves it (GDAL's own writer path did the same).
    EXPECT_EQ(wkt[2], "GEOMETRYCOLLECTION (POLYGON ((60 0,70 0,70 10,60 0)),LINESTRING (0 50,10 60))");
    EXPECT_EQ(wkt[3], "MULTIPOLYGON EMPTY");
    EXPECT_EQ(wkt[4], "MULTIPOLYGON (((80 0,90 0,90 10,80 0)))");  // a collection of polygons: their multipolygon
    EXPECT_EQ(wkt[5], "null");
    EXPECT_EQ(names, (std::vector<std::string>{"一号", "", "(null)", "空", "集合", "无几何"}));
    OGREnvelope e;
    ASSERT_EQ(out->GetExtent(&e, FALSE), OGRERR_NONE);
    EXPECT_EQ(e.MinX, 0);
    EXPECT_EQ(e.MaxX, 90);
    EXPECT_EQ(e.MinY, 0);
    EXPECT_EQ(e.MaxY, 60);  // the collection's line counts in the extent, as it did in the geometry written
    EXPECT_EQ(sql_value(*ds, "PRAGMA integrity_check"), "ok");
}

TEST(GpkgWriter, ManyRowsKeepOrderCountsAndTriggers) {
    test::TempDir tmp;
    // More rows than one encoding chunk and not a multiple of the statement's group of rows.
    Layer pts("points", {{"i", FieldType::integer, ""}, {"label", FieldType::string, ""}}, geo::Crs::from_epsg(4549), "Point");
    const int n = 9001;
    for (int i = 0; i < n; ++i) pts.add({-1, geo::make_point(i, 2.0 * i), {std::int64_t{i}, "p" + std::to_string(i)}});
    Layer table("notes", {{"text", FieldType::string, ""}}, std::nullopt, "None");
    for (int i = 0; i < 3; ++i) table.add({-1, nullptr, {std::string("第") + std::to_string(i) + "条"}});
    auto path = (tmp / "many.gpkg").string();
    WriteOptions wo;
    wo.spatial_index = true;
    write(std::vector<const Layer*>{&pts, &table}, path, wo);
    {
        auto ds = open(path, true);
        ASSERT_TRUE(ds);
        OGRLayer* p = ds->GetLayerByName("points");
        EXPECT_EQ(p->GetFeatureCount(FALSE), n);
        for (GIntBig fid : {GIntBig{1}, GIntBig{4096}, GIntBig{4097}, GIntBig{9001}}) {
            OGRFeatureUniquePtr f(p->GetFeature(fid));
            ASSERT_TRUE(f) << fid;
            EXPECT_EQ(f->GetFieldAsInteger64(0), fid - 1);
            EXPECT_EQ(std::string(f->GetFieldAsString(1)), "p" + std::to_string(fid - 1));
            auto* pt = f->GetGeometryRef()->toPoint();
            EXPECT_EQ(pt->getX(), static_cast<double>(fid - 1));
            EXPECT_EQ(pt->getY(), 2.0 * static_cast<double>(fid - 1));
        }
        EXPECT_EQ(sql_value(*ds, "SELECT HasSpatialIndex('points', 'geom')"), "1");
        // The R-tree answers a window query (GDAL uses it for spatial filters).
        p->SetSpatialFilterRect(99.5, 0, 100.5, 1e9);
        EXPECT_EQ(p->GetFeatureCount(TRUE), 1);
        p->SetSpatialFilter(nullptr);
        OGRLayer* t = ds->GetLayerByName("notes");
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(t->GetFeatureCount(FALSE), 3);
        OGRFeatureUniquePtr f(t->GetFeature(2));
        EXPECT_EQ(std::string(f->GetFieldAsString(0)), "第1条");
        // A row added later through plain SQL moves the stored count: the triggers are back.
        OGRLayer* r = ds->ExecuteSQL("INSERT INTO notes (text) VALUES ('后加')", nullptr, "SQLITE");
        if (r) ds->ReleaseResultSet(r);
    }
    auto ds = open(path);
    EXPECT_EQ(sql_value(*ds, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'notes'"), "4");
    EXPECT_EQ(sql_value(*ds, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trigger_insert_feature_count_%'"),
              "2");
}

TEST(GpkgWriter, BlobHeaderFollowsTheStandard) {
    auto poly = geo::from_wkt("POLYGON((1 2,5 2,5 7,1 2))");
    std::string b = gpkg::encode_geometry(poly.get(), 4549, 6);
    ASSERT_GE(b.size(), 40u);
    EXPECT_EQ(b.substr(0, 2), "GP");
    EXPECT_EQ(b[2], 0);       // version 1
    EXPECT_EQ(b[3], 0x03);    // little-endian, envelope [minx, maxx, miny, maxy]
    std::int32_t srs;
    std::memcpy(&srs, b.data() + 4, 4);
    EXPECT_EQ(srs, 4549);
    double env[4];
    std::memcpy(env, b.data() + 8, sizeof env);
    EXPECT_EQ(env[0], 1);
    EXPECT_EQ(env[1], 5);
    EXPECT_EQ(env[2], 2);
    EXPECT_EQ(env[3], 7);
    EXPECT_EQ(b[40], 1);  // WKB little-endian
    std::uint32_t type;
    std::memcpy(&type, b.data() + 41, 4);
    EXPECT_EQ(type, 6u);  // wrapped in a multipolygon
    auto pt = geo::make_point(3, 4);
    std::string p = gpkg::encode_geometry(pt.get(), 4490, 0);
    EXPECT_EQ(p[3], 0x01);  // no envelope for a point
    EXPECT_EQ(p.size(), 8u + 21u);
    auto empty = geo::from_wkt("POLYGON EMPTY");
    EXPECT_EQ(gpkg::encode_geometry(empty.get(), 0, 0)[3], 0x11);  // empty flag, no envelope
}

// Reading converts and checks geometries on other cores a chunk at a time: the features, their
// repairs and the notes still come out in file order.
TEST(GpkgWriter, ParallelReadKeepsFeatureOrderAndNotes) {
    test::TempDir tmp;
    Layer l("parcels", {{"i", FieldType::integer, ""}}, geo::Crs::from_epsg(4549), "Polygon");
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        const std::string x0 = std::to_string(10 * i), x1 = std::to_string(10 * i + 5);
        // Every 1000th a bow-tie (repaired on reading), every 1500th without geometry.
        std::string wkt = i % 1000 == 7 ? "POLYGON((" + x0 + " 0," + x1 + " 5," + x0 + " 5," + x1 + " 0," + x0 + " 0))"
                                        : "POLYGON((" + x0 + " 0," + x1 + " 0," + x1 + " 5," + x0 + " 5," + x0 + " 0))";
        l.add({-1, i % 1500 == 11 ? nullptr : geo::from_wkt(wkt), {std::int64_t{i}}});
    }
    auto path = (tmp / "p.gpkg").string();
    write(l, path);
    Layer back = read_layer(path);
    ASSERT_EQ(back.size(), static_cast<std::size_t>(n));
    std::vector<std::int64_t> fids;
    for (const auto& note : back.notes) fids.push_back(note.fid);
    EXPECT_TRUE(std::is_sorted(fids.begin(), fids.end()));
    std::size_t repaired = 0, nulls = 0;
    for (const auto& note : back.notes) {
        repaired += note.action == "repaired";
        nulls += note.reason == "null geometry";
    }
    EXPECT_EQ(repaired, 20u);
    EXPECT_EQ(nulls, 14u);  // 11, 1511, …, 19511
    EXPECT_EQ(back.invalid_geometries, 20u);
    for (int i : {0, 8191, 8192, 8193, 16384, 19999}) {
        const auto& f = back.features()[static_cast<std::size_t>(i)];
        EXPECT_EQ(std::get<std::int64_t>(f.values[0]), i);
        ASSERT_TRUE(f.geometry);
        EXPECT_EQ(geo::envelope(f.geometry.get()).minx, 10.0 * i);
        EXPECT_DOUBLE_EQ(geo::area(f.geometry.get()), 25.0);
    }
    EXPECT_DOUBLE_EQ(geo::area(back.features()[7].geometry.get()), 12.5);  // the bow-tie's two triangles
    EXPECT_FALSE(back.features()[11].geometry);
}

// ReadOptions::single_parts (residential parcels): a multi of one part is read as the part, in the
// GeoPackage's direct path and in OGR's; a multi of two parts stays; what is written back for the
// MultiPolygon layer is a MultiPolygon again, vertex for vertex.
TEST(GpkgWriter, SinglePartsAreReadAsTheirPartAndWrittenBackAsMultis) {
    test::TempDir tmp;
    Layer l("parcels", {{"n", FieldType::integer, ""}}, geo::Crs::from_epsg(4549), "MultiPolygon");
    const std::string one = "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2)))";
    const std::string two = "MULTIPOLYGON (((20 0, 30 0, 30 10, 20 0)), ((40 0, 50 0, 50 10, 40 0)))";
    l.add({-1, geo::from_wkt(one), {std::int64_t{1}}});
    l.add({-1, geo::from_wkt(two), {std::int64_t{2}}});
    for (const std::string name : {"in.gpkg", "in.geojson"}) {
        SCOPED_TRACE(name);
        const auto in = (tmp / name).string();
        write(l, in);
        ReadOptions ro;
        ro.single_parts = true;
        Layer read_back = read_layer(in, ro);
        ASSERT_EQ(read_back.size(), 2u);
        EXPECT_EQ(geo::geometry_type(read_back.features()[0].geometry.get()), "Polygon");
        EXPECT_EQ(geo::to_wkt(read_back.features()[0].geometry.get()), "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))");
        EXPECT_EQ(geo::geometry_type(read_back.features()[1].geometry.get()), "MultiPolygon");
        Layer as_stored = read_layer(in);
        ASSERT_TRUE(as_stored.features()[0].geometry);
        EXPECT_EQ(geo::geometry_type(as_stored.features()[0].geometry.get()), "MultiPolygon");  // without the option

        const auto out = (tmp / ("out_" + name)).string();
        write(read_back, out);
        Layer again = read_layer(out);
        ASSERT_EQ(again.size(), 2u);
        EXPECT_EQ(geo::to_wkt(again.features()[0].geometry.get()), one);
        EXPECT_EQ(geo::to_wkt(again.features()[1].geometry.get()), two);
    }
}
