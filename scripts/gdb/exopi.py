"""gdb support for Exopi, loaded by the gdbinit that qemu.sh debug writes.

A backtrace from inside the kernel continues into the user program that trapped:

  #0  kernel::syscall (tf=...) at src/kernel/syscall/dispatch.cc:30
  #1  from_user () at src/arch/riscv64/trap_entry.S:152
  #2  __exopi_syscall () at userland/lib/arch/riscv64/entry.S:26
  #3  exopi::sys::call (...) at userland/lib/sys/include/exopi/sys.h:...
  #4  main () at userland/apps/hello.cc:5

Two unwinders make that work.

The trap unwinder recognises the trap entry's own frame (its pc is the return address of the
call into kernel::syscall or the trap handler: riscv64 from_user, aarch64 trap_from_user). The
entry keeps the environment's arch::TrapFrame in a callee-saved register (s1 / x19) across that
call, so the C++ frames' unwind information hands it back; the caller's registers are the user
registers saved there.

The user unwinder then walks the user frames, with the program's own call-frame information
(.debug_frame of each ELF that add-symbol-file loaded). gdb's DWARF unwinder could do that
itself but refuses to: it checks that each caller's stack address lies above its callee's
(frame_id_inner, "previous frame inner to this frame"), and a user stack lies far below the
kernel's. The user frames therefore get frame ids above every kernel address (kUserIdBase plus
the user stack address), which keeps the order gdb checks and keeps the ids unique.

Registers a user frame's CFI does not restore are passed up only where the ABI makes them
callee-saved; the others read as <not saved> in the callers, as they should.

Nothing here affects kernel-only or user-only backtraces.
"""
import os
import struct

import gdb
from gdb.unwinder import Unwinder, register_unwinder

MASK = (1 << 64) - 1
KERNEL_HALF = 1 << 63
# User frame ids: above any kernel stack address on both ISAs (rv64 kernel stacks are in
# 0xffffffc0..., aarch64's below 2^64 - 2^39 + 2^39), and user addresses are below 2^31
# (include/exopi/syscall.h kUserTop).
USER_ID_BASE = 0xFFFFFFFF00000000


class _FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


# Per ISA. entry: the trap entry path from user mode (from the first symbol to the second);
# holder: the callee-saved register that holds the TrapFrame* there; regs: the frame's fields
# as gdb registers. DWARF numbering ([riscv-elf-psabi] "DWARF Register Numbers", [aadwarf64]
# 4.1): names by number, the return-address and stack-pointer columns, the callee-saved set.
_ISAS = {
    "riscv:rv64": {
        "entry": ("from_user", "riscv_return_to_user"),
        "holder": "s1",
        "regs": lambda f: [("x%d" % n, f["x"][n]) for n in range(1, 32)] + [("pc", f["sepc"])],
        "dwarf": lambda n: "x%d" % n if n < 32 else None,
        "ra": 1,
        "sp": 2,
        # sp, gp, tp, s0-s11 ([riscv-cc] integer register convention)
        "preserved": [2, 3, 4, 8, 9] + list(range(18, 28)),
    },
    "aarch64": {
        "entry": ("trap_from_user", "aarch64_return_to_user"),
        "holder": "x19",
        "regs": lambda f: [("x%d" % n, f["x"][n]) for n in range(31)]
        + [("sp", f["sp_el0"]), ("pc", f["elr"]), ("cpsr", f["spsr"])],
        "dwarf": lambda n: "x%d" % n if n < 31 else ("sp" if n == 31 else None),
        "ra": 30,
        "sp": 31,
        # x19-x29 and sp ([aapcs64] 6.1.1)
        "preserved": list(range(19, 30)) + [31],
    },
}


def _address(symbol):
    try:
        return int(gdb.parse_and_eval("(unsigned long)&%s" % symbol))
    except gdb.error:
        return None


# --- .debug_frame ([dwarf4] 6.4) ---------------------------------------------------------


def _leb128(data, at, signed):
    """A LEB128 number at data[at:] ([dwarf4] 7.6) and the offset after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            if signed and byte & 0x40:
                value -= 1 << shift
            return value, at


def _uleb(data, at):
    return _leb128(data, at, False)


def _sleb(data, at):
    return _leb128(data, at, True)


def _section(path, wanted):
    """The bytes of section `wanted` of the ELF64 little-endian file at `path`, or None."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = headers[shstrndx]
    for h in headers:
        start = names[4] + h[0]
        name = data[start:data.index(b"\0", start)].decode()
        if name == wanted:
            return data[h[4]:h[4] + h[5]]
    return None


class _Cie:
    def __init__(self, code_align, data_align, ra, instructions):
        self.code_align = code_align
        self.data_align = data_align
        self.ra = ra
        self.instructions = instructions


