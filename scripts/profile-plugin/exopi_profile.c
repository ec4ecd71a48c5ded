/* Exopi's instruction profiler: a QEMU TCG plugin (scripts/profile builds and runs it).
 *
 * It counts, for every guest instruction address, how many times it executed, and writes
 * "ADDRESS COUNT" lines (hex, decimal) to the file named by out=PATH when QEMU exits.
 * scripts/profile then attributes the addresses to kernel and user functions.
 *
 * Counting is per translation block: at translation, each block gets a record with the
 * addresses of its instructions and an execution callback that bumps the record's count. A
 * block retranslated at the same address with the same length reuses its record.
 *
 * markers=on: count only between markers the guest executes — instructions that are no-ops
 * to the CPU: riscv64 `addi zero, zero, 0x7a1` (start) / 0x7a2 (stop), aarch64 `hint #97` /
 * `hint #98` (userland: exopi_profile_start()/exopi_profile_stop()). Without it, everything
 * from boot to shutdown counts. Instructions are counted at block granularity, so a marker
 * takes effect from the next block on.
 *
 * cpus=PATH (with markers=on): also counts instructions per vCPU, and writes one line per
 * marked section to PATH: "section N: COUNT ... | KERNEL ..." (vCPU 0 first): all of each
 * vCPU's instructions, then those at kernel (high-half) addresses. Under -icount the
 * guest's own counters (instret, PMU event 0x08) read QEMU's one instruction count, the sum
 * over every vCPU; this is what each vCPU itself executed (scripts/smp-bench).
 *
 * serial=PATH (with cpus=): PATH lists address ranges, one "START SIZE" pair (hex, as llvm-nm
 * --print-size prints them) per line — code that runs under a lock, such as the frame allocator's functions. Each
 * section's line then ends with a third group, "| SERIAL ...": each vCPU's instructions in
 * blocks that start in one of those ranges. Summed over the vCPUs, that is time no two CPUs
 * can overlap. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

EXOPI_PLUGIN_EXPORT int qemu_plugin_version = 1;

struct block {
    uint64_t vaddr;
    uint64_t execs;
    size_t n;
    bool serial; /* starts in a serial= range */
    struct block *next; /* hash chain */
    uint64_t insn[];    /* addresses of its instructions */
};

#define BUCKETS 65536
static struct block *table[BUCKETS];
static bool recording = true;
static const char *out_path = "exopi-profile.txt";
static const char *cpus_path = NULL;

#define MAX_VCPUS 64
#define MAX_SECTIONS 256
/* In the current section, per vCPU: every instruction, the kernel's, the serial ranges'. */
#define KINDS 3
static uint64_t vcpu_insns[KINDS][MAX_VCPUS];
static uint64_t sections[MAX_SECTIONS][KINDS][MAX_VCPUS]; /* each finished one's */
#define MAX_RANGES 256
static uint64_t ranges[MAX_RANGES][2];
static unsigned nranges = 0;
static unsigned nsections = 0;
static unsigned max_vcpu = 0;

static const uint32_t kMarkers[2][2] = {
    {0x7a100013u, 0x7a200013u}, /* riscv64: addi zero, zero, 0x7a1 / 0x7a2 */
    {0xd5032c3fu, 0xd5032c5fu}, /* aarch64: hint #97 / hint #98 */
};

static void on_exec(unsigned int vcpu, void *udata) {
    if (vcpu < MAX_VCPUS && vcpu > max_vcpu) {
        max_vcpu = vcpu; /* the columns: every vCPU seen running, in a section or not */
    }
    if (recording) {
        struct block *b = udata;
        b->execs++;
        if (vcpu < MAX_VCPUS) {
            vcpu_insns[0][vcpu] += b->n;
            if (b->vaddr >= 0xffff000000000000ull) {
                vcpu_insns[1][vcpu] += b->n;
            }
            if (b->serial) {
                vcpu_insns[2][vcpu] += b->n;
            }
        }
    }
}

static void on_start(unsigned int vcpu, void *udata) {
    (void)vcpu;
    (void)udata;
    recording = true;
    memset(vcpu_insns, 0, sizeof vcpu_insns);
}

static void on_stop(unsigned int vcpu, void *udata) {
    (void)vcpu;
    (void)udata;
    if (recording && nsections < MAX_SECTIONS) {
        memcpy(sections[nsections++], vcpu_insns, sizeof vcpu_insns);
    }
    recording = false;
}

