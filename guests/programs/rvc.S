/* The C extension, instruction by instruction: every RV64 compressed form written
 * explicitly (the compiler only emits the ones it likes), each result printed as
 * "name value" (checked by guests/check/rvc.py). Also shows an assembly program: the
 * runtime's _start calls this `main` like any C one. */
    .option rvc
    .section .rodata
fmt:    .asciz "%s %016lx\n"
    .text
    .globl main
/* show: a1 = name, a0 = value; prints "name value". Clobbers caller-saved registers, so
 * every test sets up its operands after the previous SHOW. */
show:
    mv      a2, a0
    lla     a0, fmt
    tail    rt_printf

#define SHOW(name)  .pushsection .rodata; 9: .asciz name; .popsection; lla a1, 9b; call show

main:
    addi    sp, sp, -64
    sd      ra, 56(sp)
    sd      s0, 48(sp)
    sd      s1, 40(sp)

    c.li    a0, -32
    SHOW("c.li")
    c.lui   a0, 0x1f
    SHOW("c.lui")
    c.lui   a0, 0xfffe0
    SHOW("c.lui.neg")
    c.li    a0, 0
    c.addi  a0, -1
    SHOW("c.addi")
    li      a0, 0x7fffffff
    c.addiw a0, 1
    SHOW("c.addiw")
    c.li    a0, 5
    c.addiw a0, 0
    SHOW("c.addiw.0")

    mv      s0, sp
    c.addi16sp sp, -64
    sub     a0, s0, sp
    c.addi16sp sp, 64
    SHOW("c.addi16sp")
    c.addi4spn a0, sp, 8
    sub     a0, a0, sp
    SHOW("c.addi4spn")

    c.li    a0, 1
    c.slli  a0, 63
    SHOW("c.slli")
    c.li    a0, 1
    c.slli  a0, 63
    c.srli  a0, 1
    SHOW("c.srli")
    c.li    a0, 1
    c.slli  a0, 63
    c.srai  a0, 4
    SHOW("c.srai")
    li      a0, 0xff
    c.andi  a0, -16
    SHOW("c.andi")

    li      a0, 0x0ff0
    li      a1, 0x00ff
    c.sub   a0, a1
    SHOW("c.sub")
    li      a0, 0x0ff0
    li      a1, 0x00ff
    c.xor   a0, a1
    SHOW("c.xor")
    li      a0, 0x0ff0
    li      a1, 0x00ff
    c.or    a0, a1
    SHOW("c.or")
    li      a0, 0x0ff0
    li      a1, 0x00ff
    c.and   a0, a1
    SHOW("c.and")
    li      a0, 0x80000000
    c.li    a1, 1
    c.subw  a0, a1
    SHOW("c.subw")
    li      a0, 0x7fffffff
    c.li    a1, 1
    c.addw  a0, a1
    SHOW("c.addw")
    li      a1, 0x123456789
    c.mv    a0, a1
    SHOW("c.mv")
    li      a1, 0x100000000
    c.li    a0, -1
    c.add   a0, a1
    SHOW("c.add")

    /* Stack-relative and register-relative loads and stores. */
    li      a0, 0x8877665544332211
    c.sdsp  a0, 8(sp)
    c.ldsp  a0, 8(sp)
    SHOW("c.sdsp/c.ldsp")
    c.lwsp  a0, 12(sp)
    SHOW("c.lwsp")
    c.li    a0, -1
    c.sdsp  a0, 16(sp)
    li      a0, 0xcafebabe
    c.swsp  a0, 16(sp)
    c.ldsp  a0, 16(sp)
    SHOW("c.swsp")
    addi    s1, sp, 0
    li      a0, 0x0123456789abcdef
    c.sd    a0, 24(s1)
    c.lw    a0, 28(s1)
    SHOW("c.sd/c.lw")
    li      a0, 0x80000001
    c.sw    a0, 24(s1)
    c.ld    a0, 24(s1)
    SHOW("c.sw/c.ld")
    li      a0, 0x400921fb54442d18
    fmv.d.x fa0, a0
    c.fsdsp fa0, 32(sp)
    c.ldsp  a0, 32(sp)
    SHOW("c.fsdsp")
    li      a0, 0xc000000000000000
    c.sdsp  a0, 32(sp)
    c.fldsp fa1, 32(sp)
    fmv.x.d a0, fa1
    SHOW("c.fldsp")
    li      a0, 0x3ff8000000000000
    fmv.d.x fa2, a0
    c.fsd   fa2, 8(s1)
    c.fld   fa3, 8(s1)
    fmv.x.d a0, fa3
    SHOW("c.fsd/c.fld")

    /* Control flow: each taken branch skips an instruction that would spoil a0. */
    c.li    a0, 0
    c.j     1f
    c.li    a0, 7
1:  c.addi  a0, 1
    c.li    a1, 3
    c.beqz  a1, 2f            /* not taken */
    c.addi  a0, 2
2:  c.li    a2, 0
    mv      s0, a0
    mv      a0, a2
    c.beqz  a0, 3f            /* taken */
    c.addi  s0, 8
3:  c.bnez  s0, 4f            /* taken */
    c.addi  s0, 16
4:  mv      a0, s0
    SHOW("c.j/c.beqz/c.bnez")
    lla     a5, 5f
    c.li    s0, 0
    c.jalr  a5                /* ra = next instruction */
    c.addi  s0, 1
    c.j     6f
5:  c.addi  s0, 4
    c.jr    ra
6:  mv      a0, s0
    SHOW("c.jalr/c.jr")
    c.nop
    c.li    a0, 0
    SHOW("c.nop")

    ld      ra, 56(sp)
    ld      s0, 48(sp)
    ld      s1, 40(sp)
    addi    sp, sp, 64
    c.li    a0, 0
    ret
