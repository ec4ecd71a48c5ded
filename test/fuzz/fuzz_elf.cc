// libFuzzer target: the ELF loader's parser (src/lib/elf.cc), and the backtrace helpers (symbols,
// sections, line tables: lib/linetable.h), on arbitrary bytes, for both ISAs'
// machine numbers and two sets of bounds. Malformed input must be an error, never a fault; a
// parse that succeeds must describe segments inside the image and inside the bounds, in order.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "lib/elf.h"
#include "lib/linetable.h"

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
    // The line table of a program (its .exopi_lines section), and the bytes read as a table.
    auto check_lines = [](const uint8_t* t, size_t n) {
        for (uint64_t addr : {uint64_t{0}, uint64_t{0x10000}, uint64_t{0x10040}, ~uint64_t{0}}) {
            if (auto l = exo::line_at(t, n, addr)) {
                const char* f = l.value().file.data;
                if (f < reinterpret_cast<const char*>(t) ||
                    f + l.value().file.size > reinterpret_cast<const char*>(t + n)) {
                    abort();
                }
            }
        }
    };
    if (auto sec = exo::elf_section(img.data(), img.size(), ".exopi_lines")) {
        if (sec.value().data < img.data() ||
            sec.value().data + sec.value().size > img.data() + img.size()) {
            abort();
        }
        check_lines(sec.value().data, sec.value().size);
    }
    check_lines(img.data(), img.size());
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
