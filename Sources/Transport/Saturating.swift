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

extension UInt64 {
    /// `self + other`, or UInt64.max where it would overflow: sums of gas, fees and
    /// deadlines from configuration mean "everything" or "never" rather than a crash.
    @inline(__always)
    public func saturatingAdd(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// `self × other`, or UInt64.max where it would overflow.
    @inline(__always)
    public func saturatingMultiply(_ other: UInt64) -> UInt64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
