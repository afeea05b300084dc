"""Writes signed Mapp DIY bodies for wrk (its Lua has no HMAC): varied users and audiences, 100 mutations each."""
import hashlib
import hmac
import json
import sys

secret, out, count = sys.argv[1].encode(), sys.argv[2], int(sys.argv[3])


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


with open(out, "w") as f:
    f.write("return {\n")
    for kind in ("add", "create"):
        f.write("  %s = {\n" % kind)
        for n in range(count):
            if kind == "add":
                body = json.dumps({"Type": "ADD_TO_AUDIENCE", "Mutations": [
                    {"Uuid": "%08x-0b7d-4c3e-9a51-%012x" % (n, u), "Audience": "m4711-aud%02d" % (u % 20),
                     "Customer": 4711, "Platform": 205, "External_user_id": "ext-%d-%d" % (n, u)}
                    for u in range(100)]}, separators=(",", ":"))
            else:
                body = json.dumps({"Type": "CREATE_AUDIENCE", "Name": "Bench audience %d" % n, "Customer": 4711,
                                   "Audience": "0f3a9c21b7de4e5.%018d" % n}, separators=(",", ":"))
            signature = hmac.new(secret, body.encode(), hashlib.sha1).hexdigest()
            f.write("    {%s, %s},\n" % (lua_string(body), lua_string(signature)))
        f.write("  },\n")
    f.write("}\n")
