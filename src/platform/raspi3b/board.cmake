set(EXOPI_ARCH aarch64)
set(EXOPI_ARCH_SHORT a64)    # names the run targets: run-qemu-a64, debug-qemu-a64
set(EXOPI_BOARD_SOURCES board.cc intc.cc mailbox.cc pl011.cc)
set(EXOPI_RAW_IMAGE_NAME kernel8.img)
set(EXOPI_QEMU_SYSTEM qemu-system-aarch64)
# The raw image, as the real firmware loads it: entered at EL2 at 0x80000, cores 1-3 parked.
# -semihosting lets the kernel set QEMU's exit status.
set(EXOPI_QEMU_MACHINE_ARGS -machine raspi3b -semihosting)
set(EXOPI_QEMU_KERNEL_FILE kernel8.img)
set(EXOPI_GDB_ARCH aarch64)
# The UART chainloader (chainloader/): a second image, and qemu.sh's chainboot mode.
set(EXOPI_CHAINLOADER_IMAGE_NAME chainloader.img)
