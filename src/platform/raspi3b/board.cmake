set(EXOPI_ARCH aarch64)
# The board's short name: run targets (run-qemu-a64), test prefixes and labels (qemu-a64.*),
# scripts' board argument (scripts/run a64).
set(EXOPI_BOARD_SHORT a64)
set(EXOPI_BOARD_SOURCES board.cc intc.cc mailbox.cc pl011.cc sd_pins.cc)
set(EXOPI_RAW_IMAGE_NAME kernel8.img)
# Where the firmware loads kernel8.img (and QEMU -M raspi3b a raw image): the kernel's
# physical load address (src/arch/aarch64/kernel.ld).
set(EXOPI_KERNEL_PHYS 0x80000)
# The peripherals share the kernel's GiB: device memory in the boot page tables.
set(EXOPI_BOOT_DEVICES 0x3f000000 0x40000000)
set(EXOPI_QEMU_SYSTEM qemu-system-aarch64)
# The raw image, as the real firmware loads it: entered at EL2 at 0x80000, cores 1-3 parked.
# -semihosting lets the kernel set QEMU's exit status.
set(EXOPI_QEMU_MACHINE_ARGS -machine raspi3b -semihosting)
set(EXOPI_QEMU_KERNEL_FILE kernel8.img)
set(EXOPI_GDB_ARCH aarch64)
# The UART chainloader (chainloader/): a second image, and qemu.sh's chainboot mode.
set(EXOPI_CHAINLOADER_IMAGE_NAME chainloader.img)
# The disk (qemu.sh, %DISK%: the image): the SD card in the Arasan controller (device 0 for
# user-level drivers). QEMU wants a card's size to be a power of two.
set(EXOPI_QEMU_DISK_ARGS -drive if=sd,format=raw,file=%DISK%)
set(EXOPI_DISK_SIZE 32M)
