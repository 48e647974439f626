import Crypto

/// The Merkle tree of RFC 9162 §2.1 over the log, in position order: leaf hashes are
/// `SHA-256(0x00 ‖ leaf)`, interior nodes `SHA-256(0x01 ‖ left ‖ right)`, and the tree of `n`
/// leaves splits at the largest power of two below `n`.
///
/// Proofs are made from any source of subtree hashes (a store keeps the perfect subtrees; a
/// verifier can recompute them), and verified with the algorithms of §2.1.3.2 and §2.1.4.2 — so
/// an auditor or a client needs nothing from the server but the proof, the leaf and a signed root.
public enum MerkleTree {
    /// A 32-byte SHA-256 value.
    public typealias Hash = [UInt8]

    /// The root of the empty tree: SHA-256 of nothing.
    public static var emptyRoot: Hash { Array(SHA256.hash(data: [UInt8]())) }

    /// `SHA-256(0x00 ‖ leaf)`.
    public static func leafHash(_ leaf: some Sequence<UInt8>) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(leaf))
        return Array(hasher.finalize())
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The largest power of two strictly below `n` (for `n` ≥ 2).
    static func split(_ n: Int64) -> Int64 {
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The root of the leaves with these hashes, by the definition (for checks and small trees).
    public static func root(of leafHashes: ArraySlice<Hash>) -> Hash {
        switch leafHashes.count {
        case 0: return emptyRoot
        case 1: return leafHashes[leafHashes.startIndex]
        default:
            let k = Int(split(Int64(leafHashes.count)))
            let middle = leafHashes.startIndex + k
            return nodeHash(root(of: leafHashes[..<middle]), root(of: leafHashes[middle...]))
        }
    }

    /// The hash of the leaves in `range` (0-based, half-open), built from `perfect`, which gives the
    /// hash of an aligned perfect subtree: `perfect(level, index)` covers leaves
    /// `index·2^level ..< (index+1)·2^level`.
    public static func rangeHash(_ range: Range<Int64>, perfect: (Int, Int64) throws -> Hash) rethrows -> Hash {
        let size = range.count
        if size == 0 { return emptyRoot }
        if size & (size - 1) == 0 && range.lowerBound % Int64(size) == 0 {
            return try perfect(Int64(size).trailingZeroBitCount, range.lowerBound / Int64(size))
        }
        let k = split(Int64(size))
        return nodeHash(
            try rangeHash(range.lowerBound..<(range.lowerBound + k), perfect: perfect),
            try rangeHash((range.lowerBound + k)..<range.upperBound, perfect: perfect))
    }

    /// The audit path (RFC 9162 §2.1.3.1, PATH) of leaf `index` in the tree of `size` leaves.
    public static func inclusionProof(index: Int64, size: Int64, perfect: (Int, Int64) throws -> Hash) rethrows -> [Hash] {
        precondition(0 <= index && index < size, "the leaf must be in the tree")
        func path(_ m: Int64, _ range: Range<Int64>) throws -> [Hash] {
            guard range.count > 1 else { return [] }
            let k = split(Int64(range.count))
            let middle = range.lowerBound + k
            if m < k {
                return try path(m, range.lowerBound..<middle) + [try rangeHash(middle..<range.upperBound, perfect: perfect)]
            }
            return try path(m - k, middle..<range.upperBound) + [try rangeHash(range.lowerBound..<middle, perfect: perfect)]
        }
        return try path(index, 0..<size)
    }

    /// The consistency proof (RFC 9162 §2.1.4.1, PROOF) between trees of `first` and `second` leaves.
    public static func consistencyProof(first: Int64, second: Int64, perfect: (Int, Int64) throws -> Hash) rethrows -> [Hash] {
        precondition(0 < first && first <= second, "sizes must satisfy 0 < first ≤ second")
        func subproof(_ m: Int64, _ range: Range<Int64>, _ isWhole: Bool) throws -> [Hash] {
            let n = Int64(range.count)
            if m == n { return isWhole ? [] : [try rangeHash(range, perfect: perfect)] }
            let k = split(n)
            let middle = range.lowerBound + k
            if m <= k {
                return try subproof(m, range.lowerBound..<middle, isWhole) + [
                    try rangeHash(middle..<range.upperBound, perfect: perfect)
                ]
            }
            return try subproof(m - k, middle..<range.upperBound, false) + [
                try rangeHash(range.lowerBound..<middle, perfect: perfect)
            ]
        }
        return try subproof(first, 0..<second, true)
    }

    /// Whether `proof` shows the leaf with `leafHash` at `index` in the tree of `size` leaves whose
    /// root is `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leafHash: Hash, index: Int64, size: Int64, proof: [Hash], root: Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows that the tree of `first` leaves with root `firstRoot` is a prefix of the
    /// tree of `second` leaves with root `secondRoot` (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(first: Int64, second: Int64, firstRoot: Hash, secondRoot: Hash, proof: [Hash]) -> Bool {
        guard 0 < first, first <= second else { return false }
        if first == second { return proof.isEmpty && firstRoot == secondRoot }
        var path = proof
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }
        guard let start = path.first else { return false }
        var fn = first - 1
        var sn = second - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = start
        var sr = start
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}

/// Appends leaves one at a time, keeping only the roots of the perfect subtrees along the right
/// edge: O(log n) work and memory per leaf. Each append returns the perfect-subtree nodes it
/// completed, for a store that keeps them to make proofs later.
public struct MerkleAccumulator: Sendable, Equatable {
    /// A completed perfect subtree: `level` 0 is a leaf.
    public struct Node: Sendable, Equatable {
        public let level: Int
        public let index: Int64
        public let hash: MerkleTree.Hash
    }

    /// How many leaves have been appended.
    public private(set) var size: Int64 = 0
    /// The right edge: perfect subtree roots, largest first.
    private var edge: [(level: Int, hash: MerkleTree.Hash)] = []

    public init() {}

    /// Resumes from a right edge read back from a store (`level`, `hash`, largest subtree first).
    public init(size: Int64, edge: [(level: Int, hash: MerkleTree.Hash)]) {
        self.size = size
        self.edge = edge
    }

    /// The right edge, for resuming later.
    public var rightEdge: [(level: Int, hash: MerkleTree.Hash)] { edge }

    /// Appends a leaf hash; returns the nodes it completed, the leaf itself first.
    @discardableResult
    public mutating func append(_ leafHash: MerkleTree.Hash) -> [Node] {
        var nodes = [Node(level: 0, index: size, hash: leafHash)]
        var current = (level: 0, hash: leafHash)
        var index = size
        while let last = edge.last, last.level == current.level {
            edge.removeLast()
            current = (current.level + 1, MerkleTree.nodeHash(last.hash, current.hash))
            index >>= 1
            nodes.append(Node(level: current.level, index: index, hash: current.hash))
        }
        edge.append(current)
        size += 1
        return nodes
    }

    /// The root of the tree so far.
    public var root: MerkleTree.Hash {
        guard var hash = edge.last?.hash else { return MerkleTree.emptyRoot }
        for node in edge.dropLast().reversed() { hash = MerkleTree.nodeHash(node.hash, hash) }
        return hash
    }

    public static func == (lhs: MerkleAccumulator, rhs: MerkleAccumulator) -> Bool {
        lhs.size == rhs.size && lhs.edge.map(\.level) == rhs.edge.map(\.level) && lhs.edge.map(\.hash) == rhs.edge.map(\.hash)
    }
}
