#!/usr/bin/env python3
"""Writes the bad-input corpus: bootstrap/src/test/resources/bad-inputs/corpus.jsonl.

One request per line: {"name", "port": "protocol"|"admin", "method", "path", "headers", "body" or "body_base64",
"expect"}. "expect" is "reject" (a 4xx with a JSON error that names the problem) or "survive" (any answer but a
5xx: the input is odd but acceptable, or the endpoint's own answer is not an error). BadInputCorpusTest replays
every line against one relay (several destinations, Mapp, synced segments, the admin listener with a token) and
checks the relay still serves afterwards. Re-run this script after changing it; the file is what the tests use.
"""
import base64
import hashlib
import hmac
import json
import os

MAPP_SECRET = "corpus-mapp-secret"
SYNCED_TOKEN = "corpus-synced-token"
ADMIN_TOKEN = "corpus-admin-token-0123456789"

entries = []


def add(name, method, path, body=None, headers=None, expect="reject", port="protocol", raw=None, repeat=None):
    """repeat: (head, unit, times, tail), a large body the test builds rather than the file holds."""
    entry = {"name": name, "port": port, "method": method, "path": path, "headers": headers or {}, "expect": expect}
    if repeat is not None:
        head, unit, times, tail = repeat
        entry["body_repeat"] = {"head": head, "unit": unit, "times": times, "tail": tail}
        body = ""
    if repeat is not None:
        pass
    elif raw is not None:
        entry["body_base64"] = base64.b64encode(raw).decode()
    elif body is not None:
        entry["body"] = body
    if (body is not None or raw is not None or repeat is not None) and not any(k.lower() == "content-type" for k in entry["headers"]):
        entry["headers"]["Content-Type"] = "application/json"
    entries.append(entry)


UPDATE = {"feed_id": "6921", "session_id": "18345", "datamart_id": "1509", "segment_id": "84213",
          "ts": 1718500005000, "operation": "UPSERT",
          "user_identifiers": [{"type": "USER_EMAIL", "hash": "5d41402abc4b2a76b9719d911017c592"}]}
CREATION = {"feed_id": "6921", "datamart_id": "1509", "segment_id": "84213"}
BATCH = {"batch_content": [{"operation": "UPSERT", "user_identifiers": [{"type": "USER_POINT", "user_point_id": "u1"}]}],
         "ts": 1718500100000,
         "context": {"endpoint": "/v1/user_segment_update", "feed_id": "6921", "feed_session_id": "1",
                     "segment_id": "84213", "datamart_id": "1509", "grouping_key": "UPSERT"}}
TROUBLESHOOT = {"feed_id": "6921", "datamart_id": "1509", "segment_id": "84213", "action": "FETCH_DESTINATION_AUDIENCE"}
AUTH_STATUS = {"datamart_id": "1509", "plugin_version_id": "4410", "user_id": "2291"}

JSON_ROUTES = {
    "/v1/external_segment_creation": CREATION,
    "/v1/external_segment_connection": CREATION,
    "/v1/user_segment_update": UPDATE,
    "/v1/batch_update": BATCH,
    "/v1/troubleshoot": TROUBLESHOOT,
    "/v1/authentication_status_queries": AUTH_STATUS,
    "/v1/authentication": {"user_id": "2291", "params": {"code": "c", "state": "s"}},
    "/v1/logout": AUTH_STATUS,
    "/v1/dynamic_property_values_queries": AUTH_STATUS,
    "/v1/test_authentication": {"feed_destination_id": "318"},
    "/v1/oauth_redirect_url": {"feed_destination_id": "318", "plugin_version_id": "4410"},
}

SHAPES = {
    "empty": "", "empty object": "{}", "null": "null", "number": "123", "string": '"x"', "array": "[]",
    "true": "true", "truncated": '{"feed_id": "69', "unquoted keys": "{feed_id: 6921}",
    "trailing garbage": '{"feed_id": "6921"} x', "single quotes": "{'feed_id': '6921'}",
    "nested arrays": "[" * 5000 + "]" * 5000, "nested objects": '{"a":' * 3000 + "1" + "}" * 3000,
    "comment": '/* c */ {"feed_id": "6921"}', "nan": '{"feed_id": NaN}', "bare minus": "-",
    "two objects": '{"feed_id": "1"}{"feed_id": "2"}',
}

# 1. Every JSON route with every malformed or non-object body.
for path in JSON_ROUTES:
    for shape, body in SHAPES.items():
        add(f"{path} {shape}", "POST", path, body)

