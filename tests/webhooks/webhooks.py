"""Webhooks as a receiver sees them, verified with the `standardwebhooks` package (PyPI),
not with the service's own code.

A meeting of our own on a fresh SQLite database; four endpoints on a local receiver:
one that answers at once, one that fails its first try (500), one too slow for its
first try (a timeout), and one that always fails (disabled after three in a row).
Sessions are changed and cancelled; every delivery must verify, the retries must come,
the log must say what happened, a redelivery must carry the same webhook-id, and
addresses that are private, or plain http without leave, must be refused.

Usage: python3 tests/webhooks/webhooks.py BINARY WORKDIR
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
db = os.path.join(work, "hooks.db")
failures = []


def check(cond, message):
    print(("ok   " if cond else "FAIL ") + message, flush=True)
    if not cond:
        failures.append(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


secrets = {}  # path -> secret, once the endpoints are made
got = []  # (path, headers, body, verified payload or the error)
tries = {}  # (path, webhook-id) -> requests seen
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        path = self.path
        headers = {k: v for k, v in self.headers.items()}
        key = (path, headers.get("webhook-id"))
        with lock:
            n = tries[key] = tries.get(key, 0) + 1
        if path == "/flaky" and n == 1:
            self.send_response(500)
            self.end_headers()
            return
        if path == "/slow" and n == 1:
            time.sleep(3)
        if path == "/down":
            self.send_response(503)
            self.end_headers()
            return
        try:
            payload = Webhook(secrets[path]).verify(body, headers)
        except (WebhookVerificationError, KeyError) as e:
            payload = e
        with lock:
            got.append((path, headers, body, payload))
        self.send_response(204)
        self.end_headers()


receiver = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
hook = f"http://127.0.0.1:{receiver.server_address[1]}"

port = free_port()
base = f"http://127.0.0.1:{port}"
env = dict(os.environ, IGF_DATABASE_URL=db, RUST_LOG="warn", IGF_OUTBOX_POLL_MS="100",
           IGF_OUTBOX_RETRY_BASE_SECONDS="1", IGF_WEBHOOK_TIMEOUT_SECONDS="1",
           IGF_WEBHOOK_DISABLE_AFTER="3", IGF_WEBHOOK_PRIVATE_ADDRESSES="127.0.0.1")
subprocess.run([binary, "users", "add", "--email", "sec@hooks.test", "--name", "Hook Secretariat",
                "--role", "secretariat"], env=dict(env, IGF_PASSWORD="hooks password 1"), check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
log = open(os.path.join(work, "service.log"), "w")
service = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=log)


def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + "/api/v1" + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


try:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    token = call("POST", "/auth/login", {"email": "sec@hooks.test", "password": "hooks password 1"})[1]["access_token"]
    st, m = call("POST", "/meetings", {
        "name": "Hooks Forum 2028", "year": 2028, "venue": "Accra", "timezone": "Africa/Accra",
        "day_zero": "2028-05-01", "first_day": "2028-05-02", "last_day": "2028-05-03",
        "cfp_opens_at": "2027-11-01T00:00:00Z", "cfp_closes_at": "2028-02-01T12:00:00Z",
        "themes": [{"name": "Access"}], "rooms": [{"name": "Volta", "capacity": 100, "hybrid": True, "layout": "theater"}],
        "slot_template": [{"start": "09:00", "duration_min": 90}], "published": True}, token)
    mid = m["id"]
    sessions = [call("POST", f"/meetings/{mid}/sessions", {"session_type": "workshop", "title": t, "duration_min": 90,
                                                            "expected_attendance": 40}, token)[1]["id"]
                for t in ["Community networks", "Data flows"]]

    # Refused: plain http without leave, a private address the configuration does not
    # name, an event that is none; each by its field and rule.
    refused = [
        ({"url": f"{hook}/ok", "events": ["session.changed"]}, ("url", "https")),
        ({"url": "https://10.1.2.3/hook", "events": ["session.changed"]}, ("url", "public_address")),
        ({"url": "http://127.0.0.2:9/hook", "events": ["session.changed"], "allow_http": True}, ("url", "public_address")),
        ({"url": "https://hooks.example.org/x", "events": ["session.moved"]}, ("events[0]", "one_of")),
    ]
    for body, (field, rule) in refused:
        st, problem = call("POST", f"/meetings/{mid}/webhooks", body, token)
        rules = [(e["field"], e["rule"]) for e in (problem or {}).get("errors", [])]
        check(st == 422 and (field, rule) in rules, f"{body['url']} {body['events']} refused: {st} {rules}")

    endpoints = {}
    for path, events in [("/ok", ["session.changed", "session.cancelled"]), ("/flaky", ["session.changed"]),
                         ("/slow", ["session.changed"]), ("/down", ["session.changed"])]:
        st, e = call("POST", f"/meetings/{mid}/webhooks", {"url": hook + path, "events": events, "allow_http": True}, token)
        check(st == 201 and e["secret"].startswith("whsec_"), f"{path} registered with its secret")
        secrets[path] = e["secret"]
        endpoints[path] = e["id"]
    st, one = call("GET", f"/webhooks/{endpoints['/ok']}", None, token)
    check("secret" not in one, "the secret is not shown again")

    call("PATCH", f"/sessions/{sessions[0]}", {"title": "Community networks in rural Ghana"}, token)
    call("PATCH", f"/sessions/{sessions[1]}", {"status": "cancelled"}, token)

    def wait(cond, what, seconds=40):
        end = time.time() + seconds
        while time.time() < end:
            if cond():
                return True
            time.sleep(0.2)
        check(False, f"waited for {what}")
        return False

    wait(lambda: sum(1 for g in got if g[0] == "/ok") >= 2 and any(g[0] == "/flaky" for g in got)
         and any(g[0] == "/slow" for g in got), "the deliveries")
    wait(lambda: not call("GET", f"/webhooks/{endpoints['/down']}", None, token)[1]["active"], "/down to be disabled")

    verified = [g for g in got if isinstance(g[3], dict)]
    check(len(verified) == len(got) and got, f"every delivery verifies with standardwebhooks ({len(got)})")
    ok = {g[3]["type"]: g for g in got if g[0] == "/ok"}
    check(set(ok) == {"session.changed", "session.cancelled"}, f"/ok got both events: {sorted(ok)}")
    changed = ok.get("session.changed")
    if changed:
        d = changed[3]["data"]
        check(d["session_id"] == sessions[0] and d["title"] == "Community networks in rural Ghana"
              and d["meeting_id"] == mid, f"the payload names the session: {d}")
        check("@" not in changed[2].decode(), "the payload carries no email address")
        # The signature covers the body: a changed body does not verify.
        try:
            Webhook(secrets["/ok"]).verify(changed[2].replace(b"rural", b"urban"), changed[1])
            check(False, "a tampered body is refused")
        except WebhookVerificationError:
            check(True, "a tampered body is refused by the verifier")
    cancelled = ok.get("session.cancelled")
    check(cancelled is not None and cancelled[3]["data"]["status"] == "cancelled", "the cancellation says so")

    def log_of(path):
        return call("GET", f"/webhooks/{endpoints[path]}/deliveries", None, token)[1]["items"][::-1]

    flaky = log_of("/flaky")
    check([d["status"] for d in flaky] == [500, 204] and flaky[1]["attempt"] == 2,
          f"after a 500 the delivery is retried: {[(d['attempt'], d['status']) for d in flaky]}")
    slow = log_of("/slow")
    check(len(slow) >= 2 and slow[0]["status"] is None and slow[0]["error"] and slow[-1]["status"] == 204,
          f"after a timeout it is retried: {[(d['attempt'], d['status'], d['duration_ms']) for d in slow]}")
    check(slow[0]["duration_ms"] >= 900, "the timed-out attempt took about the timeout")
    down = log_of("/down")
    st, d = call("GET", f"/webhooks/{endpoints['/down']}", None, token)
    check(len(down) == 3 and all(x["status"] == 503 for x in down) and not d["active"]
          and "3 failed deliveries in a row" in (d["disabled_reason"] or ""),
          f"an endpoint failing 3 times in a row is disabled with the reason: {d['disabled_reason']}")

    # Redelivery by hand: the same webhook-id again; refused while disabled.
    first = log_of("/ok")[0]
    before = [g[1]["webhook-id"] for g in got if g[0] == "/ok"]
    st, _ = call("POST", f"/webhooks/{endpoints['/ok']}/messages/{first['message_id']}/redeliver", None, token)
    check(st == 202, "a sent message is queued again by hand")
    wait(lambda: sum(1 for g in got if g[0] == "/ok") == 3, "the redelivery")
    again = [g for g in got if g[0] == "/ok"][-1]
    check(again[1]["webhook-id"] == f"msg_{first['message_id']}" and again[1]["webhook-id"] in before
          and isinstance(again[3], dict), "the redelivery carries the same webhook-id and verifies")
    st, problem = call("POST", f"/webhooks/{endpoints['/down']}/messages/{down[0]['message_id']}/redeliver", None, token)
    check(st == 409 and problem["code"] == "disabled", "a disabled endpoint's message is not redelivered")
    st, d = call("PATCH", f"/webhooks/{endpoints['/down']}", {"active": True}, token)
    check(st == 200 and d["active"] and d["failures"] == 0 and d["disabled_reason"] is None,
          "enabling it again forgets its failures")
    st, listed = call("GET", f"/meetings/{mid}/messages?kind=session.changed", None, token)
    check(st == 200 and listed["total"] == 4 and all(x["channel"] == "webhook" for x in listed["items"]),
          "the secretariat sees each delivery owed among the messages")
finally:
    service.terminate()
    service.wait(timeout=30)
    receiver.shutdown()

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("webhooks: all checks passed")
