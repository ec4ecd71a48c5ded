#include "attrs.h"

namespace exo {

const char* to_string(PtError e) {
    switch (e) {
    case PtError::kNone: return "ok";
    case PtError::kMisaligned: return "misaligned";
    case PtError::kNonCanonical: return "non-canonical address";
    case PtError::kBadSize: return "bad mapping size";
    case PtError::kBadPerm: return "permissions not expressible";
    case PtError::kAlreadyMapped: return "already mapped";
    case PtError::kNotMapped: return "not mapped";
    case PtError::kBlockInTheWay: return "a block mapping is in the way";
    case PtError::kNoMemory: return "out of memory for page tables";
    case PtError::kBadAddress: return "physical address out of range";
    }
    return "?";
}

} // namespace exo
