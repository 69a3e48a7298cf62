/// An NS16550A UART whose receiver reads the committed input tape and whose transmitter
/// appends to the committed output. Characters move instantly: the transmitter is always
/// empty and the receiver holds data exactly while unread input remains.
extension Hart {
    mutating func uartDataReady() -> Bool {
        s.read(L.inputPosition) < s.read(L.inputLength) && s.read(L.inputMarkerMatched) == s.read(L.inputMarkerLength)
    }

    /// Advances the input gate's marker match by one output byte: the new count is the
    /// longest marker prefix that ends the output so far (at most 32 bytes, so a direct
    /// search is cheap and only committed words are read).
    mutating func uartMatchMarker(_ byte: UInt8) {
        let length = s.read(L.inputMarkerLength)
        let matched = s.read(L.inputMarkerMatched)
        guard matched < length else { return }
        func markerByte(_ i: UInt64) -> UInt8 {
            UInt8(truncatingIfNeeded: s.read(L.inputMarker + Int(i / 8)) >> (8 * (i % 8)))
        }
        // The output ends with marker[0..<matched] + byte; find the longest k ≤ matched + 1
        // such that marker[0..<k] is a suffix of it.
        var k = matched + 1
        while k > 0 {
            var fits = markerByte(k - 1) == byte
            var i: UInt64 = 0
            while fits && i + 1 < k {
                fits = markerByte(i) == markerByte(matched - (k - 1) + i)
                i += 1
            }
            if fits { break }
            k -= 1
        }
        s.write(L.inputMarkerMatched, k)
    }

    mutating func uartRead(_ off: UInt64) -> UInt64 {
        let dlab = s.read(L.uartLCR) & 0x80 != 0
        switch off {
        case 0:
            if dlab { return s.read(L.uartDLL) }
            guard uartDataReady() else { return 0 }
            let pos = s.read(L.inputPosition)
            let byte = s.readInput(pos)
            s.write(L.inputPosition, pos + 1)
            uartUpdateIRQ()
            return UInt64(byte)
        case 1: return dlab ? s.read(L.uartDLM) : s.read(L.uartIER)
        case 2:
            // IIR: which interrupt is pending; reading it acknowledges a THRE interrupt.
            let fifo: UInt64 = s.read(L.uartFCR) & 1 != 0 ? 0xc0 : 0
            let ier = s.read(L.uartIER)
            if ier & 1 != 0 && uartDataReady() { return fifo | 0x04 }
            if ier & 2 != 0 && s.read(L.uartTHRE) != 0 {
                s.write(L.uartTHRE, 0)
                uartUpdateIRQ()
                return fifo | 0x02
            }
            return fifo | 0x01
        case 3: return s.read(L.uartLCR)
        case 4: return s.read(L.uartMCR)
        case 5: return 0x60 | (uartDataReady() ? 1 : 0)
        case 6: return 0xb0
        case 7: return s.read(L.uartSCR)
        default: return 0
        }
    }

    mutating func uartWrite(_ off: UInt64, _ byte: UInt8) {
        let dlab = s.read(L.uartLCR) & 0x80 != 0
        switch off {
        case 0:
            if dlab { s.write(L.uartDLL, UInt64(byte)); return }
            let len = s.read(L.outputLength)
            if len < UInt64(MachineStorage.tapeCapacity) {
                s.writeOutput(len, byte)
                s.write(L.outputLength, len + 1)
            }
            uartMatchMarker(byte)
            // The byte left at once: the holding register is empty again.
            if s.read(L.uartIER) & 2 != 0 { s.write(L.uartTHRE, 1) }
            uartUpdateIRQ()
        case 1:
            if dlab { s.write(L.uartDLM, UInt64(byte)); return }
            let old = s.read(L.uartIER)
            let new = UInt64(byte & 0x0f)
            s.write(L.uartIER, new)
            // Enabling the THRE interrupt while the transmitter is empty raises it.
            if old & 2 == 0 && new & 2 != 0 { s.write(L.uartTHRE, 1) }
            if new & 2 == 0 { s.write(L.uartTHRE, 0) }
            uartUpdateIRQ()
        case 2: s.write(L.uartFCR, UInt64(byte & 0xc9))
        case 3: s.write(L.uartLCR, UInt64(byte))
        case 4: s.write(L.uartMCR, UInt64(byte & 0x1f))
        case 7: s.write(L.uartSCR, UInt64(byte))
        default: break
        }
    }

    /// Recomputes the UART's interrupt line into the PLIC.
    mutating func uartUpdateIRQ() {
        let ier = s.read(L.uartIER)
        let level = (ier & 1 != 0 && uartDataReady()) || (ier & 2 != 0 && s.read(L.uartTHRE) != 0)
        plicSetLevel(MachineMap.uartIRQ, level)
    }
}
