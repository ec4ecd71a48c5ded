// The handler reports the fault and exits.
#include "exopi/user.h"

namespace {
void handler(exopi::FaultRecord* f) {
    exopi::printf("i faulted at va %lx, cause: %s\n", f->addr, exopi::fault_cause_name(f->cause));
    exopi::exit();
}
} // namespace

int main() {
    exopi::set_pgfault_handler(handler);
    *reinterpret_cast<volatile uint64_t*>(0x5eadbeef) = 0;
    exopi::printf("faultdie: should have died\n");
    return 0;
}
