// User mode may read the retired-instruction counter (for benchmarks) but never write it: a
// program that could stop or zero it would falsify every other program's measurement. The
// write must kill this program with a trapped-instruction exception.
#include "exopi/user.h"

int main() {
    uint64_t a = exopi_instructions();
    uint64_t b = exopi_instructions();
    exopi::printf("counterwrite: the counter reads and advances: %s\n", b > a ? "yes" : "no");
    exopi::printf("counterwrite: writing it\n");
    exopi_counter_write();
    exopi::printf("counterwrite: the write went through\n");
    return 0;
}
