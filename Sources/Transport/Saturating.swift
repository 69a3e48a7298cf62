extension Int {
    /// `self + other`, clamped to `Int.min…Int.max` instead of trapping, so huge
    /// timeouts, latencies or fault delays from configuration mean "practically
    /// never" rather than a crash.
    @inline(__always)
    func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        if !overflow { return sum }
        return other > 0 ? Int.max : Int.min
    }
}
