#!/usr/bin/env python3
"""Regenerates Protocol/vectors/merkle.json with a direct Python transcription of the recursive
definitions of RFC 9162 §2.1 (MTH, PATH, PROOF/SUBPROOF), independent of the Swift code, which
builds roots incrementally and verifies proofs with the iterative algorithms of §2.1.3.2/§2.1.4.2.

    python3 Tools/vectors/generate_merkle.py
"""
import hashlib, json, os, struct

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Protocol", "vectors")

def leaf_bytes(position, event_hash, server_time, signature=b""):
    return struct.pack(">Q", position) + event_hash + struct.pack(">q", server_time) + struct.pack(">H", len(signature)) + signature

def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()

def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()

def split(n):
    k = 1
    while k << 1 < n:
        k <<= 1
    return k

def mth(leaves):
    if len(leaves) == 0:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))

def path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]

def subproof(m, leaves, whole):
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], whole) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]

def hx(data):
    return data.hex()

# Certificate Transparency's test tree (RFC 6962 hashing, the same as RFC 9162's): eight raw
# leaves and two published roots. Checked here so this generator is anchored outside itself.
CT_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43", bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
CT_ROOTS = {1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"}

def main():
    ct = [leaf_hash(raw) for raw in CT_LEAVES]
    for size, root in CT_ROOTS.items():
        assert mth(ct[:size]).hex() == root, size
    inputs = []
    for i in range(13):
        event_hash = hashlib.sha256(("event %d" % (i + 1)).encode()).digest()
        signature = bytes(range(i % 3 * 8)) if i % 4 == 3 else b""
        inputs.append(leaf_bytes(i + 1, event_hash, 1795780800000 + i * 1000, signature))
    leaves = [leaf_hash(b) for b in inputs]
    vectors = {
        "description": "RFC 9162 Merkle tree vectors over Praxis leaves (see Protocol/README.md): leaf inputs (hex), "
                       "roots of the first n leaves, inclusion proofs (PATH) and consistency proofs (PROOF). "
                       "Computed by Tools/vectors/generate_merkle.py from the recursive definitions.",
        "leaves": [{"position": i + 1, "input": hx(b), "hash": hx(h)} for i, (b, h) in enumerate(zip(inputs, leaves))],
        "roots": [{"size": n, "root": hx(mth(leaves[:n]))} for n in range(0, len(leaves) + 1)],
        "certificate_transparency": {"leaves": [hx(raw) for raw in CT_LEAVES],
                                     "roots": [{"size": size, "root": root} for size, root in sorted(CT_ROOTS.items())]},
        "inclusion": [{"index": m, "size": n, "proof": [hx(p) for p in path(m, leaves[:n])]}
                      for n in range(1, len(leaves) + 1) for m in range(n)],
        "consistency": [{"first": m, "second": n, "proof": [hx(p) for p in subproof(m, leaves[:n], True)]}
                        for n in range(1, len(leaves) + 1) for m in range(1, n + 1)],
    }
    with open(os.path.join(ROOT, "merkle.json"), "w") as f:
        json.dump(vectors, f, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
