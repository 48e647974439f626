import Foundation
import PraxisProtocol
import Testing

@Suite("RFC 9162 Merkle tree")
struct MerkleTreeTests {
    struct Vectors: Decodable {
        struct Leaf: Decodable { let position: Int64; let input: String; let hash: String }
        struct Root: Decodable { let size: Int64; let root: String }
        struct Inclusion: Decodable { let index: Int64; let size: Int64; let proof: [String] }
        struct Consistency: Decodable { let first: Int64; let second: Int64; let proof: [String] }
        struct Anchor: Decodable { let leaves: [String]; let roots: [Root] }
        let leaves: [Leaf]
        let roots: [Root]
        let inclusion: [Inclusion]
        let consistency: [Consistency]
        let certificate_transparency: Anchor
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }

    /// Every node a store would keep, from appending all vector leaves.
    static func nodes(_ leafHashes: [MerkleTree.Hash]) -> [String: MerkleTree.Hash] {
        var accumulator = MerkleAccumulator()
        var nodes: [String: MerkleTree.Hash] = [:]
        for hash in leafHashes {
            for node in accumulator.append(hash) { nodes["\(node.level)/\(node.index)"] = node.hash }
        }
        return nodes
    }

    @Test("leaf bytes, roots, inclusion and consistency proofs match the vectors")
    func vectors() throws {
        let vectors = try Vectors.load()
        // Leaf encoding: the vector inputs are exactly what MerkleLeaf writes.
        for leaf in vectors.leaves {
            let input = Self.bytes(leaf.input)
            let decoded = MerkleLeaf(
                position: leaf.position, eventHash: try #require(EventHash(bytes: Array(input[8..<40]))),
                serverTime: Timestamp(millisecondsSinceEpoch: 1_795_780_800_000 + (leaf.position - 1) * 1000),
                signature: Array(input[50...]))
            #expect(decoded.bytes == input)
            #expect(decoded.hash == Self.bytes(leaf.hash))
        }
        let hashes = vectors.leaves.map { Self.bytes($0.hash) }
        var accumulator = MerkleAccumulator()
        #expect(accumulator.root == Self.bytes(vectors.roots[0].root))
        for (index, hash) in hashes.enumerated() {
            accumulator.append(hash)
            #expect(accumulator.root == Self.bytes(vectors.roots[index + 1].root), "size \(index + 1)")
            #expect(MerkleTree.root(of: hashes[...index]) == accumulator.root)
        }
        let nodes = Self.nodes(hashes)
        let perfect: (Int, Int64) throws -> MerkleTree.Hash = { level, index in try #require(nodes["\(level)/\(index)"]) }
        for vector in vectors.inclusion {
            let proof = try MerkleTree.inclusionProof(index: vector.index, size: vector.size, perfect: perfect)
            #expect(proof == vector.proof.map(Self.bytes), "inclusion \(vector.index) of \(vector.size)")
            let root = Self.bytes(vectors.roots[Int(vector.size)].root)
            #expect(
                MerkleTree.verifyInclusion(
                    leafHash: hashes[Int(vector.index)], index: vector.index, size: vector.size, proof: proof, root: root))
        }
        for vector in vectors.consistency {
            let proof = try MerkleTree.consistencyProof(first: vector.first, second: vector.second, perfect: perfect)
            #expect(proof == vector.proof.map(Self.bytes), "consistency \(vector.first) → \(vector.second)")
            #expect(
                MerkleTree.verifyConsistency(
                    first: vector.first, second: vector.second, firstRoot: Self.bytes(vectors.roots[Int(vector.first)].root),
                    secondRoot: Self.bytes(vectors.roots[Int(vector.second)].root), proof: proof))
        }
    }

    @Test("Certificate Transparency's published roots")
    func certificateTransparency() throws {
        let anchor = try Vectors.load().certificate_transparency
        let leaves = anchor.leaves.map { MerkleTree.leafHash(Self.bytes($0)) }
        for root in anchor.roots {
            #expect(MerkleTree.root(of: leaves[..<Int(root.size)]) == Self.bytes(root.root))
        }
    }

    @Test("every proof of random trees verifies; any change to it does not")
    func properties() throws {
        var random = SeededRandom(seed: 9162)
        for _ in 0..<40 {
            let size = Int64.random(in: 1...300, using: &random)
            let hashes = (0..<size).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
            let nodes = Self.nodes(hashes)
            let perfect: (Int, Int64) throws -> MerkleTree.Hash = { level, index in try #require(nodes["\(level)/\(index)"]) }
            let index = Int64.random(in: 0..<size, using: &random)
            let first = Int64.random(in: 1...size, using: &random)
            let root = MerkleTree.root(of: hashes[...])
            let firstRoot = MerkleTree.root(of: hashes[..<Int(first)])
            let inclusion = try MerkleTree.inclusionProof(index: index, size: size, perfect: perfect)
            #expect(
                MerkleTree.verifyInclusion(leafHash: hashes[Int(index)], index: index, size: size, proof: inclusion, root: root))
            let consistency = try MerkleTree.consistencyProof(first: first, second: size, perfect: perfect)
            #expect(
                MerkleTree.verifyConsistency(
                    first: first, second: size, firstRoot: firstRoot, secondRoot: root, proof: consistency))
            // Tampering: another leaf, another index, another root, a changed proof element.
            let other = MerkleTree.leafHash(Array("forged".utf8))
            #expect(!MerkleTree.verifyInclusion(leafHash: other, index: index, size: size, proof: inclusion, root: root))
            if size > 1 {
                #expect(
                    !MerkleTree.verifyInclusion(
                        leafHash: hashes[Int(index)], index: (index + 1) % size, size: size, proof: inclusion, root: root))
            }
            #expect(
                !MerkleTree.verifyConsistency(
                    first: first, second: size, firstRoot: firstRoot, secondRoot: other, proof: consistency))
            if var changed = inclusion.first {
                changed[0] ^= 1
                #expect(
                    !MerkleTree.verifyInclusion(
                        leafHash: hashes[Int(index)], index: index, size: size, proof: [changed] + inclusion.dropFirst(),
                        root: root))
            }
        }
    }
}

extension MerkleTreeTests.Vectors {
    static func load() throws -> Self { try Vectors.load("merkle.json", as: Self.self) }
}
