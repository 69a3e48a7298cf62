/// The F and D extensions (placeholder until the soft-float layer lands: every FP
/// instruction is illegal, as on a machine with mstatus.FS = Off).
extension Hart {
    mutating func floatingPoint(_ inst: UInt32) throws(Trap) {
        throw illegal(inst)
    }
}
