// The system-call ABI table (include/exopi/syscall.h, exopi::kSyscalls) and docs/syscalls.md
// agree: the docs' table has one row per call, in number order, with the call's name and its
// arguments by name. (The kernel's dispatch table and the fuzzers check themselves against
// kSyscalls at compile time.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exopi/syscall.h"

namespace {

struct DocRow {
    unsigned number;
    std::string name;
    std::vector<std::string> args;
};

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(' ');
    size_t e = s.find_last_not_of(' ');
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/// The rows of docs/syscalls.md's call table: `| N | `name` | a, b → result | ... |`.
std::vector<DocRow> doc_rows() {
    std::ifstream in(EXOPI_DOCS "/syscalls.md");
    std::vector<DocRow> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() < 4 || line[0] != '|' || line[2] < '0' || line[2] > '9') {
            continue;
        }
        std::vector<std::string> cells;
        std::stringstream ss(line.substr(1));
        std::string cell;
        while (std::getline(ss, cell, '|')) {
            cells.push_back(trim(cell));
        }
        if (cells.size() < 3 || cells[1].size() < 2 || cells[1].front() != '`') {
            continue;
        }
        DocRow r{static_cast<unsigned>(std::stoul(cells[0])),
                 cells[1].substr(1, cells[1].size() - 2),
                 {}};
        std::string sig = cells[2].substr(0, cells[2].find("→"));
        std::stringstream as(sig);
        std::string a;
        while (std::getline(as, a, ',')) {
            if (!trim(a).empty()) {
                r.args.push_back(trim(a));
            }
        }
        rows.push_back(r);
    }
    return rows;
}

TEST(SyscallAbi, DocsHaveOneRowPerCallWithItsNameAndArguments) {
    std::vector<DocRow> rows = doc_rows();
    constexpr size_t kCalls = sizeof exopi::kSyscalls / sizeof exopi::kSyscalls[0];
    ASSERT_EQ(rows.size(), kCalls) << "docs/syscalls.md: one table row per call";
    for (size_t i = 0; i < kCalls; ++i) {
        const exopi::SyscallAbi& c = exopi::kSyscalls[i];
        EXPECT_EQ(rows[i].number, i);
        EXPECT_EQ(rows[i].name, c.name) << "call " << i;
        std::vector<std::string> args;
        for (const exopi::SyscallArg& a : c.args) {
            if (a.kind != exopi::Arg::kNone) {
                args.push_back(a.name);
            }
        }
        EXPECT_EQ(rows[i].args, args) << "call " << i << " (" << c.name << ")";
    }
}

TEST(SyscallAbi, ArgumentsHaveNoGaps) {
    for (const exopi::SyscallAbi& c : exopi::kSyscalls) {
        bool ended = false;
        for (const exopi::SyscallArg& a : c.args) {
            if (a.kind == exopi::Arg::kNone) {
                ended = true;
                EXPECT_EQ(a.name, nullptr) << c.name;
            } else {
                EXPECT_FALSE(ended) << c.name << ": an argument after an empty slot";
                EXPECT_NE(a.name, nullptr) << c.name;
            }
        }
    }
}

} // namespace
