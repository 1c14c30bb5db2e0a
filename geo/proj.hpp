// RAII for PROJ handles.
#pragma once

#include <proj.h>

#include <memory>

namespace planmap::geo {

struct ProjContextDeleter {
    void operator()(PJ_CONTEXT* c) const noexcept {
        if (c) proj_context_destroy(c);
    }
};
using ProjContextPtr = std::unique_ptr<PJ_CONTEXT, ProjContextDeleter>;

// A PJ handle; it must be destroyed with the context that made it, which the deleter carries.
struct PjDeleter {
    PJ_CONTEXT* ctx = nullptr;
    void operator()(PJ* p) const noexcept {
        if (p) proj_destroy(p);
    }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

struct PjListDeleter {
    void operator()(PJ_OBJ_LIST* l) const noexcept {
        if (l) proj_list_destroy(l);
    }
};
using PjListPtr = std::unique_ptr<PJ_OBJ_LIST, PjListDeleter>;

}  // namespace planmap::geo
