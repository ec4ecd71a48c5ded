#include "gicv3.h"

#include "arch/sysreg.h"
#include "kernel/core/firmware.h"
#include "kernel/core/mmio.h"
#include "kernel/smp/percpu.h"

namespace platform::virt::gic {
namespace {

using kernel::mmio_read;
using kernel::mmio_write;

// [gicv3] 12.9 "The GIC Distributor register descriptions".
constexpr uint64_t kGicdCtlr = 0x0000;
constexpr uint64_t kGicdTyper = 0x0004;
constexpr uint64_t kGicdIgroupr = 0x0080;    // + 4n, one bit per INTID
constexpr uint64_t kGicdIcenabler = 0x0180;  // + 4n
constexpr uint64_t kGicdIsenabler = 0x0100;  // + 4n
constexpr uint64_t kGicdIcpendr = 0x0280;    // + 4n
constexpr uint64_t kGicdIcactiver = 0x0380;  // + 4n
constexpr uint64_t kGicdIpriorityr = 0x0400; // + INTID, one byte each
constexpr uint64_t kGicdIcfgr = 0x0c00;      // + 4n, two bits per INTID
constexpr uint64_t kGicdIrouter = 0x6000;    // + 8 * INTID, 64-bit, SPIs only
// [gicv3] 12.11: each redistributor is two 64 KiB frames, RD_base then SGI_base — four with
// virtual LPIs (GICR_TYPER.VLPIS, GICv4): VLPI_base and a reserved frame follow.
constexpr uint64_t kRdStride = 0x20000;
constexpr uint64_t kRdStrideVlpi = 0x40000;
constexpr uint64_t kSgiBase = 0x10000;
constexpr uint64_t kGicrCtlr = 0x0000;
constexpr uint64_t kGicrTyper = 0x0008; // 64-bit
constexpr uint64_t kGicrWaker = 0x0014;
constexpr uint64_t kGicrIgroupr0 = kSgiBase + 0x0080;
constexpr uint64_t kGicrIsenabler0 = kSgiBase + 0x0100;
constexpr uint64_t kGicrIcenabler0 = kSgiBase + 0x0180;
constexpr uint64_t kGicrIspendr0 = kSgiBase + 0x0200;
constexpr uint64_t kGicrIcpendr0 = kSgiBase + 0x0280;
constexpr uint64_t kGicrIcactiver0 = kSgiBase + 0x0380;
constexpr uint64_t kGicrIcfgr1 = kSgiBase + 0x0c04; // PPIs' trigger: 2 bits each
constexpr uint64_t kGicrIpriorityr = kSgiBase + 0x0400;

/// [gicv3] GICD_CTLR, as seen without security states or by non-secure accesses.
namespace gicd_ctlr {
struct R : exo::Register<R, uint32_t> {};
using EnableGrp1A = R::Bit<1>; ///< Group 1 (DS = 1: EnableGrp1; non-secure view: EnableGrp1A)
using ARE = R::Bit<4>;         ///< affinity routing
using RWP = R::Bit<31>;        ///< a register write is still taking effect
} // namespace gicd_ctlr
/// [gicv3] GICR_WAKER: the redistributor's power handshake with its CPU.
namespace gicr_waker {
struct R : exo::Register<R, uint32_t> {};
using ProcessorSleep = R::Bit<1>;
using ChildrenAsleep = R::Bit<2>;
} // namespace gicr_waker
/// [gicv3] GICR_TYPER
namespace gicr_typer {
struct R : exo::Register<R> {};
using VLPIS = R::Bit<1>;           ///< virtual LPIs: four frames, not two
using Last = R::Bit<4>;            ///< the last redistributor of the range
using Affinity = R::Field<63, 32>; ///< Aff3.Aff2.Aff1.Aff0 of its CPU
} // namespace gicr_typer
/// [gicv3] ICC_SGI1R_EL1
namespace icc_sgi1r {
struct R : exo::Register<R> {};
using TargetList = R::Field<15, 0>; ///< CPUs Aff1.Aff2.Aff3.(RS*16 + bit) receive it
using Aff1 = R::Field<23, 16>;
using INTID = R::Field<27, 24>;
using Aff2 = R::Field<39, 32>;
using RS = R::Field<47, 44>;
using Aff3 = R::Field<55, 48>;
} // namespace icc_sgi1r

/// One priority for everything: interrupts never preempt each other (the kernel runs with them
/// masked); the mask (ICC_PMR_EL1 = 0xff) lets all of them through.
constexpr uint8_t kPriority = 0xa0;

constinit uint64_t g_gicd = 0;
/// This CPU's redistributor, by kernel CPU index.
constinit uint64_t g_rd[kernel::kMaxCpus] = {};

uint64_t my_rd() { return g_rd[kernel::this_cpu().index]; }

void wait_distributor() {
    while (gicd_ctlr::RWP::get(mmio_read<uint32_t>(g_gicd + kGicdCtlr)) != 0) {
    }
}

} // namespace

uint64_t affinity(uint64_t mpidr) { return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24; }

void init_distributor(uint64_t gicd) {
    g_gicd = gicd;
    // Groups off while it is set up; affinity routing stays as it is (clearing ARE once set is
    // not allowed to take effect, [gicv3] GICD_CTLR).
    mmio_write<uint32_t>(gicd + kGicdCtlr, gicd_ctlr::ARE::make(1).raw);
    wait_distributor();
    uint32_t lines = 32 * ((mmio_read<uint32_t>(gicd + kGicdTyper) & 0x1f) + 1);
    for (uint32_t n = kFirstSpi / 32; n < lines / 32; ++n) {
        mmio_write<uint32_t>(gicd + kGicdIcenabler + 4 * n, ~0U);
        mmio_write<uint32_t>(gicd + kGicdIcpendr + 4 * n, ~0U);
        mmio_write<uint32_t>(gicd + kGicdIcactiver + 4 * n, ~0U); // none left active by firmware
        // Group 1: out of reset everything is Group 0, which this GIC signals as FIQ.
        mmio_write<uint32_t>(gicd + kGicdIgroupr + 4 * n, ~0U);
        mmio_write<uint32_t>(gicd + kGicdIcfgr + 8 * n, 0); // level-sensitive
        mmio_write<uint32_t>(gicd + kGicdIcfgr + 8 * n + 4, 0);
    }
    for (uint32_t i = kFirstSpi; i < lines && i < 1020; ++i) { // 1020-1023 are special
        mmio_write<uint8_t>(gicd + kGicdIpriorityr + i, kPriority);
    }
    wait_distributor();
    // Bit 1 is Group 1's enable in both views: EnableGrp1 without security states (DS = 1, as
    // on QEMU virt), EnableGrp1A in the non-secure view of a GIC with two. Group 0 stays off.
    mmio_write<uint32_t>(gicd + kGicdCtlr,
                         (gicd_ctlr::ARE::make(1) | gicd_ctlr::EnableGrp1A::make(1)).raw);
    wait_distributor();
}

bool init_cpu(uint64_t gicr, uint64_t size) {
    uint64_t aff = affinity(ARCH_SYSREG_READ(mpidr_el1));
    uint64_t rd = 0;
    for (uint64_t at = gicr; at + kRdStride <= gicr + size;) {
        uint64_t typer = mmio_read<uint64_t>(at + kGicrTyper);
        if (gicr_typer::Affinity::get(typer) == aff) {
            rd = at;
            break;
        }
        if (gicr_typer::Last::get(typer) != 0) {
            break;
        }
        at += gicr_typer::VLPIS::get(typer) != 0 ? kRdStrideVlpi : kRdStride;
    }
    if (rd == 0) {
        return false;
    }
    g_rd[kernel::this_cpu().index] = rd;
    // [gicv3] GICR_WAKER: the CPU tells its redistributor it is awake, and waits for it.
    auto waker = mmio_read<uint32_t>(rd + kGicrWaker);
    mmio_write<uint32_t>(rd + kGicrWaker, gicr_waker::ProcessorSleep::set(waker, 0));
    while (gicr_waker::ChildrenAsleep::get(mmio_read<uint32_t>(rd + kGicrWaker)) != 0) {
    }
    mmio_write<uint32_t>(rd + kGicrIcenabler0, ~0U);
    mmio_write<uint32_t>(rd + kGicrIcpendr0, ~0U);
    mmio_write<uint32_t>(rd + kGicrIcactiver0, ~0U);
    mmio_write<uint32_t>(rd + kGicrIgroupr0, ~0U);
    mmio_write<uint32_t>(rd + kGicrIcfgr1, 0); // PPIs level-sensitive (the timer's is)
    for (uint32_t i = 0; i < kFirstSpi; ++i) {
        mmio_write<uint8_t>(rd + kGicrIpriorityr + i, kPriority);
    }
    while ((mmio_read<uint32_t>(rd + kGicrCtlr) & (1U << 3)) != 0) { // GICR_CTLR.RWP
    }
    // The CPU interface ([gicv3] 12.2): system registers on (ICC_SRE_EL1.SRE), every priority
    // let through (PMR), no preemption groups (BPR1 = 0), EOI drops and deactivates
    // (ICC_CTLR_EL1.EOImode = 0), Group 1 on.
    ARCH_SYSREG_WRITE(s3_0_c12_c12_5, ARCH_SYSREG_READ(s3_0_c12_c12_5) | 1); // ICC_SRE_EL1
    asm volatile("isb");
    if ((ARCH_SYSREG_READ(s3_0_c12_c12_5) & 1) == 0) {
        return false; // a higher level kept the system registers from EL1 (ICC_SRE_EL2/EL3)
    }
    ARCH_SYSREG_WRITE(s3_0_c4_c6_0, 0xff); // ICC_PMR_EL1
    ARCH_SYSREG_WRITE(s3_0_c12_c12_3, 0);  // ICC_BPR1_EL1
    ARCH_SYSREG_WRITE(s3_0_c12_c12_4, ARCH_SYSREG_READ(s3_0_c12_c12_4) & ~uint64_t{2}); // CTLR
    ARCH_SYSREG_WRITE(s3_0_c12_c12_7, 1); // ICC_IGRPEN1_EL1
    asm volatile("isb");
    return true;
}

void route_spi(uint32_t intid, uint64_t aff) {
    // Aff3 sits at bits 39:32 of GICD_IROUTER, the rest as packed; IRM = 0.
    uint64_t route = (aff & 0xffffff) | ((aff >> 24) & 0xff) << 32;
    mmio_write<uint64_t>(g_gicd + kGicdIrouter + 8 * uint64_t{intid}, route);
}

void set_spi_enabled(uint32_t intid, bool on) {
    uint64_t reg = on ? kGicdIsenabler : kGicdIcenabler;
    mmio_write<uint32_t>(g_gicd + reg + 4 * (intid / 32), 1U << (intid % 32));
    wait_distributor();
}

void enable_spi(uint32_t intid, uint64_t aff) {
    route_spi(intid, aff); // first
    set_spi_enabled(intid, true);
}

void enable_private(uint32_t intid) {
    mmio_write<uint32_t>(my_rd() + kGicrIsenabler0, 1U << intid);
}

uint32_t acknowledge() {
    return static_cast<uint32_t>(ARCH_SYSREG_READ(s3_0_c12_c12_0) & 0xffffff); // ICC_IAR1_EL1
}

void end(uint32_t intid) { ARCH_SYSREG_WRITE(s3_0_c12_c12_1, intid); } // ICC_EOIR1_EL1

void send_sgi(uint32_t intid, uint64_t aff) {
    using namespace icc_sgi1r;
    uint64_t aff0 = aff & 0xff;
    auto v = TargetList::make(uint64_t{1} << (aff0 % 16)) | RS::make(aff0 / 16) |
             Aff1::make((aff >> 8) & 0xff) | Aff2::make((aff >> 16) & 0xff) |
             Aff3::make((aff >> 24) & 0xff) | INTID::make(intid);
    // What the SGI tells the other CPU to look at is in memory: the stores complete before the
    // system-register write that raises it ([gicv3] 12.2 ICC_SGI1R_EL1; Linux does the same).
    asm volatile("dsb ishst" ::: "memory");
    ARCH_SYSREG_WRITE(s3_0_c12_c11_5, v.raw);
    asm volatile("isb");
}

void clear_pending(uint32_t intid) {
    uint64_t rd = my_rd();
    mmio_write<uint32_t>(rd + kGicrIcpendr0, 1U << intid);
    // The write is posted: read the redistributor back, so that it has taken effect before the
    // caller looks at what the IPI announced — else it could land after a new SGI and clear that
    // one (Device-nGnRE accesses to one peripheral stay in order).
    (void)mmio_read<uint32_t>(rd + kGicrIspendr0);
}

} // namespace platform::virt::gic
