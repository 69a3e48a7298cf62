/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference `splitmix64.c`): a tiny
/// seeded generator whose output depends only on the seed, identical on every
/// platform and Swift version. All randomness in fault injection comes from one of
/// these, passed in explicitly — never from the host.
///
/// Prefer the generator's own helpers (`unitInterval()`, `chance(_:)`) over the
/// standard library's `random(in:using:)` when results must stay identical across
/// toolchains: the stdlib is free to change how it maps raw bits to ranges.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The whole generator state (advances by the golden-ratio increment per draw).
    public private(set) var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) with 53 random bits (exact in binary64, so the
    /// same on every IEEE-754 machine). Consumes one draw.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with probability `p` (clamped to [0, 1]). Always consumes exactly one
    /// draw, so the stream position never depends on `p`.
    public mutating func chance(_ p: Double) -> Bool {
        unitInterval() < p
    }
}