# 2. Wrong types and missing fields, field by field.
for path, good in JSON_ROUTES.items():
    for field in good:
        for label, wrong in [("a number", 12345), ("an object", {"x": 1}), ("an array", [1, 2]), ("a boolean", True),
                             ("blank", "  "), ("a control character", "a\u0001b")]:
            bad = dict(good)
            bad[field] = wrong
            add(f"{path} {field} as {label}", "POST", path, json.dumps(bad), expect="survive")
        missing = {k: v for k, v in good.items() if k != field}
        add(f"{path} without {field}", "POST", path, json.dumps(missing), expect="survive")
    extra = dict(good)
    extra["unknown_field"] = {"deep": [1, 2, 3]}
    add(f"{path} with an extra field", "POST", path, json.dumps(extra), expect="survive")

# 3. The update's identifiers, the hot path, in detail.
def update_with(name, identifiers, expect="reject"):
    body = dict(UPDATE)
    body["user_identifiers"] = identifiers
    add(f"user_segment_update {name}", "POST", "/v1/user_segment_update", json.dumps(body), expect=expect)

update_with("no identifiers", [])
update_with("identifiers as an object", {"type": "USER_POINT"})
update_with("an identifier as a string", ["USER_POINT"])
update_with("an unknown identifier type", [{"type": "USER_NOPE", "id": "1"}])
update_with("an identifier without its value", [{"type": "USER_POINT"}])
ID = '{"type": "USER_POINT", "user_point_id": "u"}'
for count in [1001, 10000]:
    add(f"user_segment_update {count:,} identifiers", "POST", "/v1/user_segment_update",
        repeat=(json.dumps(UPDATE).split('"user_identifiers"')[0] + '"user_identifiers": [', ID + ", ", count - 1,
                ID + "]}"))
update_with("a 100 KB id", [{"type": "USER_POINT", "user_point_id": "x" * 100_000}], expect="survive")
update_with("a NUL in an id", [{"type": "USER_POINT", "user_point_id": "a\u0000b"}])
update_with("a device point with bad technical ids",
            [{"type": "USER_DEVICE_POINT", "technical_identifiers": [{"type": 1}, None, "x"]}])
for op, expect in [("", "survive"), ("upsert ", "survive"), ("ADD_TO", "reject"), (None, "survive"),
                   (1, "reject"), ("DELETE\u0000", "reject")]:
    # A missing operation is an UPSERT (the SDK's own example posts none); case and spaces are forgiven.
    body = dict(UPDATE)
    body["operation"] = op
    add(f"user_segment_update operation {op!r}", "POST", "/v1/user_segment_update", json.dumps(body),
        expect=expect)
for ts in ["yesterday", -1, 1e308, "1718500005000", {"t": 1}]:
    body = dict(UPDATE)
    body["ts"] = ts
    add(f"user_segment_update ts {ts!r}", "POST", "/v1/user_segment_update", json.dumps(body), expect="survive")

# 4. Bytes, encodings and content types.
good_update = json.dumps(UPDATE).encode()
for label, raw in [
    ("invalid UTF-8 in a string", good_update.replace(b"5d41402a", b"5d\xff\xfe02a")),
    ("an overlong UTF-8 sequence", good_update.replace(b"18345", b"\xc0\xaf8345")),
    ("a lone surrogate escape", good_update.replace(b"18345", b"\\ud800")),
    ("UTF-16 body", json.dumps(UPDATE).encode("utf-16")),
    ("a byte order mark then JSON", b"\xef\xbb\xbf" + good_update),
    ("NUL bytes", b"\x00" * 64),
    ("random bytes", bytes(range(256)) * 4),
]:
    add(f"user_segment_update {label}", "POST", "/v1/user_segment_update", raw=raw, expect="survive")
for ctype in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
              "application/json; charset=latin1", "application/xml", "image/png", "", "application/x-ndjson"]:
    add(f"user_segment_update as {ctype or 'no type'}", "POST", "/v1/user_segment_update",
        json.dumps(UPDATE), headers={"Content-Type": ctype} if ctype else {"Content-Type": ""}, expect="survive")
