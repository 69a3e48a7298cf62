// Deterministic IEEE-754 binary32/binary64 arithmetic for the RISC-V F and D
// extensions, computed with integer operations on bit patterns only, so results
// and flags never depend on the host's floating-point unit or environment.

/// Software IEEE-754 binary32/binary64 arithmetic with RISC-V semantics
/// (canonical NaNs, tininess after rounding, RISC-V conversion saturation).
/// Values travel as raw bit patterns (`UInt32` for binary32, `UInt64` for
/// binary64); exception flags are OR-ed into a caller-owned `fflags` byte.
public enum SoftFloat {
    /// The RISC-V canonical binary32 NaN, the only NaN any operation produces.
    public static let canonicalNaN32: UInt32 = 0x7fc0_0000
    /// The RISC-V canonical binary64 NaN, the only NaN any operation produces.
    public static let canonicalNaN64: UInt64 = 0x7ff8_0000_0000_0000

}

/// IEEE-754 rounding-direction attribute, numbered as the RISC-V `frm`
/// field / instruction `rm` field encodes it (5–7 are not modes and must
/// be rejected by the decoder before reaching this library).
public enum RoundingMode: UInt8, Sendable {
    /// Round to nearest, ties to even.
    case rne = 0
    /// Round towards zero.
    case rtz = 1
    /// Round down, towards −∞.
    case rdn = 2
    /// Round up, towards +∞.
    case rup = 3
    /// Round to nearest, ties away from zero.
    case rmm = 4
}

/// The accrued-exception bits of the RISC-V `fflags` CSR.
public enum FFlag {
    /// Inexact.
    public static let nx: UInt8 = 1
    /// Underflow (tiny after rounding and inexact).
    public static let uf: UInt8 = 2
    /// Overflow.
    public static let of: UInt8 = 4
    /// Division by zero.
    public static let dz: UInt8 = 8
    /// Invalid operation.
    public static let nv: UInt8 = 16
}
