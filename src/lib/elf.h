// A validating reader for the ELF64 executables the kernel loads (user programs).
// Reference: System V ABI, "ELF header" and "Program header" (gABI, ch. 4 and 5).
//
// Every field that locates data is checked against the image size and the allowed virtual
// range before anything is used, so a corrupt or hostile image is an error, not a wild read.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "str.h"

namespace exo {

enum class ElfError {
    kNone,
    kTruncated,
    kBadMagic,
    kUnsupported, ///< not ELF64 little-endian executable for the expected machine
    kBadSegment,  ///< a segment outside the image or the allowed range, or overlapping
};
const char* to_string(ElfError e);

struct ElfSegment {
    uint64_t vaddr;
    uint64_t memsz;
    uint64_t offset; ///< of the file data in the image
    uint64_t filesz;
    bool read, write, exec;
};

class Elf {
  public:
    static constexpr uint16_t kMachineRiscv = 243;
    static constexpr uint16_t kMachineAarch64 = 183;

    /// Checks the header and every PT_LOAD segment: inside the image, inside [lo, hi), page
    /// offsets consistent, no two segments sharing a page, memsz >= filesz.
    static Result<Elf, ElfError> parse(const void* image, size_t size, uint16_t machine,
                                       uint64_t lo, uint64_t hi);

    uint64_t entry() const { return entry_; }
    unsigned segment_count() const { return nsegs_; }
    /// The i-th loadable segment (i < segment_count()), in file order.
    ElfSegment segment(unsigned i) const;

  private:
    const uint8_t* image_ = nullptr;
    uint64_t entry_ = 0;
    uint64_t phoff_ = 0;
    uint16_t phnum_ = 0;
    unsigned nsegs_ = 0;
    uint16_t load_index_[16] = {}; ///< program header index of each PT_LOAD
};

/// The function symbol (STT_FUNC in .symtab) whose range holds `addr`, for backtraces of
/// programs: its name (pointing into the image) and `addr`'s offset into it. Every offset and
/// length in the image is checked: a damaged image gives an error, never a read outside it.
struct ElfSymbol {
    Str name;
    uint64_t offset = 0;
};
Result<ElfSymbol, ElfError> elf_function_at(const void* image, size_t size, uint64_t addr);

/// The contents of the section named `name` (bounds-checked like the above): how the kernel
/// finds a program's line table (.exopi_lines, lib/linetable.h).
struct ElfBytes {
    const uint8_t* data = nullptr;
    size_t size = 0;
};
Result<ElfBytes, ElfError> elf_section(const void* image, size_t size, Str name);

/// Writes a readable form of an Itanium-mangled C++ name into out[0..cap) (always terminated):
/// nested names ("_ZN5exopi4forkEv" -> "exopi::fork"), plain ones ("_Z4mainv" -> "main"),
/// "(anonymous namespace)"; the parameters are left out. Anything else is copied as it is.
void demangle_name(Str mangled, char* out, size_t cap);

} // namespace exo
