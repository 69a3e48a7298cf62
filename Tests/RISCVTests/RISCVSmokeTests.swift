import Testing
@testable import RISCV
