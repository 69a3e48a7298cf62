import Testing
@testable import Commitment
