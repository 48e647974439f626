#!/usr/bin/env python3
"""Regenerates Protocol/vectors/{canonicalization,event-hashes}.json with an implementation
independent of ours: the `rfc8785` package from PyPI and Python's hashlib.

    python3 -m venv .venv && .venv/bin/pip install rfc8785 && .venv/bin/python Tools/vectors/generate.py

The hand-written parts (rejections, RFC 8785 Appendix B numbers) are checked against the same
library before they are written, so a typo fails here rather than in the Swift tests.
"""
import base64, hashlib, json, os, random, struct
import rfc8785

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Protocol", "vectors")

def canonical(value):
    return rfc8785.dumps(value).decode("utf-8")

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

CASES = [
    ("rfc8785 3.2.2 example",
     '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n'
     '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}'),
    ("rfc8785 3.2.3 sorting by utf-16 code units",
     '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",'
     '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}'),
    ("white space is removed", ' { "b" : [ 1 , 2 ] ,\n\t"a" : { "d" : true , "c" : null } } '),
    ("nested objects are sorted", '{"z":{"b":{"y":1,"x":2},"a":[{"d":1,"c":2}]},"a":0}'),
    ("empty containers", '{"object":{},"array":[],"string":""}'),
    ("escapes: control characters in lowercase hex", '["\\u0000","\\u001f","\\u001F","\\b\\f\\n\\r\\t"]'),
    ("escapes: solidus, DEL and line separator are written as is", '["\\/","\\u007f","\\u2028","\\u2029"]'),
    ("escapes: non-ascii is written as utf-8", '["\\u00e9","\\u00E9","é","\\ud83d\\ude00","😀"]'),
    ("integers and fractions", '[1.0,-0,0.0,-0.0,1E2,0.1e1,100,-1.5,1e0]'),
    ("large and small numbers", '[123456789012345678901234567890,1e21,1e20,1e-6,1e-7,0.000001234,9007199254740993]'),
    ("number forms", '[5e-324,1.7976931348623157e308,-1.7976931348623157e308,2.2250738585072014e-308]'),
    ("top-level scalars are allowed: string", '"text"'),
    ("top-level scalars are allowed: number", '4.50'),
    ("keys differing only in case", '{"b":1,"B":2,"a":3,"A":4}'),
    ("deep nesting within the limit", "[" * 64 + "]" * 64),
]

REJECTIONS = [
    ("duplicate key", '{"a":1,"a":2}', None, "duplicate_key"),
    ("duplicate key after unescaping", '{"a":1,"\\u0061":2}', None, "duplicate_key"),
    ("lone high surrogate", '["\\ud800"]', None, "lone_surrogate"),
    ("lone low surrogate", '["\\udc00"]', None, "lone_surrogate"),
    ("high surrogate followed by a non-surrogate", '["\\ud800\\u0041"]', None, "lone_surrogate"),
    ("number beyond double range", '[1e400]', None, "number_out_of_range"),
    ("negative number beyond double range", '[-1e400]', None, "number_out_of_range"),
    ("invalid utf-8 in a string", None, "5b22c328225d", "invalid_utf8"),
    ("truncated utf-8 sequence", None, "5b22e282225d", "invalid_utf8"),
    ("nesting deeper than 64", "[" * 65 + "]" * 65, None, "nesting_too_deep"),
    ("trailing comma", '[1,2,]', None, "invalid_json"),
    ("leading zero", '[01]', None, "invalid_json"),
    ("NaN literal", '[NaN]', None, "invalid_json"),
    ("Infinity literal", '[Infinity]', None, "invalid_json"),
    ("byte-order mark", None, "efbbbf7b7d", "invalid_json"),
    ("raw control character in a string", None, "5b220a225d", "invalid_json"),
    ("single quotes", "['a']", None, "invalid_json"),
    ("data after the value", '{} {}', None, "invalid_json"),
    ("empty input", '', None, "invalid_json"),
    ("unknown escape", '["\\x41"]', None, "invalid_json"),
    ("unterminated string", '["abc', None, "invalid_json"),
    ("comment", '[1 /* no */]', None, "invalid_json"),
]

# RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical form.
APPENDIX_B = [
    ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]

def bits_to_float(bits):
    return struct.unpack(">d", bytes.fromhex(bits))[0]

def number_vectors():
    numbers = []
    for bits, expected in APPENDIX_B:
        got = canonical(bits_to_float(bits))
        assert got == expected, (bits, got, expected)
        numbers.append({"bits": bits, "canonical": expected, "source": "RFC 8785 Appendix B"})
    rng = random.Random(8785)
    while len(numbers) < 24 + 400:
        if rng.random() < 0.5:
            bits = "%016x" % rng.getrandbits(64)            # any bit pattern
        else:                                                # human-scale values
            bits = struct.pack(">d", rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-30, 30)).hex()
        value = bits_to_float(bits)
        if value != value or value in (float("inf"), float("-inf")):
            continue
        numbers.append({"bits": bits, "canonical": canonical(value), "source": "random, rfc8785 (PyPI)"})
    return numbers

def event_vectors():
    envelopes = [
        {"id": "0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60", "stream": "community/0190f5a0-0000-7000-8000-000000000001",
         "type": "community_created", "schema_version": 1, "payload": {}, "metadata": {}},
        {"id": "0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f61", "stream": "post/0190f5a0-0000-7000-8000-000000000002",
         "type": "post_created", "schema_version": 2,
         "payload": {"title": "Wie messen wir Wissenstransfer? 📈", "body": "Line one\nLine two \"quoted\"",
                     "kind": "question", "tags": ["onboarding", "mentoring"], "score": 4.5, "count": 12},
         "metadata": {"actor": "0190f5a0-0000-7000-8000-00000000000a",
                      "device": "0190f5a0-0000-7000-8000-00000000000b",
                      "client_time": "2026-11-27T09:15:00.250Z",
                      "causation_id": "0190f5a0-0000-7000-8000-00000000000c",
                      "correlation_id": "0190f5a0-0000-7000-8000-00000000000d"}},
        {"id": "0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f62", "stream": "member/0190f5a0-0000-7000-8000-00000000000a",
         "type": "member_moved", "schema_version": 1,
         "payload": {"region": "EMEA", "department": "R&D", "nested": {"z": [1, {"b": None, "a": True}], "a": 1e-7}},
         "metadata": {"actor": "0190f5a0-0000-7000-8000-00000000000a"}},
    ]
    vectors = []
    for envelope in envelopes:
        text = canonical(envelope)
        vectors.append({"envelope": envelope, "canonical": text,
                        "hash": b64url(hashlib.sha256(text.encode("utf-8")).digest())})
    return vectors

def main():
    cases = []
    for name, text in CASES:
        cases.append({"name": name, "input": text, "canonical": canonical(json.loads(text, parse_int=float))})
    rejections = []
    for name, text, hex_input, code in REJECTIONS:
        entry = {"name": name, "error": code}
        if text is not None:
            entry["input"] = text
        else:
            entry["input_hex"] = hex_input
        rejections.append(entry)
    with open(os.path.join(ROOT, "canonicalization.json"), "w", encoding="utf-8") as f:
        json.dump({"description": "RFC 8785 canonicalization: inputs with their canonical form, IEEE 754 bit "
                   "patterns with theirs, and inputs that have no canonical form with the error code Praxis "
                   "answers. Canonical forms computed by the rfc8785 package (PyPI); see Tools/vectors/generate.py.",
                   "cases": cases, "numbers": number_vectors(), "rejections": rejections},
                  f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(ROOT, "event-hashes.json"), "w", encoding="utf-8") as f:
        json.dump({"description": "Event envelopes, their RFC 8785 canonical bytes (as UTF-8 text) and the "
                   "SHA-256 of those bytes in unpadded base64url. Computed with rfc8785 (PyPI) and hashlib.",
                   "vectors": event_vectors()}, f, ensure_ascii=False, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
