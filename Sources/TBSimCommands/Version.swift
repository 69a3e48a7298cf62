/// tbsim's version: printed by `tbsim --version`, and what reports will name as the
/// simulator that produced them.
public enum TBSimVersion {
    /// The release this source tree is (semantic versioning).
    public static let current = "0.3.0"
}
