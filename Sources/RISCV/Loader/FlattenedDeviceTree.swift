/// One device-tree property: a name and its raw big-endian value bytes.
///
/// The static constructors encode the value types the Devicetree Specification defines
/// (`<u32>`, `<u64>`, `<prop-encoded-array>`, `<string>`, `<stringlist>`, empty, `<phandle>`),
/// so callers never hand-assemble byte order.
public struct DeviceTreeProperty: Equatable, Sendable {
    /// Property name, e.g. `compatible` or `#address-cells`. Must be non-empty, without NUL.
    public let name: String
    /// The encoded value exactly as it appears in the blob (before 4-byte padding).
    public let value: [UInt8]

    /// A property with already-encoded value bytes (e.g. the 3-byte clock-frequency QEMU emits).
    public init(_ name: String, bytes: [UInt8]) {
        self.name = name
        self.value = bytes
    }

    /// A property with no value, whose presence is the information (e.g. `interrupt-controller`).
    public static func empty(_ name: String) -> DeviceTreeProperty { DeviceTreeProperty(name, bytes: []) }

    /// One 32-bit cell.
    public static func u32(_ name: String, _ value: UInt32) -> DeviceTreeProperty { cells(name, [value]) }

    /// A 64-bit value as two cells, high cell first.
    public static func u64(_ name: String, _ value: UInt64) -> DeviceTreeProperty {
        cells(name, [UInt32(truncatingIfNeeded: value >> 32), UInt32(truncatingIfNeeded: value)])
    }

    /// A list of 32-bit cells (a `<prop-encoded-array>`), e.g. `interrupts-extended`.
    public static func cells(_ name: String, _ values: [UInt32]) -> DeviceTreeProperty {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for v in values { appendBigEndian(&bytes, v) }
        return DeviceTreeProperty(name, bytes: bytes)
    }

    /// A NUL-terminated string. A NUL inside `value` makes the reader see a string list.
    public static func string(_ name: String, _ value: String) -> DeviceTreeProperty { strings(name, [value]) }

    /// Concatenated NUL-terminated strings, e.g. `compatible = "sifive,clint0", "riscv,clint0"`.
    public static func strings(_ name: String, _ values: [String]) -> DeviceTreeProperty {
        DeviceTreeProperty(name, bytes: values.flatMap { Array($0.utf8) + [0] })
    }

    /// This node's own `phandle`, the number other nodes use to refer to it.
    public static func phandle(_ value: UInt32) -> DeviceTreeProperty { u32("phandle", value) }

    /// A reference to another node by phandle (e.g. `interrupt-parent`, `regmap`).
    public static func reference(_ name: String, _ phandle: UInt32) -> DeviceTreeProperty { u32(name, phandle) }

    /// `(address, size)` pairs encoded with the parent bus's `#address-cells` and `#size-cells`
    /// (each 1 or 2), e.g. `reg`. Values that do not fit one cell are truncated to it.
    public static func addressRanges(_ name: String, _ ranges: [(address: UInt64, size: UInt64)],
                                     addressCells: Int = 2, sizeCells: Int = 2) -> DeviceTreeProperty {
        precondition((1 ... 2).contains(addressCells) && (0 ... 2).contains(sizeCells),
                     "DeviceTreeProperty.addressRanges: cell counts must be 1 or 2 (size may be 0)")
        func split(_ v: UInt64, _ n: Int) -> [UInt32] {
            n == 2 ? [UInt32(truncatingIfNeeded: v >> 32), UInt32(truncatingIfNeeded: v)]
                   : n == 1 ? [UInt32(truncatingIfNeeded: v)] : []
        }
        return cells(name, ranges.flatMap { split($0.address, addressCells) + split($0.size, sizeCells) })
    }
}

/// A device-tree node: a name (`name@unit-address`), its properties in order, and child nodes
/// in order. Order is preserved into the blob, so output is deterministic.
public struct DeviceTreeNode: Equatable, Sendable {
    /// Node name including any unit address (`serial@10000000`); empty for the root only.
    public var name: String
    /// Properties in emission order. Names must be unique within the node.
    public var properties: [DeviceTreeProperty]
    /// Child nodes in emission order. Names must be unique among siblings.
    public var children: [DeviceTreeNode]

    /// A node with the given name, properties and children.
    public init(_ name: String, _ properties: [DeviceTreeProperty] = [], children: [DeviceTreeNode] = []) {
        self.name = name
        self.properties = properties
        self.children = children
    }

    /// Append a property.
    public mutating func add(_ property: DeviceTreeProperty) { properties.append(property) }

    /// Append a child node.
    public mutating func add(child: DeviceTreeNode) { children.append(child) }

    /// The property called `name`, if present.
    public func property(named name: String) -> DeviceTreeProperty? { properties.first { $0.name == name } }

    /// The direct child called `name` (full name including unit address), if present.
    public func child(named name: String) -> DeviceTreeNode? { children.first { $0.name == name } }
}

/// One entry of the memory reservation block: physical memory the OS must not use.
public struct DeviceTreeReservation: Equatable, Sendable {
    /// Physical start address.
    public var address: UInt64
    /// Length in bytes.
    public var size: UInt64
    /// A reservation of `[address, address + size)`.
    public init(address: UInt64, size: UInt64) {
        self.address = address
        self.size = size
    }
}

