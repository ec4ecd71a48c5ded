// A small interactive shell: runs embedded programs by name and waits for them.
//   NAME ARGS  runs program NAME in the foreground with ARGS as the program takes them (the
//              program table, exopi/programs.h): a number as its arg(), words as main's argv,
//              or none — arguments a program does not take are refused
//   ls         lists the programs, then the tests
//   help       says this and what each program does; help NAME: what NAME takes
//   exit       leaves the shell (as does Ctrl-D at an empty prompt)
// Ctrl-C stops the program in the foreground. A line longer than the buffer is refused, not cut.
//
// While a program runs, the shell polls the console (non-blocking) for Ctrl-C; other characters
// typed meanwhile are kept, in order, for its next prompt. A program blocked in cgetc gets the
// characters first (the kernel hands them to a waiting reader before buffering them), so the
// shell only sees what nobody was waiting for.
#include "exopi/programs.h"
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr int kCtrlC = 0x03;
constexpr int kCtrlD = 0x04;

bool equal(const char* a, const char* b) { return strcmp(a, b) == 0; }

// Characters read while a program ran, for the next prompt.
char g_ahead[256];
size_t g_ahead_head = 0, g_ahead_len = 0;

int next_char() {
    if (g_ahead_len > 0) {
        char c = g_ahead[g_ahead_head];
        g_ahead_head = (g_ahead_head + 1) % sizeof g_ahead;
        --g_ahead_len;
        return static_cast<unsigned char>(c);
    }
    auto got = sys::cgetc();
    return got ? got.value() : -1;
}

enum class Line { kOk, kEnd, kTooLong };

// Reads a line with echo and backspace. kEnd at end of input or Ctrl-D on an empty line;
// kTooLong (after the newline) if it did not fit.
Line read_line(char* buf, size_t size) {
    size_t n = 0;
    bool too_long = false;
    for (;;) {
        int c = next_char();
        if (c < 0) {
            return Line::kEnd;
        }
        if (c == '\r' || c == '\n') {
            printf("\n");
            buf[n] = '\0';
            return too_long ? Line::kTooLong : Line::kOk;
        }
        if (c == kCtrlD && n == 0 && !too_long) {
            printf("\n");
            return Line::kEnd;
        }
        if (c == kCtrlC) {
            printf("^C\n$ ");
            n = 0;
            too_long = false;
        } else if ((c == 0x7f || c == '\b') && n > 0) {
            --n;
            printf("\b \b");
        } else if (c >= ' ' && c < 0x7f) {
            if (n + 1 < size) {
                buf[n++] = static_cast<char>(c);
                printf("%c", static_cast<int>(c));
            } else {
                too_long = true;
            }
        }
    }
}

const ProgramInfo* find(const char* name) {
    for (uint64_t i = 0; i < kProgramCount; ++i) {
        if (equal(kPrograms[i].name, name)) {
            return &kPrograms[i];
        }
    }
    return nullptr;
}

// "NAME", "NAME [N]" or "NAME [WORDS...]", as the program takes arguments.
void print_synopsis(const ProgramInfo& p, int width) {
    const char* tail = p.args == ProgramArgs::kNumber  ? " [N]"
                       : p.args == ProgramArgs::kWords ? " [WORDS...]"
                                                       : "";
    int n = static_cast<int>(strlen(p.name) + strlen(tail));
    printf("%s%s%*s", p.name, tail, width > n ? width - n : 0, "");
}

void list_programs() {
    for (int test = 0; test <= 1; ++test) {
        printf("%s:", test != 0 ? "tests" : "programs");
        for (uint64_t i = 0; i < kProgramCount; ++i) {
            if (kPrograms[i].test == (test != 0)) {
                printf(" %s", kPrograms[i].name);
            }
        }
        printf("\n");
    }
}

void help() {
    printf("NAME [ARGS] runs a program (Ctrl-C stops it); help NAME says what it takes;\n"
           "ls lists the programs; exit or Ctrl-D leaves.\n");
    for (int test = 0; test <= 1; ++test) {
        printf(test != 0 ? "tests (each checks the kernel or the library; ctest runs them):\n"
                         : "programs:\n");
        for (uint64_t i = 0; i < kProgramCount; ++i) {
            if (kPrograms[i].test == (test != 0)) {
                printf("  ");
                print_synopsis(kPrograms[i], 18);
                printf(" %s\n", kPrograms[i].about);
            }
        }
    }
}

