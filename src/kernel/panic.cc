#include "panic.h"

#include <stdarg.h>

#include "backtrace.h"
#include "console.h"
#include "exopi/exit_status.h"
#include "platform.h"

namespace kernel {

void panic(const char* fmt, ...) {
    kprintf("panic: ");
    va_list args;
    va_start(args, fmt);
    vkprintf(fmt, args);
    va_end(args);
    kprintf("\n");
    print_backtrace(0, reinterpret_cast<uint64_t>(__builtin_frame_address(0)));
    platform::shutdown(static_cast<int>(exopi::ExitStatus::kPanic));
}

} // namespace kernel