def _parse_debug_frame(data):
    """[(start, end, cie, instructions)] for every FDE in a .debug_frame section."""
    cies, fdes, at = {}, [], 0
    while at + 4 <= len(data):
        length, = struct.unpack_from("<I", data, at)
        if length == 0xFFFFFFFF:
            break  # 64-bit DWARF: not produced for these programs
        body, end = at + 4, at + 4 + length
        cie_id, = struct.unpack_from("<I", data, body)
        if cie_id == 0xFFFFFFFF:
            version = data[body + 4]
            p = body + 5
            aug_end = data.index(b"\0", p)
            augmentation = data[p:aug_end]
            p = aug_end + 1
            if augmentation:
                at = end
                continue  # augmented CIEs are .eh_frame's, not emitted here
            if version >= 4:
                p += 2  # address size, segment selector size
            code_align, p = _uleb(data, p)
            data_align, p = _sleb(data, p)
            if version == 1:
                ra, p = data[p], p + 1
            else:
                ra, p = _uleb(data, p)
            cies[at] = _Cie(code_align, data_align, ra, data[p:end])
        elif cie_id in cies:
            start, size = struct.unpack_from("<QQ", data, body + 4)
            fdes.append((start, start + size, cies[cie_id], data[body + 20:end]))
        at = end
    return fdes


def _run_cfi(instructions, cie, loc, target, rules, cfa, initial):
    """Runs call-frame instructions from `loc` until the row that covers `target`."""
    stack, at = [], 0
    while at < len(instructions):
        op = instructions[at]
        at += 1
        high, low = op >> 6, op & 0x3F
        if high == 1:  # DW_CFA_advance_loc
            loc += low * cie.code_align
            if loc > target:
                break
        elif high == 2:  # DW_CFA_offset
            offset, at = _uleb(instructions, at)
            rules[low] = ("at", offset * cie.data_align)
        elif high == 3:  # DW_CFA_restore
            if low in initial:
                rules[low] = initial[low]
            else:
                rules.pop(low, None)
        elif op == 0x00:  # DW_CFA_nop
            pass
        elif op in (0x02, 0x03, 0x04):  # DW_CFA_advance_loc1/2/4
            size = {0x02: 1, 0x03: 2, 0x04: 4}[op]
            delta = int.from_bytes(instructions[at:at + size], "little")
            at += size
            loc += delta * cie.code_align
            if loc > target:
                break
        elif op == 0x05:  # DW_CFA_offset_extended
            reg, at = _uleb(instructions, at)
            offset, at = _uleb(instructions, at)
            rules[reg] = ("at", offset * cie.data_align)
        elif op == 0x06:  # DW_CFA_restore_extended
            reg, at = _uleb(instructions, at)
            if reg in initial:
                rules[reg] = initial[reg]
            else:
                rules.pop(reg, None)
        elif op == 0x07:  # DW_CFA_undefined
            reg, at = _uleb(instructions, at)
            rules[reg] = ("undefined",)
        elif op == 0x08:  # DW_CFA_same_value
            reg, at = _uleb(instructions, at)
            rules.pop(reg, None)
        elif op == 0x09:  # DW_CFA_register
            reg, at = _uleb(instructions, at)
            other, at = _uleb(instructions, at)
            rules[reg] = ("reg", other)
        elif op == 0x0A:  # DW_CFA_remember_state
            stack.append((dict(rules), list(cfa)))
        elif op == 0x0B:  # DW_CFA_restore_state
            saved_rules, saved_cfa = stack.pop()
            rules.clear()
            rules.update(saved_rules)
            cfa[:] = saved_cfa
        elif op == 0x0C:  # DW_CFA_def_cfa
            cfa[0], at = _uleb(instructions, at)
            cfa[1], at = _uleb(instructions, at)
        elif op == 0x0D:  # DW_CFA_def_cfa_register
            cfa[0], at = _uleb(instructions, at)
        elif op == 0x0E:  # DW_CFA_def_cfa_offset
            cfa[1], at = _uleb(instructions, at)
        elif op == 0x11:  # DW_CFA_offset_extended_sf
            reg, at = _uleb(instructions, at)
            offset, at = _sleb(instructions, at)
            rules[reg] = ("at", offset * cie.data_align)
        elif op == 0x12:  # DW_CFA_def_cfa_sf
            cfa[0], at = _uleb(instructions, at)
            offset, at = _sleb(instructions, at)
            cfa[1] = offset * cie.data_align
        elif op == 0x13:  # DW_CFA_def_cfa_offset_sf
            offset, at = _sleb(instructions, at)
            cfa[1] = offset * cie.data_align
        else:
            return False  # an expression rule or an opcode clang does not emit here
    return True


