/// Which engine `Machine.run` uses for the instructions it can run fast. Whatever the
/// engine, `Hart.step()` defines the semantics: every engine hands each instruction it
/// does not handle to it, and tests run every engine in lockstep against `.reference`
/// (design invariant 1). Engines differ only in speed.
public enum Engine: String, CaseIterable, Sendable {
    /// Only `Hart.step()`, decoding every instruction afresh: no cache of any kind, so it
    /// is the yardstick the other engines are compared against.
    case reference
    /// One instruction at a time with a decode memo and a translation cache (`FastRunner`).
    case stepwise
    /// Pre-decoded blocks, which go on past conditional branches, run by Swift
    /// (`BlockRunner`); a block that does not fit the remaining budget runs one
    /// instruction at a time through `stepwise`.
    case blocks
    /// The same blocks run by a C loop with threaded dispatch (`ThreadedRunner`, target
    /// CEngine): each op handler jumps to the next itself, and linked blocks chain
    /// without returning to Swift.
    case threaded

    /// The engine `Machine.run(steps:)` uses unless told otherwise: the fastest, and held
    /// to the reference step by every lockstep test (docs/ENGINE.md, "Measurements").
    public static let standard: Engine = .threaded
}
