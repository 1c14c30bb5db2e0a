// RAII for GDAL handles and error capture. GDAL's own C++ smart pointers
// (GDALDatasetUniquePtr, OGRFeatureUniquePtr, OGRGeometryUniquePtr) are used where they exist.
#pragma once

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>

namespace planmap::layers {

// Registers GDAL's drivers once, with GIS axis order and quiet error output.
void ensure_gdal();

// Records GDAL's errors while alive (never throws from the handler); message() is the last one.
class GdalErrorCapture {
public:
    GdalErrorCapture();
    ~GdalErrorCapture();
    GdalErrorCapture(const GdalErrorCapture&) = delete;
    GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;
    const std::string& message() const noexcept { return message_; }

private:
    static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum num, const char* msg);
    std::string message_;
};

}  // namespace planmap::layers
