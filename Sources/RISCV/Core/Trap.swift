/// A synchronous exception raised while executing one instruction; carried by typed throws
/// so the fast path pays nothing when no trap happens.
public struct Trap: Error, Equatable, Sendable {
    /// The mcause/scause value (interrupt bit clear for exceptions).
    public var cause: UInt64
    /// The mtval/stval value.
    public var tval: UInt64

    @inline(__always) public init(_ cause: UInt64, _ tval: UInt64 = 0) {
        self.cause = cause
        self.tval = tval
    }
}

/// Exception and interrupt cause numbers from the privileged spec.
public enum Cause {
    public static let instructionMisaligned: UInt64 = 0
    public static let instructionAccessFault: UInt64 = 1
    public static let illegalInstruction: UInt64 = 2
    public static let breakpoint: UInt64 = 3
    public static let loadMisaligned: UInt64 = 4
    public static let loadAccessFault: UInt64 = 5
    public static let storeMisaligned: UInt64 = 6
    public static let storeAccessFault: UInt64 = 7
    public static let ecallFromU: UInt64 = 8
    public static let ecallFromS: UInt64 = 9
    public static let ecallFromM: UInt64 = 11
    public static let instructionPageFault: UInt64 = 12
    public static let loadPageFault: UInt64 = 13
    public static let storePageFault: UInt64 = 15

    public static let interruptBit: UInt64 = 1 << 63
    public static let supervisorSoftware: UInt64 = 1
    public static let machineSoftware: UInt64 = 3
    public static let supervisorTimer: UInt64 = 5
    public static let machineTimer: UInt64 = 7
    public static let supervisorExternal: UInt64 = 9
    public static let machineExternal: UInt64 = 11
}

/// Privilege levels as encoded in mstatus.MPP.
public enum Privilege {
    public static let user: UInt64 = 0
    public static let supervisor: UInt64 = 1
    public static let machine: UInt64 = 3
}

/// Bit positions of mstatus fields.
public enum MStatus {
    public static let sie: UInt64 = 1 << 1
    public static let mie: UInt64 = 1 << 3
    public static let spie: UInt64 = 1 << 5
    public static let mpie: UInt64 = 1 << 7
    public static let spp: UInt64 = 1 << 8
    public static let mppShift: UInt64 = 11
    public static let mpp: UInt64 = 3 << 11
    public static let fsShift: UInt64 = 13
    public static let fs: UInt64 = 3 << 13
    public static let mprv: UInt64 = 1 << 17
    public static let sum: UInt64 = 1 << 18
    public static let mxr: UInt64 = 1 << 19
    public static let tvm: UInt64 = 1 << 20
    public static let tw: UInt64 = 1 << 21
    public static let tsr: UInt64 = 1 << 22
    /// UXL = SXL = 2 (64-bit), read-only.
    public static let xlFields: UInt64 = (2 << 32) | (2 << 34)
    public static let sd: UInt64 = 1 << 63
    /// Bits software may write through mstatus.
    public static let writable: UInt64 = sie | mie | spie | mpie | spp | mpp | fs | mprv | sum | mxr | tvm | tw | tsr
    /// The subset visible and writable through sstatus.
    public static let supervisorView: UInt64 = sie | spie | spp | fs | sum | mxr | xlFields & (3 << 32) | sd
    public static let supervisorWritable: UInt64 = sie | spie | spp | fs | sum | mxr
}
