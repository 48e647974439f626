import PraxisProtocol

/// What `praxis audit verify` found beyond the per-event checks of ``LogVerifier``.
public struct TreeVerification: Sendable, Hashable {
    /// A fault of the tree or its signed heads.
    public struct Fault: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            /// The events' Merkle root at a signed size differs from the signed root: rows were
            /// reordered, replaced or rewritten consistently with their hashes.
            case rootMismatch = "root_mismatch"
            /// A tree head's signature is not the server key's.
            case forgedTreeHead = "forged_tree_head"
            /// The log holds fewer events than a signed tree head covers.
            case truncatedLog = "truncated_log"
        }

        public let kind: Kind
        /// The tree size concerned.
        public let treeSize: Int64
        public let message: String

        public var description: String { "tree size \(treeSize): \(kind.rawValue): \(message)" }
    }

    /// How many signed tree heads were checked.
    public let checkedHeads: Int
    /// The first fault, or `nil` when every head holds.
    public let fault: Fault?
}

/// Recomputes the Merkle tree from the events (not from stored nodes) and checks it against every
/// signed tree head, and each head's signature against the server's public key.
public struct TreeVerifier<Store: EventStore>: Sendable {
    let store: Store
    let publicKey: [UInt8]

    public init(store: Store, publicKey: [UInt8]) {
        self.store = store
        self.publicKey = publicKey
    }

    public func verify() async throws(StoreError) -> TreeVerification {
        var heads: [SignedTreeHead] = []
        while true {
            let page = try await store.signedTreeHeads(after: heads.last?.head.treeSize ?? 0, limit: 1000)
            heads += page
            if page.count < 1000 { break }
        }
        func result(_ checked: Int, _ fault: TreeVerification.Fault?) -> TreeVerification {
            TreeVerification(checkedHeads: checked, fault: fault)
        }
        for (index, head) in heads.enumerated() where !head.isSigned(by: publicKey) {
            return result(
                index,
                .init(kind: .forgedTreeHead, treeSize: head.head.treeSize, message: "the signature is not the server key's"))
        }
        let logHead = try await store.head()
        if let last = heads.last, last.head.treeSize > logHead.value {
            return result(
                0,
                .init(
                    kind: .truncatedLog, treeSize: last.head.treeSize,
                    message: "a signed head covers \(last.head.treeSize) events; the log holds \(logHead.value)"))
        }
        var accumulator = MerkleAccumulator()
        var pending = heads[...]
        var checked = 0
        var next = LogPosition(1)
        while let head = pending.first {
            if accumulator.size == head.head.treeSize {
                guard accumulator.root == head.head.rootHash else {
                    return result(
                        checked,
                        .init(
                            kind: .rootMismatch, treeSize: head.head.treeSize,
                            message: "the events' root differs from the signed root: rows were reordered, replaced or rewritten"))
                }
                checked += 1
                pending = pending.dropFirst()
                continue
            }
            let page = try await store.read(from: next, limit: min(1000, Int(head.head.treeSize - accumulator.size)))
            guard let last = page.last else { break }
            for event in page {
                accumulator.append(event.merkleLeaf.hash)
            }
            next = last.position.next
        }
        return result(checked, nil)
    }
}
