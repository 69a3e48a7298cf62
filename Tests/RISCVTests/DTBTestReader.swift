// A strict, independent reader of flattened device trees for the tests: it re-derives the
// layout rules from the Devicetree Specification (v0.4, chapter 5) and fails loudly on any
// violation, so tests of the writer check real structure rather than the writer's own view.

/// A node as read back from a blob.
struct ReadNode: Equatable {
    var name: String
    var properties: [(name: String, value: [UInt8])]
    var children: [ReadNode]

    static func == (a: ReadNode, b: ReadNode) -> Bool {
        a.name == b.name && a.children == b.children && a.properties.count == b.properties.count
            && zip(a.properties, b.properties).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    func property(_ name: String) -> [UInt8]? { properties.first { $0.name == name }?.value }

    /// Node at a `/`-separated path relative to this one ("" is self).
    func node(at path: String) -> ReadNode? {
        var current = self
        for component in path.split(separator: "/") {
            guard let next = current.children.first(where: { $0.name == component }) else { return nil }
            current = next
        }
        return current
    }

    /// Every node with its absolute path, depth first.
    func allNodes(path: String = "") -> [(path: String, node: ReadNode)] {
        let here = path.isEmpty ? "/" : path
        return [(here, self)] + children.flatMap { $0.allNodes(path: path + "/" + $0.name) }
    }
}

/// A whole blob as read back.
struct ReadDTB {
    var totalSize: UInt32
    var version: UInt32
    var lastCompatibleVersion: UInt32
    var bootCPUID: UInt32
    var reservations: [(address: UInt64, size: UInt64)]
    var strings: [UInt8]
    var root: ReadNode
}

struct DTBReadError: Error, CustomStringConvertible {
    var description: String
}

/// Big-endian cells of a property value (whose length must be a multiple of 4).
func dtbCells(_ value: [UInt8]?) -> [UInt32]? {
    guard let value, value.count % 4 == 0 else { return nil }
    return stride(from: 0, to: value.count, by: 4).map { i in
        value[i ..< i + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}

/// NUL-terminated strings of a property value (which must end in NUL).
func dtbStrings(_ value: [UInt8]?) -> [String]? {
    guard let value, value.last == 0 else { return nil }
    return value.dropLast().split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
}

/// Read and check a blob. `exact` (for tbsim's writer) also demands that the blob is exactly
/// `totalsize` bytes and a multiple of 8; other writers (dtc, QEMU's dump) pad differently.
func readDTB(_ blob: [UInt8], exact: Bool = true) throws -> ReadDTB {
    func fail(_ message: String) -> DTBReadError { DTBReadError(description: message) }
    func be32(_ at: Int) throws -> UInt32 {
        guard at >= 0, at + 4 <= blob.count else { throw fail("read of 4 bytes at \(at) past end \(blob.count)") }
        return blob[at ..< at + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
    func be64(_ at: Int) throws -> UInt64 { UInt64(try be32(at)) << 32 | UInt64(try be32(at + 4)) }

    guard blob.count >= 40 else { throw fail("blob shorter than the 40-byte header") }
    guard try be32(0) == 0xd00d_feed else { throw fail("bad magic") }
    let totalSize = try be32(4)
    let structOffset = Int(try be32(8))
    let stringsOffset = Int(try be32(12))
    let reservationOffset = Int(try be32(16))
    let version = try be32(20)
    let lastCompatible = try be32(24)
    let bootCPUID = try be32(28)
    let stringsSize = Int(try be32(32))
    let structSize = Int(try be32(36))

    if exact {
        guard Int(totalSize) == blob.count else { throw fail("totalsize \(totalSize) != blob length \(blob.count)") }
        guard blob.count % 8 == 0 else { throw fail("total size not 8-byte aligned") }
    } else {
        guard Int(totalSize) <= blob.count else { throw fail("totalsize \(totalSize) > buffer length \(blob.count)") }
    }
    guard reservationOffset % 8 == 0, reservationOffset >= 40 else { throw fail("reservation block misaligned") }
    guard structOffset % 4 == 0 else { throw fail("structure block misaligned") }
    guard structOffset + structSize <= blob.count, stringsOffset + stringsSize <= blob.count else {
        throw fail("a block extends past totalsize")
    }
    guard structOffset + structSize <= stringsOffset || stringsOffset + stringsSize <= structOffset else {
        throw fail("structure and strings blocks overlap")
    }

    var reservations: [(UInt64, UInt64)] = []
    var at = reservationOffset
    while true {
        guard at + 16 <= structOffset else { throw fail("reservation block runs into the structure block") }
        let address = try be64(at), size = try be64(at + 8)
        at += 16
        if address == 0 && size == 0 { break }
        reservations.append((address, size))
    }

    let strings = Array(blob[stringsOffset ..< stringsOffset + stringsSize])
    func propertyName(_ offset: Int) throws -> String {
        guard offset < strings.count, let end = strings[offset...].firstIndex(of: 0) else {
            throw fail("property name offset \(offset) not a NUL-terminated string in the \(strings.count)-byte block")
        }
        return String(decoding: strings[offset ..< end], as: UTF8.self)
    }

    let structEnd = structOffset + structSize
    var position = structOffset
    func token() throws -> UInt32 {
        guard position + 4 <= structEnd else { throw fail("structure block ends mid-token at \(position)") }
        defer { position += 4 }
        return try be32(position)
    }
    func align4() throws {
        while position % 4 != 0 {
            // libfdt (QEMU's dump) can leave stale bytes in padding; tbsim's writer must not.
            guard blob[position] == 0 || !exact else { throw fail("non-zero padding at \(position)") }
            position += 1
        }
    }

    func readNode() throws -> ReadNode {
        guard let end = blob[position ..< structEnd].firstIndex(of: 0) else { throw fail("unterminated node name") }
        let name = String(decoding: blob[position ..< end], as: UTF8.self)
        position = end + 1
        try align4()
        var node = ReadNode(name: name, properties: [], children: [])
        while true {
            switch try token() {
            case 1:
                node.children.append(try readNode())
            case 2:
                return node
            case 3:
                guard node.children.isEmpty else { throw fail("property after a subnode in \(name)") }
                let length = Int(try token())
                let nameOffset = Int(try token())
                guard position + length <= structEnd else { throw fail("property value past structure block") }
                let value = Array(blob[position ..< position + length])
                position += length
                try align4()
                node.properties.append((try propertyName(nameOffset), value))
            case 4:
                continue  // FDT_NOP
            case let other:
                throw fail("unexpected token \(other) at \(position - 4) in node '\(name)'")
            }
        }
    }

    guard try token() == 1 else { throw fail("structure block does not start with FDT_BEGIN_NODE") }
    let root = try readNode()
    guard root.name.isEmpty else { throw fail("root node has a name") }
    guard try token() == 9 else { throw fail("no FDT_END after the root node") }
    guard position == structEnd else { throw fail("\(structEnd - position) bytes after FDT_END in the structure block") }

    return ReadDTB(totalSize: totalSize, version: version, lastCompatibleVersion: lastCompatible,
                   bootCPUID: bootCPUID, reservations: reservations, strings: strings, root: root)
}
