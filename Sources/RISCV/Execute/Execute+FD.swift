/// The F and D extensions over the integer-only soft-float layer, so results and fflags
/// never depend on the host's FP environment. Single-precision values are NaN-boxed in
/// the 64-bit registers; an improperly boxed input reads as the canonical NaN.
extension Hart {
    @inline(__always) mutating func freg(_ r: UInt32) -> UInt64 { s.read(L.f + Int(r)) }

    @inline(__always) mutating func setF(_ r: UInt32, _ v: UInt64) {
        s.write(L.f + Int(r), v)
        markFPDirty()
    }

    @inline(__always) mutating func setF32(_ r: UInt32, _ v: UInt32) { setF(r, 0xffff_ffff_0000_0000 | UInt64(v)) }

    /// The single-precision value in register `r`, unboxed.
    @inline(__always) mutating func f32(_ r: UInt32) -> UInt32 {
        let v = freg(r)
        return v >> 32 == 0xffff_ffff ? UInt32(truncatingIfNeeded: v) : SoftFloat.canonicalNaN32
    }

    /// ORs exception flags into fcsr.fflags.
    @inline(__always) mutating func raise(_ flags: UInt8) {
        if flags != 0 {
            s.write(L.fcsr, s.read(L.fcsr) | UInt64(flags))
            markFPDirty()
        }
    }

    /// The rounding mode an instruction uses: its rm field, or fcsr.frm when rm = 7.
    /// Reserved modes (5, 6, or a reserved frm) make the instruction illegal.
    @inline(__always) mutating func roundingMode(_ inst: UInt32) throws(Trap) -> RoundingMode {
        var rm = Field.funct3(inst)
        if rm == 7 { rm = UInt32((s.read(L.fcsr) >> 5) & 7) }
        guard let mode = RoundingMode(rawValue: UInt8(rm)) else { throw illegal(inst) }
        return mode
    }

    mutating func floatingPoint(_ inst: UInt32) throws(Trap) {
        try requireFP(inst)
        let rd = Field.rd(inst), rs1 = Field.rs1(inst), rs2 = Field.rs2(inst)
        switch inst & 0x7f {
        case 0x07: // FLW / FLD
            let addr = x(rs1) &+ Field.immI(inst)
            switch Field.funct3(inst) {
            case 2: setF32(rd, UInt32(truncatingIfNeeded: try load(addr, 4)))
            case 3: setF(rd, try load(addr, 8))
            default: throw illegal(inst)
            }
        case 0x27: // FSW / FSD (raw register bits, no unboxing)
            let addr = x(rs1) &+ Field.immS(inst)
            switch Field.funct3(inst) {
            case 2: try store(addr, 4, freg(rs2) & 0xffff_ffff)
            case 3: try store(addr, 8, freg(rs2))
            default: throw illegal(inst)
            }
        case 0x43, 0x47, 0x4b, 0x4f:
            try fusedMultiplyAdd(inst)
        default:
            try fpOp(inst, rd: rd, rs1: rs1, rs2: rs2)
        }
    }

    mutating func fusedMultiplyAdd(_ inst: UInt32) throws(Trap) {
        let fmt = (inst >> 25) & 3
        let rm = try roundingMode(inst)
        let op = inst & 0x7f
        // fmsub = a·b − c, fnmsub = −(a·b) + c, fnmadd = −(a·b) − c: sign flips of the
        // inputs give exactly these (NaN results are canonical, so flipped NaNs don't matter).
        let negateProduct = op == 0x4b || op == 0x4f
        let negateAddend = op == 0x47 || op == 0x4f
        var flags: UInt8 = 0
        switch fmt {
        case 0:
            let sign: UInt32 = 1 << 31
            let a = f32(Field.rs1(inst)) ^ (negateProduct ? sign : 0)
            let b = f32(Field.rs2(inst))
            let c = f32(Field.rs3(inst)) ^ (negateAddend ? sign : 0)
            let r = SoftFloat.fma32(a, b, c, rm, &flags)
            setF32(Field.rd(inst), r)
        case 1:
            let sign: UInt64 = 1 << 63
            let a = freg(Field.rs1(inst)) ^ (negateProduct ? sign : 0)
            let b = freg(Field.rs2(inst))
            let c = freg(Field.rs3(inst)) ^ (negateAddend ? sign : 0)
            let r = SoftFloat.fma64(a, b, c, rm, &flags)
            setF(Field.rd(inst), r)
        default:
            throw illegal(inst)
        }
        raise(flags)
    }

