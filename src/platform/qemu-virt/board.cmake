set(EXOPI_ARCH riscv64)
# The board's short name: run targets (run-qemu-rv64, debug-qemu-rv64), test prefixes and labels
# (qemu-rv64.*), scripts' board argument (scripts/run rv64).
set(EXOPI_BOARD_SHORT rv64)
set(EXOPI_BOARD_SOURCES board.cc plic.cc uart_ns16550.cc)
set(EXOPI_RAW_IMAGE_NAME exopi.bin)
set(EXOPI_QEMU_SYSTEM qemu-system-riscv64)
# OpenSBI (QEMU's default -bios) loads the ELF and enters it at 0x80200000 in S-mode. Two
# harts, so the kernel meets a second hart it must not run on.
set(EXOPI_QEMU_MACHINE_ARGS -machine virt -smp 4 -m 128M -bios default)
# The raw image, loaded at 0x80200000: the ELF is linked at its high virtual address.
set(EXOPI_QEMU_KERNEL_FILE exopi.bin)
set(EXOPI_GDB_ARCH riscv:rv64)
# The disk (qemu.sh, %DISK%: the image): virtio-blk, modern (virtio 1.x), on the lowest
# virtio-mmio slot (0x10001000, PLIC source 1): device 0 for user-level drivers.
set(EXOPI_QEMU_DISK_ARGS -global virtio-mmio.force-legacy=false
  -drive if=none,format=raw,id=disk0,file=%DISK%
  -device virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0)
set(EXOPI_DISK_SIZE 32M)
