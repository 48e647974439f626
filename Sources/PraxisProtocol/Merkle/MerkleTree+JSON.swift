extension MerkleTree {
    /// The wire form of an inclusion proof: `{"position", "tree_size", "proof": [base64url]}`.
    public static func inclusionJSON(position: Int64, treeSize: Int64, proof: [Hash]) -> JSONValue {
        [
            "position": .number(Double(position)), "tree_size": .number(Double(treeSize)),
            "proof": .array(proof.map { .string(Base64URL.encode($0)) }),
        ]
    }

    /// The wire form of a consistency proof: `{"first", "second", "proof": [base64url]}`.
    public static func consistencyJSON(first: Int64, second: Int64, proof: [Hash]) -> JSONValue {
        [
            "first": .number(Double(first)), "second": .number(Double(second)),
            "proof": .array(proof.map { .string(Base64URL.encode($0)) }),
        ]
    }
}
