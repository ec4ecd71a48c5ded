// A page sent by IPC in both directions, contents checked on each side.
#include "exopi/user.h"

namespace {

constexpr uint64_t kPage = 0x20000000;
const char kToChild[] = "hello child, from your parent";
const char kToParent[] = "hello parent, from your child";

bool same(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}
void copy(char* d, const char* s) {
    while ((*d++ = *s++) != '\0') {
    }
}

} // namespace

int main() {
    using namespace exopi;
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    uint32_t who = forked.value();
    auto* page = reinterpret_cast<char*>(kPage);
    if (who == 0) {
        auto msg = sys::ipc_recv(kPage);
        EXOPI_ASSERT(msg.ok());
        IpcResult r = msg.value();
        printf("child got a page (perm %#lx): %s\n", r.perm, page);
        EXOPI_ASSERT(r.perm == (kPermR | kPermW) && same(page, kToChild));
        copy(page, kToParent);
        EXOPI_ASSERT(ipc_send(static_cast<uint32_t>(r.from), 0, kPage, kPermR | kPermW).ok());
        return 0;
    }
    EXOPI_ASSERT(sys::page_alloc(0, kPage, kPermR | kPermW).ok());
    copy(page, kToChild);
    EXOPI_ASSERT(ipc_send(who, 0, kPage, kPermR | kPermW).ok());
    EXOPI_ASSERT(sys::page_unmap(0, kPage).ok());
    auto back = sys::ipc_recv(kPage);
    EXOPI_ASSERT(back.ok());
    IpcResult r = back.value();
    printf("parent got the page back (perm %#lx): %s\n", r.perm, page);
    EXOPI_ASSERT(same(page, kToParent));
    EXOPI_ASSERT(sys::page_unmap(0, kPage).ok());
    return 0;
}
