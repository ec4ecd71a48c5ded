// Spins without ever yielding: only timer preemption lets anyone else run.
int main() {
    for (;;) {
        asm volatile("" ::: "memory");
    }
}
