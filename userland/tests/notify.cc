// Notifications (docs/syscalls.md "Notifications") and env_watch: the errors; bits taken at once
// when set and kept when not asked for; a child blocked in notify_wait on CPU 1 woken from CPU 0 by
// exactly the bits of its mask; a server in ipc_recv_notify ending with a message or a signal from
// another CPU, whichever comes; a waiter destroyed while it waits. The kernel's accounting at
// the end checks that every page came back.
#include "exopi/expect.h"
#include "exopi/user.h"

namespace {

using namespace exopi;

Expect expect("notify");

/// Gives another CPU time to get where it blocks (a child's status is not visible to its
/// parent): 2 ms of the clock, which under QEMU's icount is instructions run by every CPU in
/// turn. Correct either way: a signal before the wait is kept in the word.
void let_run() {
    uint64_t until = sys::time_ns() + 2'000'000;
    while (sys::time_ns() < until) {
    }
}

/// Pins the caller to CPU `cpu` if there is one (one CPU: everything still holds).
void pin(uint64_t cpu) {
    if (cpu < sys::sys_info().value().cpus_online) {
        EXOPI_ASSERT(run_on_cpu(cpu).ok());
    }
}

void errors() {
    expect("notify_wait(0)", code(sys::notify_wait(0)), kErrInval);
    expect("notify_wait(bit 63)", code(sys::notify_wait(uint64_t{1} << 63)), kErrInval);
    expect("notify_signal(bit 63)", code(sys::notify_signal(0, uint64_t{1} << 63)), kErrInval);
    expect("notify_signal(no such env)", code(sys::notify_signal(0x7fff, 1)), kErrBadEnv);
    expect("ipc_recv_notify(unaligned)", code(sys::ipc_recv_notify(0x40000001, 1)), kErrInval);
    expect("ipc_recv_notify(bit 63)", code(sys::ipc_recv_notify(kNoPage, uint64_t{1} << 63)),
           kErrInval);
}

void own_word() {
    expect("signal self", code(sys::notify_signal(0, 0b1011)), 0);
    expect("signal self by id", code(sys::notify_signal(thisenv(), 0b0100)), 0);
    // Only the asked-for bits are taken; the others stay for a later wait.
    auto a = sys::notify_wait(0b0011);
    expect("wait 0b0011", a ? static_cast<int64_t>(a.value()) : code(a), 0b0011);
    auto b = sys::notify_wait(0b1100);
    expect("wait 0b1100", b ? static_cast<int64_t>(b.value()) : code(b), 0b1100);
    // Already set: ipc_recv_notify returns at once, as a notification (sender 0).
    expect("signal self again", code(sys::notify_signal(0, 0b1000)), 0);
    auto c = sys::ipc_recv_notify(kNoPage, 0b1001);
    expect("ipc_recv_notify, bit set: from", c ? static_cast<int64_t>(c.value().from) : code(c), 0);
    expect("ipc_recv_notify, bit set: bits", c ? static_cast<int64_t>(c.value().value) : code(c),
           0b1000);
}

/// A child on CPU 1 blocks for bit 2 while its parent runs on CPU 0: bit 1 must not wake it,
/// bit 2 must (from the other CPU), and bit 1 is then still there for it.
void cross_cpu() {
    uint32_t parent = thisenv();
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    if (forked.value() == 0) {
        pin(1);
        EXOPI_ASSERT(ipc_send(parent, 7).ok()); // about to wait
        auto got = sys::notify_wait(0b100);
        auto rest = sys::notify_wait(0b010); // set while it slept: taken at once
        bool ok = got && got.value() == 0b100 && rest && rest.value() == 0b010;
        EXOPI_ASSERT(ipc_send(parent, ok ? 1 : 0).ok());
        exit();
    }
    uint32_t child = forked.value();
    auto ready = sys::ipc_recv(kNoPage);
    expect("child ready", ready && ready.value().from == child ? ready.value().value : 0, 7);
    let_run();
    expect("signal bit 1", code(sys::notify_signal(child, 0b010)), 0);
    let_run(); // time to wake, were it wrongly woken
    expect("signal bit 2", code(sys::notify_signal(child, 0b100)), 0);
    auto verdict = sys::ipc_recv(kNoPage);
    expect("child's verdict", verdict && verdict.value().from == child ? verdict.value().value : 0,
           1);
    wait(child);
}

/// A server in ipc_recv_notify: one round ended by a client's message, one by a signal.
void server_loop() {
    uint32_t me = thisenv();
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    if (forked.value() == 0) {
        (void)ipc_send(me, 41); // a message first
        let_run();
        (void)sys::notify_signal(me, uint64_t{1} << 62); // then the top bit
        exit();
    }
    uint32_t client = forked.value();
    auto m = sys::ipc_recv_notify(kNoPage, uint64_t{1} << 62);
    expect("message: from", m ? m.value().from : 0, client);
    expect("message: value", m ? static_cast<int64_t>(m.value().value) : code(m), 41);
    auto n = sys::ipc_recv_notify(kNoPage, uint64_t{1} << 62);
    expect("signal: from", m && n ? n.value().from : 1, 0);
    expect("signal: bits", n ? static_cast<int64_t>(n.value().value) : code(n),
           static_cast<int64_t>(uint64_t{1} << 62));
    wait(client);
}

/// A child blocked in notify_wait on another CPU is destroyed: nothing else holds it.
void destroy_waiter() {
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    if (forked.value() == 0) {
        pin(2);
        (void)sys::notify_wait(1);
        exopi::panic("a destroyed waiter woke");
    }
    let_run();
    expect("destroy a waiter", code(sys::env_destroy(forked.value())), 0);
    expect("signal it after", code(sys::notify_signal(forked.value(), 1)), kErrBadEnv);
}

} // namespace

/// env_watch: a child's death signals the watcher's bits; a watch ended with bits 0 signals
/// nothing; the caller cannot watch itself, nor a dead id.
void watch_deaths() {
    expect("env_watch(self)", code(sys::env_watch(thisenv(), 1)), kErrInval);
    expect("env_watch(no such env)", code(sys::env_watch(0x7fff, 1)), kErrBadEnv);
    for (int ended = 0; ended < 2; ++ended) {
        auto child = fork();
        EXOPI_ASSERT(child.ok());
        if (child.value() == 0) {
            (void)sys::ipc_recv(kNoPage); // until told to end
            exit();
        }
        expect("env_watch", code(sys::env_watch(child.value(), 1 << 9)), 0);
        if (ended != 0) {
            expect("env_watch(0): the end of it", code(sys::env_watch(child.value(), 0)), 0);
        }
        EXOPI_ASSERT(ipc_send(child.value(), 0).ok());
        wait(child.value());
        expect("env_watch(a dead id)", code(sys::env_watch(child.value(), 1)), kErrBadEnv);
        // The death's bit, or none: signal bit 10 to self and take both bits at once.
        EXOPI_ASSERT(sys::notify_signal(0, 1 << 10).ok());
        auto got = sys::notify_wait((1 << 9) | (1 << 10));
        expect(ended != 0 ? "no signal after the watch ended" : "the death signalled",
               got ? static_cast<int64_t>(got.value()) : code(got),
               ended != 0 ? 1 << 10 : (1 << 9) | (1 << 10));
    }
}

int main() {
    pin(0);
    errors();
    own_word();
    cross_cpu();
    server_loop();
    destroy_waiter();
    watch_deaths();
    printf("notify: %d failures\n", expect.failures());
    return 0;
}
