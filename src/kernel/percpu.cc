#include "percpu.h"

namespace kernel {
namespace {

constinit CpuArea g_cpu0;

} // namespace

void percpu_init(uint64_t cpu_id) {
    g_cpu0.cpu.cpu_id = cpu_id;
    arch::set_cpu_local(&g_cpu0.cpu);
}

} // namespace kernel