add("user_segment_update gzip that is not gzip", "POST", "/v1/user_segment_update", json.dumps(UPDATE),
    headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
add("user_segment_update an unknown encoding", "POST", "/v1/user_segment_update", json.dumps(UPDATE),
    headers={"Content-Type": "application/json", "Content-Encoding": "br-unknown"})
add("user_segment_update over the size limit", "POST", "/v1/user_segment_update",
    repeat=('{"feed_id":"', "x" * 1024, 13 * 1024, '"}'))

# 5. The file form.
lines = [json.dumps(UPDATE), "{", "null", "[]", '{"feed_id": 1}', "\xff", "", json.dumps({**UPDATE, "operation": "X"})]
add("file form with broken lines", "POST", "/v1/user_segment_update", "\n".join(lines),
    headers={"Content-Type": "application/x-ndjson"}, expect="survive")
add("file form only broken lines", "POST", "/v1/user_segment_update", "{\n[\nnull\n",
    headers={"Content-Type": "application/x-ndjson"})
add("file form empty", "POST", "/v1/user_segment_update", "", headers={"Content-Type": "application/x-ndjson"})
add("file form invalid UTF-8", "POST", "/v1/user_segment_update", raw=b'{"feed_id":"\xff"}\n',
    headers={"Content-Type": "application/x-ndjson"}, expect="survive")

# 6. batch_update contents.
for label, content in [("strings of JSON", ['{"operation":"UPSERT"}', "not json"]), ("numbers", [1, 2]),
                       ("nulls", [None]), ("nested", [[[[[]]]]])]:
    body = dict(BATCH)
    body["batch_content"] = content
    add(f"batch_update {label}", "POST", "/v1/batch_update", json.dumps(body), expect="survive")
add("batch_update 10,001 items", "POST", "/v1/batch_update", expect="survive",
    repeat=('{"batch_content": [', '{"uuid": "1"}, ', 10000, '{"uuid": "2"}], "context": '
            + json.dumps(BATCH["context"]) + "}"))
for key in ["OK", "", "upsert", None, 7]:
    body = json.loads(json.dumps(BATCH))
    body["context"]["grouping_key"] = key
    add(f"batch_update grouping key {key!r}", "POST", "/v1/batch_update", json.dumps(body), expect="survive")

# 7. Routes, methods, URLs.
for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"]:
    add(f"{method} /v1/user_segment_update", method, "/v1/user_segment_update", expect="survive")
for path in ["/v1/nope", "/v2/user_segment_update", "/", "/v1/", "/v1/user_segment_update/extra",
             "/v1/../etc/passwd", "/v1/%2e%2e/%2e%2e/etc/passwd", "/v1/user_segment_update?x=" + "a" * 6000,
             "/" + "a" * 9000, "/v1/status%00", "/api/v2/segment-targets/", "/api/v2/segment-targets/unknown",
             "/mapp/diy/extra", "/metrics/../v1/status"]:
    add(f"GET {path[:60]}", "GET", path, expect="survive")
add("PUT /v1/log_level unknown level", "PUT", "/v1/log_level", '{"level": "loud"}')
add("PUT /v1/log_level number", "PUT", "/v1/log_level", '{"level": 3}')
add("PUT /v1/log_level empty", "PUT", "/v1/log_level", "")

# 8. Mapp DIY: signatures and bodies.
def mapp_sig(body):
    return hmac.new(MAPP_SECRET.encode(), body.encode(), hashlib.sha1).hexdigest()

mapp_add = json.dumps({"Type": "ADD_TO_AUDIENCE", "Mutations": [
    {"Uuid": "u1", "Audience": "a1", "Customer": 4711, "Platform": "web", "External_user_id": "e1"}]})
add("mapp unsigned", "POST", "/mapp/diy?type=ADD_TO_AUDIENCE", mapp_add)
add("mapp forged signature", "POST", "/mapp/diy?type=ADD_TO_AUDIENCE", mapp_add, headers={"X-HMAC": "0" * 40})
add("mapp signature of another body", "POST", "/mapp/diy?type=ADD_TO_AUDIENCE", mapp_add,
    headers={"X-HMAC": mapp_sig(mapp_add + " ")})
add("mapp signature with the wrong key", "POST", "/mapp/diy?type=ADD_TO_AUDIENCE", mapp_add,
    headers={"X-HMAC": hmac.new(b"guess", mapp_add.encode(), hashlib.sha1).hexdigest()})
add("mapp signature not hex", "POST", "/mapp/diy?type=ADD_TO_AUDIENCE", mapp_add, headers={"X-HMAC": "zz" * 20})
for shape, body in SHAPES.items():
    add(f"mapp signed {shape}", "POST", "/mapp/diy?type=ADD_TO_AUDIENCE", body, headers={"X-HMAC": mapp_sig(body)},
        expect="survive")
for label, doc in [
    ("type disagreeing", {"Type": "REMOVE_FROM_AUDIENCE", "Mutations": []}),
    ("unknown type", {"Type": "DROP_TABLE", "Mutations": []}),
    ("mutations as an object", {"Type": "ADD_TO_AUDIENCE", "Mutations": {"Uuid": "u"}}),
    ("a mutation without ids", {"Type": "ADD_TO_AUDIENCE", "Mutations": [{"Audience": "a1"}]}),
    ("a mutation without audience", {"Type": "ADD_TO_AUDIENCE", "Mutations": [{"Uuid": "u1"}]}),
]:
    body = json.dumps(doc)
    add(f"mapp signed {label}", "POST", "/mapp/diy?type=ADD_TO_AUDIENCE", body, headers={"X-HMAC": mapp_sig(body)})
add("mapp unknown query type", "POST", "/mapp/diy?type=NOPE", "{}", headers={"X-HMAC": mapp_sig("{}")})
add("mapp no query type", "POST", "/mapp/diy", "{}", headers={"X-HMAC": mapp_sig("{}")}, expect="survive")

# 9. Synced segments: tokens and bodies.
synced = "/api/v2/segment-targets/rudderstack"
ld = json.dumps({"environmentId": "e", "cohortId": "c1", "cohortName": "Cart",
                 "addedContexts": [{"contextKey": "u1", "contextKind": "user"}]})
add("synced without a token", "POST", synced, ld)
add("synced with a wrong token", "POST", synced, ld, headers={"Authorization": "wrong"})
add("synced with the token of another scheme", "POST", synced, ld, headers={"Authorization": "Basic " + SYNCED_TOKEN})
add("synced to an unknown integration", "POST", "/api/v2/segment-targets/nope", ld,
    headers={"Authorization": SYNCED_TOKEN})
for shape, body in SHAPES.items():
    add(f"synced {shape}", "POST", synced, body, headers={"Authorization": SYNCED_TOKEN}, expect="survive")
for label, doc in [("no cohort", {"environmentId": "e", "addedContexts": []}),
                   ("contexts as a string", {"environmentId": "e", "cohortId": "c", "addedContexts": "u1"}),
                   ("a context without key", {"environmentId": "e", "cohortId": "c", "addedContexts": [{}]}),
                   ("numbers everywhere", {"environmentId": 1, "cohortId": 2, "addedContexts": [{"contextKey": 3}]})]:
    add(f"synced {label}", "POST", synced, json.dumps(doc), headers={"Authorization": SYNCED_TOKEN}, expect="survive")

# 10. The admin listener: credentials and actions.
for label, headers in [("no credentials", {}), ("a wrong bearer token", {"Authorization": "Bearer nope"}),
                       ("a token replayed in the wrong scheme", {"Authorization": "Token " + ADMIN_TOKEN}),
                       ("Basic with a wrong password", {"Authorization": "Basic " + base64.b64encode(b"ops:nope").decode()}),
                       ("a malformed Basic value", {"Authorization": "Basic %%%"}),
                       ("a token with a trailing byte", {"Authorization": "Bearer " + ADMIN_TOKEN + "x"})]:
    for path in ["/admin/api/destinations", "/admin/api/dead_letters", "/admin/api/grants", "/metrics", "/admin/"]:
        add(f"admin GET {path} with {label}", "GET", path, headers=headers, port="admin")
    add(f"admin requeue with {label}", "POST", "/admin/api/dead_letters/requeue", "{}", headers=headers, port="admin")
auth = {"Authorization": "Bearer " + ADMIN_TOKEN}
for shape, body in SHAPES.items():
    if shape == "empty object":
        continue  # {} means every dead letter: a valid action
    add(f"admin discard {shape}", "POST", "/admin/api/dead_letters/discard", body, headers=dict(auth), port="admin")
for label, doc in [("unknown field", {"segmnt": "1"}), ("destination a number", {"destination": 3}),
                   ("unknown destination", {"destination": "nope"}), ("bad destination name", {"destination": "../x"})]:
    add(f"admin requeue {label}", "POST", "/admin/api/dead_letters/requeue", json.dumps(doc), headers=dict(auth),
        port="admin")
add("admin action as text/plain", "POST", "/admin/api/dead_letters/discard", "{}",
    headers={**auth, "Content-Type": "text/plain"}, port="admin")
add("admin action cross-site", "POST", "/admin/api/dead_letters/discard", "{}",
    headers={**auth, "Sec-Fetch-Site": "cross-site"}, port="admin")
add("admin pause unknown destination", "POST", "/admin/api/destinations/nope/pause", "{}", headers=dict(auth),
    port="admin")
for limit in ["0", "-1", "501", "x", "1e3"]:
    add(f"admin dead letters limit {limit}", "GET", f"/admin/api/dead_letters?limit={limit}", headers=dict(auth),
        port="admin")
add("admin console file outside the console", "GET", "/admin/..%2F..%2Fetc%2Fpasswd", headers=dict(auth),
    port="admin", expect="survive")
add("admin unknown file", "GET", "/admin/secrets.txt", headers=dict(auth), port="admin")
add("admin log level unknown", "PUT", "/admin/api/log_level", '{"level": "loud"}', headers=dict(auth), port="admin")

out = os.path.join(os.path.dirname(__file__), "..", "..", "bootstrap", "src", "test", "resources", "bad-inputs",
                   "corpus.jsonl")
names = set()
with open(out, "w") as f:
    for entry in entries:
        assert entry["name"] not in names, entry["name"]
        names.add(entry["name"])
        f.write(json.dumps(entry) + "\n")
print(f"{len(entries)} requests written to {os.path.normpath(out)}")
