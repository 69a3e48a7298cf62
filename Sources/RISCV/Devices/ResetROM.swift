/// The reset ROM at `MachineMap.romBase` (128 bytes, QEMU virt's layout): its words are
/// core words (`CoreLayout.rom`), written by `Boot`, so the ROM is committed state.
extension Hart {
    /// Reads `size` bytes of the reset ROM (little-endian), which lives in core words.
    mutating func romRead(_ pa: UInt64, _ size: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<size {
            let off = Int(pa - MachineMap.romBase) + i
            let word = s.read(L.rom + off / 8)
            v |= ((word >> UInt64(8 * (off % 8))) & 0xff) << UInt64(8 * i)
        }
        return v
    }
}
