/* tbsim guest entry. The reset ROM jumps here in M-mode with a0 = hartid, a1 = FDT. */
    .section .text.start, "ax"
    .globl _start
_start:
    mv      s0, a0
    mv      s1, a1
    la      sp, __stack_top
    la      t0, __trap_stack_top
    csrw    mscratch, t0
    la      t0, rt_trap_entry
    csrw    mtvec, t0
    /* Zero .bss (both ends 16-byte aligned by link.ld). */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    sd      zero, 8(t0)
    addi    t0, t0, 16
    j       1b
2:
    /* FPU on (mstatus.FS = Initial), round-to-nearest, flags clear. */
    li      t0, (1 << 13)
    csrs    mstatus, t0
    csrwi   fcsr, 0
    mv      a0, s0
    mv      a1, s1
    call    rt_init
    call    main
    call    exit
3:  j       3b

/* Trap entry shared by M-mode (rt_trap_entry) and S-mode (rt_strap_entry). Switches to
 * the trap stack kept in the scratch CSR, saves every integer register into a struct
 * rt_trap_frame (runtime.h), calls the installed C handler, then restores the (possibly
 * modified) registers, epc and status and returns with mret/sret. */
    .macro TRAP_ENTRY name, scratch, epc, cause, tval, status, handler, ret
    .text
    .balign 16
    .globl \name
\name:
    csrrw   sp, \scratch, sp
    addi    sp, sp, -288
    sd      x1, 8(sp)
    sd      x3, 24(sp)
    sd      x4, 32(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x8, 64(sp)
    sd      x9, 72(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x18, 144(sp)
    sd      x19, 152(sp)
    sd      x20, 160(sp)
    sd      x21, 168(sp)
    sd      x22, 176(sp)
    sd      x23, 184(sp)
    sd      x24, 192(sp)
    sd      x25, 200(sp)
    sd      x26, 208(sp)
    sd      x27, 216(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    csrr    t0, \scratch          /* interrupted sp */
    sd      t0, 16(sp)
    sd      zero, 0(sp)
    csrr    t0, \epc
    sd      t0, 256(sp)
    csrr    t0, \cause
    sd      t0, 264(sp)
    csrr    t0, \tval
    sd      t0, 272(sp)
    csrr    t0, \status
    sd      t0, 280(sp)
    /* scratch = trap stack top again, so a trap inside the handler finds a stack. */
    addi    t0, sp, 288
    csrw    \scratch, t0
    mv      a0, sp
    la      t0, \handler
    ld      t0, 0(t0)
    jalr    t0
    ld      t0, 256(sp)
    csrw    \epc, t0
    ld      t0, 280(sp)
    csrw    \status, t0
    ld      t0, 16(sp)            /* interrupted sp goes to scratch for the final swap */
    csrw    \scratch, t0
    ld      x1, 8(sp)
    ld      x3, 24(sp)
    ld      x4, 32(sp)
    ld      x5, 40(sp)
    ld      x6, 48(sp)
    ld      x7, 56(sp)
    ld      x8, 64(sp)
    ld      x9, 72(sp)
    ld      x10, 80(sp)
    ld      x11, 88(sp)
    ld      x12, 96(sp)
    ld      x13, 104(sp)
    ld      x14, 112(sp)
    ld      x15, 120(sp)
    ld      x16, 128(sp)
    ld      x17, 136(sp)
    ld      x18, 144(sp)
    ld      x19, 152(sp)
    ld      x20, 160(sp)
    ld      x21, 168(sp)
    ld      x22, 176(sp)
    ld      x23, 184(sp)
    ld      x24, 192(sp)
    ld      x25, 200(sp)
    ld      x26, 208(sp)
    ld      x27, 216(sp)
    ld      x28, 224(sp)
    ld      x29, 232(sp)
    ld      x30, 240(sp)
    ld      x31, 248(sp)
    addi    sp, sp, 288
    csrrw   sp, \scratch, sp      /* sp = interrupted sp, scratch = trap stack top */
    \ret
    .endm

    TRAP_ENTRY rt_trap_entry, mscratch, mepc, mcause, mtval, mstatus, rt_trap_handler, mret
    TRAP_ENTRY rt_strap_entry, sscratch, sepc, scause, stval, sstatus, rt_strap_handler, sret