    mutating func fpOp(_ inst: UInt32, rd: UInt32, rs1: UInt32, rs2: UInt32) throws(Trap) {
        let f7 = Field.funct7(inst)
        let f3 = Field.funct3(inst)
        // fmt: 0 = S, 1 = D; H and Q are not implemented.
        guard f7 & 2 == 0 else { throw illegal(inst) }
        let double = f7 & 1 == 1
        var flags: UInt8 = 0
        switch f7 >> 2 {
        case 0x00, 0x01, 0x02, 0x03: // FADD, FSUB, FMUL, FDIV
            let rm = try roundingMode(inst)
            if double {
                let a = freg(rs1), b = freg(rs2)
                let r: UInt64
                switch f7 >> 2 {
                case 0: r = SoftFloat.add64(a, b, rm, &flags)
                case 1: r = SoftFloat.sub64(a, b, rm, &flags)
                case 2: r = SoftFloat.mul64(a, b, rm, &flags)
                default: r = SoftFloat.div64(a, b, rm, &flags)
                }
                setF(rd, r)
            } else {
                let a = f32(rs1), b = f32(rs2)
                let r: UInt32
                switch f7 >> 2 {
                case 0: r = SoftFloat.add32(a, b, rm, &flags)
                case 1: r = SoftFloat.sub32(a, b, rm, &flags)
                case 2: r = SoftFloat.mul32(a, b, rm, &flags)
                default: r = SoftFloat.div32(a, b, rm, &flags)
                }
                setF32(rd, r)
            }
        case 0x0b: // FSQRT
            guard rs2 == 0 else { throw illegal(inst) }
            let rm = try roundingMode(inst)
            if double { setF(rd, SoftFloat.sqrt64(freg(rs1), rm, &flags)) } else { setF32(rd, SoftFloat.sqrt32(f32(rs1), rm, &flags)) }
        case 0x04: // FSGNJ, FSGNJN, FSGNJX
            guard f3 < 3 else { throw illegal(inst) }
            if double {
                let a = freg(rs1), b = freg(rs2), sign: UInt64 = 1 << 63
                let s = f3 == 0 ? b & sign : f3 == 1 ? ~b & sign : (a ^ b) & sign
                setF(rd, (a & ~sign) | s)
            } else {
                let a = f32(rs1), b = f32(rs2), sign: UInt32 = 1 << 31
                let s = f3 == 0 ? b & sign : f3 == 1 ? ~b & sign : (a ^ b) & sign
                setF32(rd, (a & ~sign) | s)
            }
        case 0x05: // FMIN, FMAX
            guard f3 < 2 else { throw illegal(inst) }
            if double {
                let r = f3 == 0 ? SoftFloat.min64(freg(rs1), freg(rs2), &flags) : SoftFloat.max64(freg(rs1), freg(rs2), &flags)
                setF(rd, r)
            } else {
                let r = f3 == 0 ? SoftFloat.min32(f32(rs1), f32(rs2), &flags) : SoftFloat.max32(f32(rs1), f32(rs2), &flags)
                setF32(rd, r)
            }
        case 0x08: // FCVT.S.D (f7 0x20, rs2 1), FCVT.D.S (f7 0x21, rs2 0)
            let rm = try roundingMode(inst)
            if double {
                guard rs2 == 0 else { throw illegal(inst) }
                setF(rd, SoftFloat.f32ToF64(f32(rs1), &flags))
            } else {
                guard rs2 == 1 else { throw illegal(inst) }
                setF32(rd, SoftFloat.f64ToF32(freg(rs1), rm, &flags))
            }
        case 0x14: // FLE, FLT, FEQ
            let r: Bool
            if double {
                let a = freg(rs1), b = freg(rs2)
                switch f3 {
                case 0: r = SoftFloat.le64(a, b, &flags)
                case 1: r = SoftFloat.lt64(a, b, &flags)
                case 2: r = SoftFloat.eq64(a, b, &flags)
                default: throw illegal(inst)
                }
            } else {
                let a = f32(rs1), b = f32(rs2)
                switch f3 {
                case 0: r = SoftFloat.le32(a, b, &flags)
                case 1: r = SoftFloat.lt32(a, b, &flags)
                case 2: r = SoftFloat.eq32(a, b, &flags)
                default: throw illegal(inst)
                }
            }
            setX(rd, r ? 1 : 0)
        case 0x18: // FCVT.W/WU/L/LU from float
            let rm = try roundingMode(inst)
            let v: UInt64
            if double {
                let a = freg(rs1)
                switch rs2 {
                case 0: v = UInt64(bitPattern: Int64(SoftFloat.f64ToI32(a, rm, &flags)))
                case 1: v = sext32(UInt64(SoftFloat.f64ToU32(a, rm, &flags)))
                case 2: v = UInt64(bitPattern: SoftFloat.f64ToI64(a, rm, &flags))
                case 3: v = SoftFloat.f64ToU64(a, rm, &flags)
                default: throw illegal(inst)
                }
            } else {
                let a = f32(rs1)
                switch rs2 {
                case 0: v = UInt64(bitPattern: Int64(SoftFloat.f32ToI32(a, rm, &flags)))
                case 1: v = sext32(UInt64(SoftFloat.f32ToU32(a, rm, &flags)))
                case 2: v = UInt64(bitPattern: SoftFloat.f32ToI64(a, rm, &flags))
                case 3: v = SoftFloat.f32ToU64(a, rm, &flags)
                default: throw illegal(inst)
                }
            }
            setX(rd, v)
        case 0x1a: // FCVT.S/D from W/WU/L/LU
            let rm = try roundingMode(inst)
            let a = x(rs1)
            if double {
                let r: UInt64
                switch rs2 {
                case 0: r = SoftFloat.i32ToF64(Int32(truncatingIfNeeded: a), rm, &flags)
                case 1: r = SoftFloat.u32ToF64(UInt32(truncatingIfNeeded: a), rm, &flags)
                case 2: r = SoftFloat.i64ToF64(Int64(bitPattern: a), rm, &flags)
                case 3: r = SoftFloat.u64ToF64(a, rm, &flags)
                default: throw illegal(inst)
                }
                setF(rd, r)
            } else {
                let r: UInt32
                switch rs2 {
                case 0: r = SoftFloat.i32ToF32(Int32(truncatingIfNeeded: a), rm, &flags)
                case 1: r = SoftFloat.u32ToF32(UInt32(truncatingIfNeeded: a), rm, &flags)
                case 2: r = SoftFloat.i64ToF32(Int64(bitPattern: a), rm, &flags)
                case 3: r = SoftFloat.u64ToF32(a, rm, &flags)
                default: throw illegal(inst)
                }
                setF32(rd, r)
            }
        case 0x1c: // FMV.X.W / FMV.X.D (f3 0), FCLASS (f3 1)
            guard rs2 == 0 else { throw illegal(inst) }
            switch f3 {
            case 0: setX(rd, double ? freg(rs1) : sext32(freg(rs1) & 0xffff_ffff))
            case 1: setX(rd, double ? SoftFloat.classify64(freg(rs1)) : SoftFloat.classify32(f32(rs1)))
            default: throw illegal(inst)
            }
        case 0x1e: // FMV.W.X / FMV.D.X
            guard rs2 == 0 && f3 == 0 else { throw illegal(inst) }
            if double { setF(rd, x(rs1)) } else { setF32(rd, UInt32(truncatingIfNeeded: x(rs1))) }
        default:
            throw illegal(inst)
        }
        raise(flags)
    }
}
