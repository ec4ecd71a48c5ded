set(EXOPI_ARCH aarch64)
# The board's short name: run targets (run-qemu-virt-a64), test prefixes and labels
# (qemu-virt-a64.*), scripts' board argument (scripts/run virt-a64).
set(EXOPI_BOARD_SHORT virt-a64)
set(EXOPI_BOARD_SOURCES board.cc devices.cc gicv3.cc psci.cc)
set(EXOPI_RAW_IMAGE_NAME exopi.bin)
# QEMU loads a raw image (no arm64 Image header) at RAM + 0x80000 (hw/arm/boot.c,
# KERNEL64_LOAD_ADDR) and enters it at EL1, or at EL2 with virtualization=on; x0 = the DTB.
set(EXOPI_KERNEL_PHYS 0x40080000)
set(EXOPI_QEMU_SYSTEM qemu-system-aarch64)
# GICv3, a Cortex-A53 (virt's default CPU is 32-bit), 4 CPUs, 128 MiB as on riscv64; no default
# NIC (it would want a ROM file Debian's QEMU lacks without recommends); -semihosting lets the
# kernel set QEMU's exit status.
set(EXOPI_QEMU_MACHINE_ARGS -machine virt,gic-version=3 -cpu cortex-a53 -smp 4 -m 128M -nic none
  -semihosting)
set(EXOPI_QEMU_KERNEL_FILE exopi.bin)
set(EXOPI_GDB_ARCH aarch64)
# The same machine with EL2 implemented: QEMU enters the kernel there (test el2-forktree).
set(EXOPI_QEMU_EL2_ARGS "-machine virtualization=on")
# The disk (qemu.sh, %DISK%: the image): virtio-blk, modern (virtio 1.x), on the lowest
# virtio-mmio slot (0x0A000000, SPI 16): device 0 for user-level drivers.
set(EXOPI_QEMU_DISK_ARGS -global virtio-mmio.force-legacy=false
  -drive if=none,format=raw,id=disk0,file=%DISK%
  -device virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0)
set(EXOPI_DISK_SIZE 32M)