static struct block *lookup(uint64_t vaddr, size_t n) {
    size_t h = (size_t)((vaddr >> 1) ^ (vaddr >> 17)) % BUCKETS;
    for (struct block *b = table[h]; b != NULL; b = b->next) {
        if (b->vaddr == vaddr && b->n == n) {
            return b;
        }
    }
    struct block *b = calloc(1, sizeof *b + n * sizeof(uint64_t));
    if (b == NULL) {
        abort();
    }
    b->vaddr = vaddr;
    b->n = n;
    for (unsigned r = 0; r < nranges; ++r) {
        if (vaddr >= ranges[r][0] && vaddr < ranges[r][1]) {
            b->serial = true;
        }
    }
    b->next = table[h];
    table[h] = b;
    return b;
}

static bool marker_mode = false;

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    struct block *b = lookup(qemu_plugin_tb_vaddr(tb), n);
    for (size_t i = 0; i < n; ++i) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        b->insn[i] = qemu_plugin_insn_vaddr(insn);
        if (marker_mode && qemu_plugin_insn_size(insn) == 4) {
            uint32_t word;
            memcpy(&word, qemu_plugin_insn_data(insn), 4);
            for (int isa = 0; isa < 2; ++isa) {
                if (word == kMarkers[isa][0]) {
                    qemu_plugin_register_vcpu_insn_exec_cb(insn, on_start, QEMU_PLUGIN_CB_NO_REGS,
                                                           NULL);
                } else if (word == kMarkers[isa][1]) {
                    qemu_plugin_register_vcpu_insn_exec_cb(insn, on_stop, QEMU_PLUGIN_CB_NO_REGS,
                                                           NULL);
                }
            }
        }
    }
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void write_sections(void) {
    FILE *f = fopen(cpus_path, "w");
    if (f == NULL) {
        qemu_plugin_outs("exopi_profile: cannot write the cpus file\n");
        return;
    }
    for (unsigned s = 0; s < nsections; ++s) {
        fprintf(f, "section %u:", s + 1);
        for (int kind = 0; kind < (nranges > 0 ? 3 : 2); ++kind) {
            fprintf(f, "%s", kind > 0 ? " |" : "");
            for (unsigned v = 0; v <= max_vcpu; ++v) {
                fprintf(f, " %" PRIu64, sections[s][kind][v]);
            }
        }
        fprintf(f, "\n");
    }
    fclose(f);
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata) {
    (void)id;
    (void)udata;
    if (cpus_path != NULL) {
        write_sections();
    }
    FILE *f = fopen(out_path, "w");
    if (f == NULL) {
        qemu_plugin_outs("exopi_profile: cannot write the output file\n");
        return;
    }
    for (size_t h = 0; h < BUCKETS; ++h) {
        for (struct block *b = table[h]; b != NULL; b = b->next) {
            if (b->execs == 0) {
                continue;
            }
            for (size_t i = 0; i < b->n; ++i) {
                fprintf(f, "%016" PRIx64 " %" PRIu64 "\n", b->insn[i], b->execs);
            }
        }
    }
    fclose(f);
}

EXOPI_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                            char **argv) {
    (void)info;
    for (int i = 0; i < argc; ++i) {
        if (strncmp(argv[i], "out=", 4) == 0) {
            out_path = argv[i] + 4;
        } else if (strncmp(argv[i], "cpus=", 5) == 0) {
            cpus_path = argv[i] + 5;
        } else if (strncmp(argv[i], "serial=", 7) == 0) {
            FILE *f = fopen(argv[i] + 7, "r");
            if (f == NULL) {
                fprintf(stderr, "exopi_profile: cannot read %s\n", argv[i] + 7);
                return -1;
            }
            while (nranges < MAX_RANGES &&
                   fscanf(f, "%" SCNx64 " %" SCNx64, &ranges[nranges][0], &ranges[nranges][1]) == 2) {
                ranges[nranges][1] += ranges[nranges][0];
                nranges++;
            }
            fclose(f);
        } else if (strcmp(argv[i], "markers=on") == 0) {
            marker_mode = true;
            recording = false;
        } else {
            fprintf(stderr, "exopi_profile: unknown argument '%s' (out=PATH, markers=on, cpus=PATH, serial=PATH)\n",
                    argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
    return 0;
}