/// A device tree and its flattened (DTB) encoding, version 17 of the Devicetree Specification.
///
/// Layout written: the 40-byte header, the memory reservation block (8-byte aligned, terminated
/// by a zero entry), the structure block, the strings block (property names, each stored once),
/// and padding so the total size is a multiple of 8. All integers are big-endian.
public struct FlattenedDeviceTree: Equatable, Sendable {
    /// The root node (its name must be empty).
    public var root: DeviceTreeNode
    /// Entries for the memory reservation block, in order.
    public var reservations: [DeviceTreeReservation]
    /// `boot_cpuid_phys`: the physical id (`reg`) of the boot hart.
    public var bootCPUID: UInt32

    /// Magic number at offset 0 of every DTB.
    public static let magic: UInt32 = 0xd00d_feed
    /// Format version written.
    public static let version: UInt32 = 17
    /// Oldest version this output is backwards compatible with.
    public static let lastCompatibleVersion: UInt32 = 16

    /// A tree from its root, reservations and boot hart id.
    public init(root: DeviceTreeNode, reservations: [DeviceTreeReservation] = [], bootCPUID: UInt32 = 0) {
        self.root = root
        self.reservations = reservations
        self.bootCPUID = bootCPUID
    }

    private enum Token: UInt32 {
        case beginNode = 1, endNode = 2, property = 3, end = 9
    }

    /// The DTB bytes; their count is the blob's `totalsize`.
    ///
    /// Node and property names are programmer-supplied: an empty or NUL-containing name, a
    /// non-empty root name, or a duplicate property/sibling name is a programming error and traps.
    public func serialize() -> [UInt8] {
        precondition(root.name.isEmpty, "FlattenedDeviceTree: the root node's name must be empty")
        var structure: [UInt8] = []
        var strings: [UInt8] = []
        var stringOffsets: [String: UInt32] = [:]

        func emit(_ node: DeviceTreeNode, path: String) {
            appendBigEndian(&structure, Token.beginNode.rawValue)
            structure += Array(node.name.utf8) + [0]
            padTo4(&structure)
            var seen: Set<String> = []
            for property in node.properties {
                precondition(!property.name.isEmpty && !property.name.utf8.contains(0),
                             "FlattenedDeviceTree: bad property name in \(path)")
                precondition(seen.insert(property.name).inserted,
                             "FlattenedDeviceTree: duplicate property \(property.name) in \(path)")
                let nameOffset: UInt32
                if let known = stringOffsets[property.name] {
                    nameOffset = known
                } else {
                    nameOffset = UInt32(strings.count)
                    stringOffsets[property.name] = nameOffset
                    strings += Array(property.name.utf8) + [0]
                }
                appendBigEndian(&structure, Token.property.rawValue)
                appendBigEndian(&structure, UInt32(property.value.count))
                appendBigEndian(&structure, nameOffset)
                structure += property.value
                padTo4(&structure)
            }
            var siblings: Set<String> = []
            for child in node.children {
                precondition(!child.name.isEmpty && !child.name.utf8.contains(0) && !child.name.contains("/"),
                             "FlattenedDeviceTree: bad node name under \(path)")
                precondition(siblings.insert(child.name).inserted,
                             "FlattenedDeviceTree: duplicate node \(child.name) under \(path)")
                emit(child, path: path == "/" ? "/" + child.name : path + "/" + child.name)
            }
            appendBigEndian(&structure, Token.endNode.rawValue)
        }
        emit(root, path: "/")
        appendBigEndian(&structure, Token.end.rawValue)

        let headerSize = 40
        let reservationOffset = (headerSize + 7) & ~7
        let structureOffset = reservationOffset + 16 * (reservations.count + 1)
        let stringsOffset = structureOffset + structure.count
        let totalSize = (stringsOffset + strings.count + 7) & ~7

        var blob: [UInt8] = []
        blob.reserveCapacity(totalSize)
        for field in [Self.magic, UInt32(totalSize), UInt32(structureOffset), UInt32(stringsOffset),
                      UInt32(reservationOffset), Self.version, Self.lastCompatibleVersion, bootCPUID,
                      UInt32(strings.count), UInt32(structure.count)] {
            appendBigEndian(&blob, field)
        }
        blob += [UInt8](repeating: 0, count: reservationOffset - blob.count)
        for r in reservations + [DeviceTreeReservation(address: 0, size: 0)] {
            appendBigEndian(&blob, UInt32(truncatingIfNeeded: r.address >> 32))
            appendBigEndian(&blob, UInt32(truncatingIfNeeded: r.address))
            appendBigEndian(&blob, UInt32(truncatingIfNeeded: r.size >> 32))
            appendBigEndian(&blob, UInt32(truncatingIfNeeded: r.size))
        }
        blob += structure
        blob += strings
        blob += [UInt8](repeating: 0, count: totalSize - blob.count)
        return blob
    }
}

private func appendBigEndian(_ bytes: inout [UInt8], _ value: UInt32) {
    bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    bytes.append(UInt8(truncatingIfNeeded: value >> 16))
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    bytes.append(UInt8(truncatingIfNeeded: value))
}

private func padTo4(_ bytes: inout [UInt8]) {
    while bytes.count % 4 != 0 { bytes.append(0) }
}