void help_for(const char* name) {
    const ProgramInfo* p = find(name);
    if (p == nullptr) {
        printf("sh: %s: no such program\n", name);
        return;
    }
    print_synopsis(*p, 0);
    printf(": %s\n", p->about);
    if (p->args != ProgramArgs::kNone) {
        printf("  %s\n", p->usage);
    } else {
        printf("  takes no arguments\n");
    }
}

// Waits for the foreground program; Ctrl-C destroys it.
void foreground(uint32_t id) {
    for (;;) {
        if (!sys::page_list(id, kUserBase, kUserBase, nullptr, 0)) {
            return; // gone
        }
        auto c = sys::cgetc(kCgetcNonBlocking);
        if (c && c.value() == kCtrlC) {
            (void)sys::env_destroy(id);
            printf("^C\n");
            return;
        }
        if (c && g_ahead_len < sizeof g_ahead) {
            g_ahead[(g_ahead_head + g_ahead_len++) % sizeof g_ahead] = static_cast<char>(c.value());
        }
        sys::yield();
    }
}

// Splits the line at spaces into words, in place: argv[0] is the program's name. The number of
// words, or -1 if there are more than kArgMax.
int split(char* line, const char** argv) {
    int n = 0;
    for (char* p = line; *p != '\0';) {
        if (*p == ' ') {
            *p++ = '\0';
            continue;
        }
        if (n == static_cast<int>(kArgMax)) {
            return -1;
        }
        argv[n++] = p;
        while (*p != '\0' && *p != ' ') {
            ++p;
        }
    }
    argv[n] = nullptr;
    return n;
}

// A decimal number, or false.
bool parse_number(const char* s, uint64_t* out) {
    uint64_t v = 0;
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; ++s) {
        if (*s < '0' || *s > '9' || v > (~uint64_t{0} - 9) / 10) {
            return false;
        }
        v = v * 10 + static_cast<uint64_t>(*s - '0');
    }
    *out = v;
    return true;
}

// Starts words[0] with words[1..] as it takes them; false (and says why) if it does not.
bool start(const char* const* words, int n, uint32_t* id) {
    const ProgramInfo* p = find(words[0]);
    if (p == nullptr) {
        printf("sh: %s: no such program\n", words[0]);
        return false;
    }
    uint64_t number = 0;
    if (p->args == ProgramArgs::kNone && n > 1) {
        printf("sh: %s takes no arguments\n", p->name);
        return false;
    }
    if (p->args == ProgramArgs::kNumber &&
        (n > 2 || (n == 2 && !parse_number(words[1], &number)))) {
        printf("sh: %s takes one number: %s\n", p->name, p->usage);
        return false;
    }
    auto r = spawnv(words[0], words, number);
    if (!r) {
        printf("sh: %s: cannot start it (%ld)\n", words[0], static_cast<int64_t>(r.error()));
        return false;
    }
    *id = r.value();
    return true;
}

} // namespace

int main() {
    printf("sh: type a program name, ls, help or exit\n");
    char line[64];
    for (;;) {
        printf("$ ");
        Line got = read_line(line, sizeof line);
        if (got == Line::kEnd) {
            printf("sh: bye\n");
            return 0;
        }
        if (got == Line::kTooLong) {
            printf("sh: line too long (at most %d characters): ignored\n",
                   static_cast<int>(sizeof line - 1));
            continue;
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
            help();
            continue;
        }
        const char* words[kArgMax + 1];
        int n = split(line, words);
        if (n < 0) {
            printf("sh: too many arguments (at most %d words)\n", static_cast<int>(kArgMax));
            continue;
        }
        if (n == 0) {
            continue;
        }
        if (equal(words[0], "help") && n == 2) {
            help_for(words[1]);
            continue;
        }
        uint32_t id = 0;
        if (start(words, n, &id)) {
            foreground(id);
        }
    }
}
