"""Drives running instances of the service with N concurrent clients (threads, one
keep-alive connection each, spread over the instances in turn): every client creates a
proposal in the open demo meeting, edits it EDITS times with If-Match and submits it.
Reports requests per second, p50 and p99 per kind of request, and any status a healthy
server should not give (5xx, lock errors). Then checks that every accepted write reads
back, from an instance other than the one that wrote it when there are several.

Usage: bench_writes.py PORT[,PORT...] CLIENTS EDITS [PREFIX]"""
import http.client
import json
import statistics
import sys
import threading
import time

ports = [int(p) for p in sys.argv[1].split(",")]
clients, edits = int(sys.argv[2]), int(sys.argv[3])
prefix = sys.argv[4] if len(sys.argv) > 4 else "bench"


def conn(i=0):
    return http.client.HTTPConnection("127.0.0.1", ports[i % len(ports)], timeout=120)


def call(c, method, path, body=None, token=None, headers=None):
    h = {"content-type": "application/json"}
    if token:
        h["authorization"] = "Bearer " + token
    h.update(headers or {})
    t = time.perf_counter()
    c.request(method, "/api/v1" + path, body=None if body is None else json.dumps(body), headers=h)
    r = c.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None), r.getheader("etag"), time.perf_counter() - t


c = conn()
_, meetings, _, _ = call(c, "GET", "/meetings?per_page=100")
open_meeting = next(m for m in meetings["items"] if "call open" in m["name"])
mid = open_meeting["id"]
_, meeting, _, _ = call(c, "GET", f"/meetings/{mid}")
theme = meeting["themes"][0]["id"]


def proposal(i):
    roles = [("organiser", "female", "onsite"), ("speaker", "male", "onsite"),
             ("speaker", "female", "onsite"), ("speaker", "non_binary", "online"),
             ("onsite_moderator", "female", "onsite"), ("online_moderator", "male", "online")]
    people = [{"role": r, "name": f"Bench {i}-{k}", "email": f"{prefix}{i}-{k}@example.org",
               "organisation": f"Bench organisation {i}-{k}", "country": "KE",
               "stakeholder_group": "civil_society", "regional_group": "african", "gender": g,
               "timezone": "Africa/Nairobi", "participation": part}
              for k, (r, g, part) in enumerate(roles)]
    return {"title": f"Bench proposal {i}", "description": "A benchmark proposal. " * 10,
            "policy_questions": ["What works?"], "theme_id": theme, "session_type": "workshop",
            "duration_min": 90, "format": "roundtable", "layout": "u_shape", "sdgs": [9, 17],
            "expected_outcomes": "A report.", "hybrid_plan": "One queue for the room and online.",
            "first_time": True, "participants": people}


tokens = []
print(f"registering {clients} proposers ...", file=sys.stderr)
for i in range(clients):
    body = {"email": f"{prefix}{i}@example.org", "name": f"Bench {i}", "password": "bench password 1"}
    call(c, "POST", "/auth/register", body)
    s, r, _, _ = call(c, "POST", "/auth/login", {"email": body["email"], "password": body["password"]})
    assert s == 200, r
    tokens.append(r["access_token"])

lat = {"create": [], "edit": [], "submit": []}
bad = []
accepted = {}
lock = threading.Lock()
barrier = threading.Barrier(clients)


def client(i):
    c = conn(i)
    tok = tokens[i]
    barrier.wait()
    s, r, etag, t = call(c, "POST", f"/meetings/{mid}/proposals", proposal(i), tok)
    with lock:
        lat["create"].append(t)
    if s != 201:
        bad.append(("create", s, r))
        return
    pid = r["id"]
    title = None
    for k in range(edits):
        new = f"Bench proposal {i} edit {k}"
        s, r, e, t = call(c, "PATCH", f"/proposals/{pid}", {"title": new}, tok, {"if-match": etag})
        with lock:
            lat["edit"].append(t)
        if s != 200:
            bad.append(("edit", s, r))
            return
        etag, title = e, new
    s, r, _, t = call(c, "POST", f"/proposals/{pid}/submit", {}, tok)
    with lock:
        lat["submit"].append(t)
    if s != 200:
        bad.append(("submit", s, r))
        return
    accepted[pid] = (i, tok, title)


threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - start
total = sum(len(v) for v in lat.values())
print(f"{clients} clients on {len(ports)} instance(s), {total} writes in {wall:.1f} s: "
      f"{total / wall:,.0f} writes/s")
print("| request | count | p50 (ms) | p99 (ms) |")
print("| --- | --- | --- | --- |")
for kind, v in lat.items():
    v = sorted(v)
    if v:
        p99 = v[min(len(v) - 1, int(round(0.99 * (len(v) - 1))))]
        print(f"| {kind} | {len(v)} | {statistics.median(v) * 1000:.1f} | {p99 * 1000:.1f} |")
lost = 0
readers = [conn(k) for k in range(len(ports))]
for pid, (i, tok, title) in accepted.items():
    s, r, _, _ = call(readers[(i + 1) % len(ports)], "GET", f"/proposals/{pid}", token=tok)
    if s != 200 or r["title"] != title or r["status"] != "submitted":
        lost += 1
print(f"refused or failed: {len(bad)}; accepted proposals read back wrong: {lost}")
for b in bad[:5]:
    print("  ", b)
sys.exit(1 if bad or lost else 0)
