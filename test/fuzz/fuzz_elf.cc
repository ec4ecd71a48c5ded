// libFuzzer target: the ELF loader's parser (src/lib/elf.cc) on arbitrary bytes, for both ISAs'
// machine numbers and two sets of bounds. Malformed input must be an error, never a fault; a
// parse that succeeds must describe segments inside the image and inside the bounds, in order.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "lib/elf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // A private copy of exactly `size` bytes: reads past it are ASan errors.
    std::vector<uint8_t> img(data, data + size);
    // The backtrace lookup (symbols and their names, from section headers) on the same bytes.
    for (uint64_t addr : {uint64_t{0x10000}, uint64_t{0x10040}, ~uint64_t{0}}) {
        if (auto s = exo::elf_function_at(img.data(), img.size(), addr)) {
            char out[96];
            exo::demangle_name(s.value().name, out, sizeof out);
            if (std::strlen(out) >= sizeof out) {
                abort();
            }
        }
    }
    char out[8];
    exo::demangle_name(exo::Str(reinterpret_cast<const char*>(img.data()), img.size()), out,
                       sizeof out);
    const uint16_t machines[] = {exo::Elf::kMachineRiscv, exo::Elf::kMachineAarch64};
    const uint64_t bounds[][2] = {{0x10000, 0x80000000}, {0x10000, ~uint64_t{0}}};
    for (uint16_t m : machines) {
        for (const auto& b : bounds) {
            auto r = exo::Elf::parse(img.data(), img.size(), m, b[0], b[1]);
            if (!r) {
                continue;
            }
            const exo::Elf& elf = r.value();
            uint64_t prev_last = 0;
            for (unsigned i = 0; i < elf.segment_count(); ++i) {
                exo::ElfSegment s = elf.segment(i);
                if (s.offset > size || s.filesz > size - s.offset || s.memsz < s.filesz ||
                    s.vaddr < b[0] || s.memsz > b[1] - s.vaddr ||
                    (i > 0 && s.vaddr / 4096 <= prev_last)) {
                    abort(); // accepted a segment the checks should have refused
                }
                prev_last = (s.vaddr + s.memsz - 1) / 4096;
            }
        }
    }
    return 0;
}
