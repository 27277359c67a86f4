"""Drives scripts/bench-abuse.sh: the requests a hostile client can send cheaply,
at once, against a running service, and the service's memory after each wave.

Usage: bench_abuse.py PORT PID SECRETARIAT_EMAIL PASSWORD
"""
import concurrent.futures as cf
import datetime as dt
import json
import sys
import time
import urllib.error
import urllib.request

port, pid, sec_email, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}/api/v1"


def call(method, path, body=None, token=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def rss():
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return {k: int(fields[k].split()[0]) // 1024 for k in ("VmRSS", "VmHWM")}


def wave(name, n, fn):
    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(max_workers=n) as ex:
        results = list(ex.map(fn, range(n)))
    secs = time.monotonic() - t0
    statuses = {}
    sizes = []
    for s, body in results:
        statuses[s] = statuses.get(s, 0) + 1
        sizes.append(len(body))
    m = rss()
    print(f"| {name} | {n} | {dict(sorted(statuses.items()))} | {max(sizes):,} | {secs:.1f} s | {m['VmRSS']} MiB | {m['VmHWM']} MiB |")
    return results


start = rss()
print(f"server at start: VmRSS {start['VmRSS']} MiB, VmHWM {start['VmHWM']} MiB")
print()
print("| wave | requests at once | statuses | largest body (bytes) | took | VmRSS after | VmHWM after |")
print("| --- | --- | --- | --- | --- | --- | --- |")
s, body = call("POST", "/auth/login", {"email": sec_email, "password": password})
assert s == 200, body
sec = json.loads(body)["access_token"]
now = dt.datetime.now(dt.timezone.utc)
meeting = {
    "name": f"Abuse bench {int(time.time())}", "year": 2027, "venue": "Lillestrøm",
    "timezone": "Europe/Oslo", "day_zero": "2027-06-21", "first_day": "2027-06-22",
    "last_day": "2027-06-24",
    "cfp_opens_at": (now - dt.timedelta(days=10)).isoformat(),
    "cfp_closes_at": (now + dt.timedelta(days=30)).isoformat(),
    "themes": [{"name": "Digital trust", "target_share": 0.5}, {"name": "Universal access", "target_share": 0.5}],
    "rooms": [{"name": "Plenary", "capacity": 1000, "hybrid": True, "layout": "theater"}],
    "slot_template": [{"start": "09:00", "duration_min": 90}], "published": True,
}
s, body = call("POST", "/meetings", meeting, sec)
assert s == 201, body
m = json.loads(body)
theme = m["themes"][0]["id"]

for n in (64, 128):
    wave(f"register (a hash each)", n, lambda i, n=n: call("POST", "/auth/register", {
        "email": f"abuse{n}-{i}@example.org", "name": "Abuser", "password": "a long enough password"}))

wave("sign in with a wrong password", 128, lambda i: call("POST", "/auth/login", {
    "email": f"abuse128-{i}@example.org", "password": "not the password at all"}))

s, body = call("POST", "/auth/login", {"email": "abuse64-0@example.org", "password": "a long enough password"})
prop = json.loads(body)["access_token"] if s == 200 else sec
bad = {"title": "x", "theme_id": theme, "session_type": "workshop", "duration_min": 90,
       "sdgs": [99] * 480_000}
raw = json.dumps(bad).encode()
print(f"\n(the proposal body below is {len(raw):,} bytes: 480,000 bad `sdgs`)\n")
print("| wave | requests at once | statuses | largest body (bytes) | took | VmRSS after | VmHWM after |")
print("| --- | --- | --- | --- | --- | --- | --- |")
wave("proposal with 480,000 bad sdgs", 4, lambda i: call("POST", f"/meetings/{m['id']}/proposals", token=prop, raw=raw))
people = {"title": "x", "theme_id": theme, "session_type": "workshop", "duration_min": 90,
          "participants": [{"role": "speaker", "name": "", "email": "no", "timezone": "Nowhere/Land",
                            "gender": "x", "participation": "x"}] * 5000}
raw2 = json.dumps(people).encode()
wave(f"proposal with 5,000 bad people ({len(raw2):,} bytes)", 4,
     lambda i: call("POST", f"/meetings/{m['id']}/proposals", token=prop, raw=raw2))
wave("agendas", 64, lambda i: call("POST", f"/meetings/{m['id']}/agendas", {"name": "mine"}))
end = rss()
print(f"\nserver at the end: VmRSS {end['VmRSS']} MiB, peak (VmHWM) {end['VmHWM']} MiB")
