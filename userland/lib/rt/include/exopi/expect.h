// For test programs: a call's result against the documented one. A mismatch prints one line
// naming the program and the call, and is counted; the program then prints its verdict from
// failures() in a line its expect file matches.
#pragma once

#include "exopi/user.h"

namespace exopi {

class Expect {
  public:
    explicit Expect(const char* program) : program_(program) {}

    /// A raw result (a value or a negative error) that must equal `want`.
    void operator()(const char* what, int64_t got, int64_t want) {
        if (got != want) {
            ++failures_;
            printf("%s: %s returned %ld, expected %ld\n", program_, what, got, want);
        }
    }
    /// A call that must fail with `want` (or succeed, for want = 0).
    template <typename T> void operator()(const char* what, const Result<T>& got, int64_t want) {
        (*this)(what, code(got), want);
    }
    /// A call that must succeed with the value `want`.
    void value(const char* what, const Result<uint64_t>& got, uint64_t want) {
        if (!got || got.value() != want) {
            ++failures_;
            printf("%s: %s returned %ld, expected %lu\n", program_, what,
                   got ? static_cast<int64_t>(got.value()) : code(got), want);
        }
    }
    int failures() const { return failures_; }

  private:
    const char* program_;
    int failures_ = 0;
};

} // namespace exopi
