// Yields a few times and exits (for stresssched).
#include "exopi/user.h"

int main() {
    for (int i = 0; i < 5; ++i) {
        exopi::sys::yield();
    }
    return 0;
}
