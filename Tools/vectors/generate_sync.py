#!/usr/bin/env python3
"""Regenerates Protocol/vectors/sync.json — event signatures (ed25519 and es256), a request
signature, a signed push batch, a server receipt and a signed pull page — with implementations
independent of ours: `rfc8785` and `cryptography` from PyPI.

    python3 -m venv .build/vectors-venv
    .build/vectors-venv/bin/pip install rfc8785==0.1.4 cryptography==50.0.2
    .build/vectors-venv/bin/python Tools/vectors/generate_sync.py

Keys are fixed (derived from the seeds below), so Ed25519 signatures are reproducible byte for
byte. ECDSA signatures are randomised: an implementation checks that they verify, not that it
produces the same bytes.
"""
import base64, hashlib, json, os
import rfc8785
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Protocol", "vectors")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def canonical(value):
    return rfc8785.dumps(value)


ED_SEED = hashlib.sha256(b"praxis vector device ed25519").digest()
EC_SCALAR = int.from_bytes(hashlib.sha256(b"praxis vector device es256").digest(), "big") % (
    0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551)
SERVER_SEED = hashlib.sha256(b"praxis vector server ed25519").digest()

ed_key = ed25519.Ed25519PrivateKey.from_private_bytes(ED_SEED)
ec_key = ec.derive_private_key(EC_SCALAR, ec.SECP256R1())
server_key = ed25519.Ed25519PrivateKey.from_private_bytes(SERVER_SEED)


def ed_public(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def ec_public(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def sign(algorithm, message):
    if algorithm == "ed25519":
        return ed_key.sign(message)
    r, s = decode_dss_signature(ec_key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify(algorithm, public, message, signature):
    if algorithm == "ed25519":
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    else:
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public).verify(der, message, ec.ECDSA(hashes.SHA256()))


def server_sign(obj):
    unsigned = {k: v for k, v in obj.items() if k != "signature"}
    key_id = b64url(hashlib.sha256(ed_public(server_key)).digest())
    signed = dict(unsigned)
    signed["signature"] = {"algorithm": "ed25519", "key_id": key_id, "value": b64url(server_key.sign(canonical(unsigned)))}
    return signed


DEVICES = {
    "ed25519": {"device": "0190f5a0-0000-7000-8000-00000000d001", "public_key": ed_public(ed_key), "private_key": ED_SEED},
    "es256": {"device": "0190f5a0-0000-7000-8000-00000000d002", "public_key": ec_public(ec_key),
              "private_key": EC_SCALAR.to_bytes(32, "big")},
}
MEMBER = "0190f5a0-0000-7000-8000-00000000a001"
COMMUNITY = "0190f5a0-0000-7000-8000-00000000c001"


def event(algorithm, number, extra_payload=None):
    device = DEVICES[algorithm]["device"]
    post = "0190f5a0-0000-7000-8000-0000000%05d" % number
    payload = {"post": post, "community": COMMUNITY, "author": MEMBER, "kind": "question",
               "title": "Wie messen wir Wissenstransfer? \U0001F4C8", "body": "Offline, on the train.\nZwei Zeilen.",
               "cites": [], "mentions": [], "tags": []}
    payload.update(extra_payload or {})
    envelope = {"id": "0190f5a0-8c1e-7b3a-9f00-00000000%04d" % number, "stream": "post/" + post,
                "type": "post_created", "schema_version": 2, "payload": payload,
                "metadata": {"actor": MEMBER, "device": device, "client_time": "2026-11-27T08:15:00.250Z",
                             "logical_clock": number}}
    data = canonical(envelope)
    signature = sign(algorithm, data)
    verify(algorithm, DEVICES[algorithm]["public_key"], data, signature)
    signed = dict(envelope)
    signed["signature"] = {"algorithm": algorithm, "key_id": device, "value": b64url(signature)}
    return {"algorithm": algorithm, "public_key": b64url(DEVICES[algorithm]["public_key"]),
            "canonical": data.decode(), "hash": b64url(hashlib.sha256(data).digest()), "signed_event": signed}


def request(algorithm, method, path, body, timestamp, nonce):
    device = DEVICES[algorithm]["device"]
    signed = canonical({"body_sha256": b64url(hashlib.sha256(body).digest()), "device": device, "method": method,
                        "nonce": nonce, "path": path, "protocol": "praxis-sync/1", "timestamp": timestamp})
    signature = sign(algorithm, signed)
    verify(algorithm, DEVICES[algorithm]["public_key"], signed, signature)
    return {"algorithm": algorithm, "method": method, "path": path, "body": body.decode(), "signed_bytes": signed.decode(),
            "headers": {"Praxis-Device": device, "Praxis-Timestamp": timestamp, "Praxis-Nonce": nonce,
                        "Praxis-Signature": b64url(signature)}}


def main():
    events = [event("ed25519", 1), event("es256", 2)]
    tampered = json.loads(json.dumps(events[0]["signed_event"]))
    tampered["payload"]["title"] = "Wie messen wir Wissenstransfer?"
    batch_events = [event("ed25519", 3)["signed_event"],
                    event("ed25519", 4, {"kind": "discussion", "title": "Second"})["signed_event"]]
    batch = {"protocol": "praxis-sync/1", "device": DEVICES["ed25519"]["device"], "batch": 1, "events": batch_events}
    body = canonical(batch)
    push = request("ed25519", "POST", "/v1/sync/push", body, "2026-11-27T09:00:00.000Z", b64url(bytes(range(16))))
    pull_request = request("es256", "GET", "/v1/sync/pull?limit=50&cursor=opaque", b"", "2026-11-27T09:00:01.000Z",
                           b64url(bytes(range(16, 32))))
    receipt = server_sign({"event_hash": events[0]["hash"], "position": 42})
    page = server_sign({
        "protocol": "praxis-sync/1",
        "events": [{"position": 42, "stream_version": 1, "server_time": "2026-11-27T09:00:00.125Z",
                    "event": events[0]["signed_event"]}],
        "purge": [{"kind": "community", "community": "0190f5a0-0000-7000-8000-00000000c002"}],
        "backfill": [], "next_cursor": "opaque-server-issued", "has_more": False, "head": 42})
    forged_page = json.loads(json.dumps(page))
    forged_page["has_more"] = True
    vectors = {
        "description": "praxis-sync/1 vectors (Protocol/PROTOCOL.md). Generated by Tools/vectors/generate_sync.py with "
                       "rfc8785 and cryptography (PyPI). Ed25519 signatures are deterministic; es256 ones only verify.",
        "keys": {
            "device_ed25519": {"device": DEVICES["ed25519"]["device"], "private_key": b64url(ED_SEED),
                               "public_key": b64url(DEVICES["ed25519"]["public_key"])},
            "device_es256": {"device": DEVICES["es256"]["device"], "private_key": b64url(DEVICES["es256"]["private_key"]),
                             "public_key": b64url(DEVICES["es256"]["public_key"])},
            "server": {"private_key": b64url(SERVER_SEED), "public_key": b64url(ed_public(server_key)),
                       "key_id": b64url(hashlib.sha256(ed_public(server_key)).digest())},
        },
        "event_signatures": events,
        "tampered_event": {"signed_event": tampered, "public_key": events[0]["public_key"],
                           "why": "the payload changed after signing; the signature must not verify"},
        "push_request": push,
        "pull_request": pull_request,
        "receipt": receipt,
        "pull_page": page,
        "forged_pull_page": {"page": forged_page, "why": "has_more changed after the server signed"},
    }
    with open(os.path.join(ROOT, "sync.json"), "w", encoding="utf-8") as out:
        json.dump(vectors, out, indent=1, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
