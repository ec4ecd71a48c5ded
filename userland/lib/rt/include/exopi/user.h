// The whole library OS in one include, for programs: the system calls (exopi/sys.h), the
// runtime (exopi/rt.h), memory and page faults (exopi/mem.h), processes (exopi/proc.h) and
// IPC (exopi/ipc.h). userland/lib/README.md says what each part owns.
#pragma once

#include "exopi/ipc.h"
#include "exopi/mem.h"
#include "exopi/proc.h"
#include "exopi/rt.h"
#include "exopi/sys.h"
