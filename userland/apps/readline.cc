// Reads a line from the console (blocking cgetc, interrupt-driven) and echoes it.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    char line[80];
    size_t n = 0;
    printf("readline: type a line\n");
    for (;;) {
        auto c = sys::cgetc();
        EXOPI_ASSERT(c.ok());
        if (c.value() == '\r' || c.value() == '\n') {
            break;
        }
        if (n + 1 < sizeof line) {
            line[n++] = static_cast<char>(c.value());
        }
    }
    line[n] = '\0';
    printf("readline: got \"%s\"\n", line);
    // The input was one line: nothing more is buffered.
    printf("readline: non-blocking read: %ld\n", code(sys::cgetc(kCgetcNonBlocking)));
    return 0;
}