class _Cfi:
    """The call-frame information of the user ELFs gdb has loaded, by address."""

    def __init__(self):
        self.files = {}  # path -> (mtime, [fde])

    def find(self, pc):
        for objfile in gdb.objfiles():
            path = objfile.filename
            if not path or not os.path.exists(path):
                continue
            mtime = os.path.getmtime(path)
            cached = self.files.get(path)
            if cached is None or cached[0] != mtime:
                section = _section(path, ".debug_frame")
                cached = (mtime, _parse_debug_frame(section) if section else [])
                self.files[path] = cached
            for fde in cached[1]:
                if fde[0] <= pc < fde[1]:
                    return fde
        return None

    def row(self, pc):
        """(cfa, rules, ra column, function start) at `pc`, or None."""
        fde = self.find(pc)
        if fde is None:
            return None
        start, _, cie, instructions = fde
        cfa, rules = [0, 0], {}
        if not _run_cfi(cie.instructions, cie, start, pc, rules, cfa, {}):
            return None
        initial = dict(rules)
        if not _run_cfi(instructions, cie, start, pc, rules, cfa, initial):
            return None
        return cfa, rules, cie.ra, start


# --- the unwinders ------------------------------------------------------------------------


class ExopiUnwinder(Unwinder):
    """The trap entry's frame, and the user frames above it."""

    def __init__(self):
        super().__init__("exopi")
        self.ranges = {}
        self.cfi = _Cfi()
        self.trap_level = None  # the level of the trap frame in the backtrace being built

    def _entry(self, arch):
        if arch not in self.ranges:
            isa = _ISAS.get(arch)
            lo = hi = None
            if isa:
                lo, hi = _address(isa["entry"][0]), _address(isa["entry"][1])
            self.ranges[arch] = (lo, hi) if lo is not None and hi is not None else None
        return self.ranges[arch]

    def __call__(self, pending_frame):
        level = pending_frame.level()
        if level == 0:
            self.trap_level = None  # gdb builds a backtrace from frame 0 up
        arch = pending_frame.architecture().name()
        isa = _ISAS.get(arch)
        if isa is None:
            return None
        pc = int(pending_frame.read_register("pc")) & MASK
        if pc >= KERNEL_HALF:
            return self._trap(pending_frame, isa, arch, pc, level)
        if self.trap_level is not None and level > self.trap_level:
            return self._user(pending_frame, isa, pc, level == self.trap_level + 1)
        return None

    def _trap(self, pending_frame, isa, arch, pc, level):
        entry = self._entry(arch)
        # Frame 0 inside the entry code is mid-save: its registers are the entry's own.
        if entry is None or level == 0 or not entry[0] <= pc < entry[1]:
            return None
        holder = int(pending_frame.read_register(isa["holder"])) & MASK
        if holder < KERNEL_HALF:
            return None
        frame = gdb.parse_and_eval("*(arch::TrapFrame *)%d" % holder)
        sp = pending_frame.read_register("sp")
        info = pending_frame.create_unwind_info(
            _FrameId(sp, gdb.Value(entry[0]).cast(sp.type)))
        for name, value in isa["regs"](frame):
            # As the register's own type: cpsr is 32 bits wide in gdb, spsr 64 in the frame.
            info.add_saved_register(name, value.cast(pending_frame.read_register(name).type))
        self.trap_level = level
        return info

    def _user(self, pending_frame, isa, pc, trapped):
        # A trapped frame's pc is the instruction that trapped (or the one after an ecall/svc);
        # a caller's is a return address, which may lie past its function's end.
        row = self.cfi.row(pc if trapped else pc - 1)
        if row is None:
            return None
        (cfa_reg, cfa_off), rules, ra_col, start = row
        name = isa["dwarf"](cfa_reg)
        if name is None:
            return None
        sp_type = pending_frame.read_register("sp").type
        cfa = (int(pending_frame.read_register(name)) + cfa_off) & MASK
        inferior = gdb.selected_inferior()
        caller = {}
        for reg in isa["preserved"] + [ra_col]:
            rule = rules.get(reg)
            reg_name = isa["dwarf"](reg)
            if rule is None:
                value = pending_frame.read_register(reg_name)
            elif rule[0] == "at":
                raw = inferior.read_memory((cfa + rule[1]) & MASK, 8)
                value = int.from_bytes(bytes(raw), "little")
            elif rule[0] == "reg":
                value = pending_frame.read_register(isa["dwarf"](rule[1]))
            else:
                continue  # undefined: the outermost frame's return address
            caller[reg] = int(value) & MASK
        caller[isa["sp"]] = cfa
        info = pending_frame.create_unwind_info(
            _FrameId(gdb.Value(USER_ID_BASE + cfa).cast(sp_type),
                     gdb.Value(start).cast(sp_type)))
        for reg, value in caller.items():
            info.add_saved_register(isa["dwarf"](reg), gdb.Value(value).cast(sp_type))
        if ra_col in caller:
            info.add_saved_register("pc", gdb.Value(caller[ra_col]).cast(sp_type))
        return info


register_unwinder(None, ExopiUnwinder(), replace=True)
