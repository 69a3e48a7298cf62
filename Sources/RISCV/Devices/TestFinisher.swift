/// The SiFive test finisher at `MachineMap.finisherBase`: how a guest powers off with
/// an exit code. Reads return 0.
extension Hart {
    /// 0x5555 = pass (exit 0), (code << 16) | 0x3333 = fail with code, 0x7777 (reset) halts
    /// with 0; anything else is ignored. 16-bit writes count (OpenSBI uses them). Halting makes every later step the identity.
    mutating func finisherWrite(_ value: UInt32) {
        switch value & 0xffff {
        case 0x5555, 0x7777:
            s.write(L.exitCode, 0)
        case 0x3333:
            s.write(L.exitCode, UInt64(value >> 16))
        default:
            return
        }
        s.write(L.halted, 1)
    }
}
