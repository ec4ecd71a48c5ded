// A small interactive shell: runs embedded programs by name and waits for them.
//   ls      lists the embedded programs
//   help    says this
//   exit    leaves the shell
#include "exopi/user.h"

namespace {

using namespace exopi;

bool equal(const char* a, const char* b) { return strcmp(a, b) == 0; }

// Reads a line with echo and backspace; false at end of input.
bool read_line(char* buf, size_t size) {
    size_t n = 0;
    for (;;) {
        auto got = sys::cgetc();
        if (!got) {
            return false;
        }
        int c = got.value();
        if (c == '\r' || c == '\n') {
            printf("\n");
            buf[n] = '\0';
            return true;
        }
        if ((c == 0x7f || c == '\b') && n > 0) {
            --n;
            printf("\b \b");
        } else if (c >= ' ' && c < 0x7f && n + 1 < size) {
            buf[n++] = static_cast<char>(c);
            printf("%c", static_cast<int>(c));
        }
    }
}

void list_programs() {
    char name[32];
    for (uint64_t i = 0; sys::program_name(i, name, sizeof name).ok(); ++i) {
        printf("%s%s", i == 0 ? "" : " ", name);
    }
    printf("\n");
}

} // namespace

int main() {
    printf("sh: type a program name, ls, help or exit\n");
    char line[64];
    for (;;) {
        printf("$ ");
        if (!read_line(line, sizeof line)) {
            return 0;
        }
        if (line[0] == '\0') {
            continue;
        }
        if (equal(line, "exit")) {
            printf("sh: bye\n");
            return 0;
        }
        if (equal(line, "ls")) {
            list_programs();
            continue;
        }
        if (equal(line, "help")) {
            printf("programs run in the foreground; ls lists them; exit leaves\n");
            continue;
        }
        auto id = spawn(line);
        if (!id) {
            printf("sh: %s: no such program\n", line);
            continue;
        }
        wait(id.value());
    }
}
