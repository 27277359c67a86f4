"""Email through a real SMTP server (aiosmtpd), read back with Python's email package.

The demo is loaded first with no mail configured, so its events wait in the outbox:
each proposal received, each outcome, each evaluator's new proposals. Then the
service starts with an SMTP server, which takes each message slowly; the service is
killed (SIGKILL) part way, started again, and left to finish. Every message the API
lists as sent must have arrived exactly once, whole (both parts, the right headers),
to its one recipient and no one else; one address the server refuses for good ends
as failed, with the server's reason, and never arrives.

With a PostgreSQL server (a third argument, postgres://user@host:port/postgres whose
role may create a database), the same runs on a fresh database of that server with two
instances: the first is killed mid-send, and the second, started then, takes over the
message in hand while the first runs again beside it.

Usage: python3 tests/mail/mail.py BINARY WORKDIR [POSTGRES_URL]
"""
import asyncio
import email
import email.policy
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

from aiosmtpd.controller import Controller

binary, work = sys.argv[1], sys.argv[2]
server = sys.argv[3] if len(sys.argv) > 3 else None
os.makedirs(work, exist_ok=True)
for f in os.listdir(work):
    os.remove(os.path.join(work, f))
failures = []
if server:
    name = f"igf_mail_{os.getpid()}"
    subprocess.run(["psql", "-q", server, "-c", f"CREATE DATABASE {name}"], check=True)
    db = server.rsplit("/", 1)[0] + "/" + name
else:
    db = os.path.join(work, "mail.db")


def sql(query, *args):
    """The first column of the first row a query gives."""
    if server:
        q = query.replace("?", "'{}'").format(*args)
        out = subprocess.run(["psql", "-tAq", db, "-c", q], check=True, capture_output=True, text=True)
        return out.stdout.strip().splitlines()[0]
    with sqlite3.connect(db) as c:
        return c.execute(query, args).fetchone()[0]


def check(cond, message):
    print(("ok   " if cond else "FAIL ") + message, flush=True)
    if not cond:
        failures.append(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The demo, with no mail configured: its messages wait.
env = dict(os.environ, IGF_DATABASE_URL=db, RUST_LOG="warn",
           IGF_JWT_SECRET="mail-test-secret-0123456789-abcdefghij")
for k in list(env):
    if k.startswith("IGF_SMTP") or k == "IGF_MAIL_FROM":
        del env[k]
subprocess.run([binary, "demo"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
waiting = int(sql("SELECT count(*) FROM outbox WHERE state = 'queued'"))
kinds = {k: int(sql("SELECT count(*) FROM outbox WHERE kind = ?", k))
         for k in ["submitted", "outcome", "schedule", "assignments"]}
refused = sql("SELECT recipient FROM outbox WHERE kind = 'assignments' ORDER BY id LIMIT 1")
refused_n = int(sql("SELECT count(*) FROM outbox WHERE recipient = ?", refused))
print(f"on {'PostgreSQL' if server else 'SQLite'}, the demo left {waiting} messages waiting: {kinds}")
check(waiting == sum(kinds.values()) and all(kinds.values()),
      "every kind of message waits in the outbox while mail is off")


KILL_AT = 20


class Inbox:
    """Keeps each message the server accepted; refuses one address for good; takes
    its time, and accepts nothing from a client that went away meanwhile. The
    message after the first KILL_AT is held for a second and `mid_send` is set, so
    that the service is killed in the middle of sending it."""

    def __init__(self):
        self.got = []
        self.lock = threading.Lock()
        self.mid_send = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if len(self.got) == KILL_AT and not self.mid_send.is_set():
            self.mid_send.set()
            await asyncio.sleep(1)
        else:
            await asyncio.sleep(0.01)
        if server.transport is None or server.transport.is_closing():
            return "451 4.3.0 the client went away"
        with self.lock:
            self.got.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


inbox = Inbox()
smtp_port = free_port()
controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
controller.start()

ports = [free_port(), free_port()]
base = f"http://127.0.0.1:{ports[0]}"
serve_env = dict(env, IGF_SMTP_HOST="127.0.0.1", IGF_SMTP_PORT=str(smtp_port), IGF_SMTP_TLS="none",
                 IGF_MAIL_FROM="IGF Secretariat <secretariat@igf.test>", IGF_OUTBOX_POLL_MS="100",
                 IGF_OUTBOX_LEASE_SECONDS="3", IGF_PUBLIC_URL="https://igf.test")
log = open(os.path.join(work, "service.log"), "a")


def start(port):
    p = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], env=serve_env,
                         stdout=log, stderr=log)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return p
        except Exception:
            time.sleep(0.1)
    raise SystemExit("the service did not start")


def addresses_in(text):
    return set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))


def api(path, token=None, body=None):
    req = urllib.request.Request(base + "/api/v1" + path, data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.load(r)


service = start(ports[0])
# Killed part way, in the middle of sending a message: some sent, most not.
check(inbox.mid_send.wait(120), "the service began sending")
service.send_signal(signal.SIGKILL)
service.wait()
before = len(inbox.got)
print(f"killed the service after {before} messages arrived")
check(before < waiting, "the service was killed with messages still in the outbox")
# On PostgreSQL a second instance starts first, then the first again beside it.
second = start(ports[1]) if server else None
service = start(ports[0])
token = api("/auth/login", body={"email": "secretariat@demo.igf.test", "password": "igf-demo-password"})["access_token"]
meeting = next(m["id"] for m in api("/meetings", token)["items"] if "call open" not in m["name"])


def listed(state):
    items, page = [], 1
    while True:
        r = api(f"/meetings/{meeting}/messages?state={state}&per_page=200&page={page}", token)
        items += r["items"]
        if len(items) >= r["total"]:
            return items
        page += 1


deadline = time.time() + 600
while time.time() < deadline:
    if not listed("queued") and not listed("sending"):
        break
    time.sleep(0.5)
sent, failed = listed("sent"), listed("failed")

# A report reminder: a meeting of our own, held twelve days ago, whose full reports
# are due within three days. Once it is published, the service (started again, so it
# sweeps at once) owes each organiser one reminder, which arrives with the deadline.
import datetime as dt  # noqa: E402
now = dt.datetime.now(dt.timezone.utc)
held_day = str((now - dt.timedelta(days=12)).date())
held = api("/meetings", token, {
    "name": f"Held mail meeting {os.getpid()}", "year": now.year, "venue": "Accra",
    "timezone": "Africa/Accra", "first_day": held_day, "last_day": held_day,
    "cfp_opens_at": (now - dt.timedelta(days=100)).isoformat(),
    "cfp_closes_at": (now - dt.timedelta(days=60)).isoformat(),
    "themes": [{"name": "Access"}],
    "rooms": [{"name": "Hall", "capacity": 300, "hybrid": True, "layout": "theater"}],
    "slot_template": [{"start": "09:00", "duration_min": 90}], "published": True})
organiser = "kwame.organiser@example.org"
api(f"/meetings/{held['id']}/sessions", token, {
    "session_type": "workshop", "title": "Fibre to the villages", "duration_min": 90,
    "expected_attendance": 40, "hybrid": False, "theme_id": held["themes"][0]["id"],
    "people": [{"role": "organiser", "name": "Kwame Organiser", "email": organiser,
                "organisation": "Mesh", "country": "GH", "stakeholder_group": "civil_society",
                "regional_group": "african", "gender": "male", "timezone": "Asia/Tokyo",
                "participation": "onsite"}]})
job = api(f"/meetings/{held['id']}/schedules", token, {"time_limit_seconds": 1})
for _ in range(200):
    job = api(f"/schedule-jobs/{job['id']}", token)
    if job["status"] not in ("queued", "running"):
        break
    time.sleep(0.2)
api(f"/schedules/{job['version_id']}/publish", token, {})
service.send_signal(signal.SIGTERM)
service.wait(timeout=30)
service = start(ports[0])
deadline = time.time() + 120
due = []
while time.time() < deadline:
    held_messages = api(f"/meetings/{held['id']}/messages?per_page=50", token)["items"]
    due = [m for m in held_messages if m["kind"] == "report_due"]
    if due and all(m["state"] == "sent" for m in held_messages):
        break
    time.sleep(0.5)
held_ids = {m["id"] for m in held_messages}
held_mail = {}
kept = []
for rcpts, raw in inbox.got:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    mid = re.fullmatch(r"<outbox-(\d+)@igf\.test>", msg["Message-ID"] or "")
    if mid and int(mid.group(1)) in held_ids:
        held_mail[int(mid.group(1))] = (rcpts, msg)
    else:
        kept.append((rcpts, raw))
inbox.got[:] = kept
check(len(due) == 1 and due[0]["recipient"] == organiser and due[0]["state"] == "sent",
      f"a report due soon owes its organiser one reminder, sent: {[(m['recipient'], m['state']) for m in due]}")
if due and due[0]["id"] in held_mail:
    rcpts, msg = held_mail[due[0]["id"]]
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    check(rcpts == [organiser] and "Fibre to the villages" in msg["Subject"]
          and f"https://igf.test/desk/meetings/{held['id']}/reports" in text
          and f"https://igf.test/desk/meetings/{held['id']}/reports" in html
          and "(Asia/Tokyo)" in text,
          f"the reminder arrived to the organiser alone, with the deadline in their zone: {msg['Subject']}")
else:
    check(False, "the report reminder arrived")

# An account's own messages, on the running service: the link that confirms a new
# address, the word to the holder of a taken one, and a password-reset link; each
# link is followed from the email as it arrived, and the outbox keeps no live link
# once it is sent.
demo_arrived = len(inbox.got)
holders = [a for a in (f"mag{i:02}@demo.igf.test" for i in range(2, 10)) if a != refused][:2]
newcomer = "new.person@example.org"
api("/auth/register", body={"email": newcomer, "name": "New Person", "password": "a new person's password"})
api("/auth/register", body={"email": holders[0], "name": "Someone Else", "password": "someone else's password"})
api("/auth/password-reset", body={"email": holders[1]})
deadline = time.time() + 120
while time.time() < deadline and len(inbox.got) < demo_arrived + 3:
    time.sleep(0.2)
account_mail = {}
for rcpts, raw in inbox.got[demo_arrived:]:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    account_mail[tuple(rcpts)] = msg
del inbox.got[demo_arrived:]
check(set(account_mail) == {(newcomer,), (holders[0],), (holders[1],)},
      f"each account message reached its one recipient: {sorted(account_mail)}")


def plain(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_part(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


confirm = account_mail.get((newcomer,))
link = re.search(r"https://igf\.test/desk/confirm\?token=([0-9a-f]{64})", plain(confirm) if confirm else "")
check(confirm is not None and confirm["Subject"] == "Confirm your email address" and link
      and link.group(0) in html_part(confirm), "a new account is sent its confirmation link, in both parts")
if link:
    signed = api("/auth/confirm-email", body={"token": link.group(1), "password": "a new person's password"})
    check(signed["user"]["email_confirmed"] is True, "the link from the email confirms the address and signs in")
    check(link.group(1) not in sql("SELECT data FROM outbox WHERE kind = 'confirm_email'"),
          "the sent confirmation keeps no live link in the outbox")
exists = account_mail.get((holders[0],))
check(exists is not None and "token=" not in plain(exists) and "https://igf.test/desk/forgot" in plain(exists),
      "the holder of a taken address is told, with no link that changes anything")
reset = account_mail.get((holders[1],))
link = re.search(r"https://igf\.test/desk/reset\?token=([0-9a-f]{64})", plain(reset) if reset else "")
check(reset is not None and link and link.group(0) in html_part(reset), "a reset link arrives in both parts")
if link:
    api("/auth/password-reset/confirm", body={"token": link.group(1), "password": "a fresh password here"})
    again = api("/auth/login", body={"email": holders[1], "password": "a fresh password here"})
    check(again["user"]["email"] == holders[1], "the reset link from the email sets the new password")
others = {a for m in account_mail.values() for a in addresses_in(plain(m) + html_part(m))} - {
    newcomer, *holders}
check(not others, f"no account message names another address: {others}")
senders = int(sql("SELECT count(DISTINCT leased_by) FROM outbox WHERE state = 'sent'"))
check(senders >= (3 if server else 2), f"the messages were sent by {senders} instance runs, each its share")
for p in [service, second]:
    if p:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
controller.stop()
if server:
    subprocess.run(["psql", "-q", server, "-c", f"DROP DATABASE {name}"], check=False)

print(f"{len(sent)} sent, {len(failed)} failed, {len(inbox.got)} arrived")
check(len(sent) + len(failed) == waiting, "every message waiting ended sent or failed")
check(len(failed) == refused_n and all(m["recipient"] == refused for m in failed),
      f"the {refused_n} message(s) to the refused address ended failed, and only those")
check(all("550" in (m["last_error"] or "") for m in failed), "a failed message says the server's reason")
check(all(m["attempts"] == 1 for m in failed), "a permanent refusal is not tried again")
again = [m for m in sent if m["attempts"] != 1]
check(len(again) == 1 and again[0]["attempts"] == 2,
      f"the message in hand at the kill was taken again once its lease ran out: {[(m['id'], m['attempts']) for m in again]}")

by_id = {}
for rcpts, raw in inbox.got:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    mid = re.fullmatch(r"<outbox-(\d+)@igf\.test>", msg["Message-ID"] or "")
    if mid:
        by_id.setdefault(int(mid.group(1)), []).append((rcpts, msg))
check(sum(len(v) for v in by_id.values()) == len(inbox.got), "every Message-ID names its outbox message")
twice = [i for i, v in by_id.items() if len(v) > 1]
check(not twice, f"no message arrived twice (twice: {twice[:5]})")
check(set(by_id) == {m["id"] for m in sent}, "what arrived is exactly what the API lists as sent")
check(refused not in {r for rcpts, _ in inbox.got for r in rcpts}, "nothing reached the refused address")

addresses = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
seen_kinds = set()
bad = []
for m in sent:
    got = by_id.get(m["id"])
    if not got:
        continue
    rcpts, msg = got[0]
    seen_kinds.add(m["kind"])
    parts = {p.get_content_type(): p.get_content() for p in msg.walk() if not p.is_multipart()}
    text, html = parts.get("text/plain", ""), parts.get("text/html", "")
    problems = []
    if rcpts != [m["recipient"]] or msg["To"].addresses[0].addr_spec != m["recipient"] or len(msg["To"].addresses) != 1:
        problems.append(f"recipients {rcpts} / {msg['To']}")
    if msg["Cc"] or msg["Bcc"]:
        problems.append("copies")
    if msg["From"].addresses[0].addr_spec != "secretariat@igf.test":
        problems.append(f"from {msg['From']}")
    if msg["Subject"] != m["subject"]:
        problems.append(f"subject {msg['Subject']!r} vs {m['subject']!r}")
    if msg["Auto-Submitted"] != "auto-generated":
        problems.append("no Auto-Submitted")
    if msg.get_content_type() != "multipart/alternative" or not text or "<html" not in html:
        problems.append(f"parts {msg.get_content_type()} {list(parts)}")
    if "https://igf.test/" not in text or 'href="https://igf.test/' not in html:
        problems.append("no link to the service at its public address")
    others = {a for a in addresses.findall(text + html) if a != m["recipient"]}
    if others:
        problems.append(f"other addresses {others}")
    if problems:
        bad.append((m["id"], m["kind"], problems))
check(not bad, f"every message is whole and only its recipient's (problems: {bad[:3]})")
check(seen_kinds == set(kinds), f"every kind arrived: {sorted(seen_kinds)}")

# One of each, as read, for the record.
for kind in kinds:
    m = next(x for x in sent if x["kind"] == kind)
    msg = by_id[m["id"]][0][1]
    body = msg.get_body(preferencelist=("plain",)).get_content().strip().splitlines()
    print(f"--- {kind}: {msg['Subject']}\n    " + "\n    ".join(body[:6]))

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print(f"email on {'PostgreSQL with two instances' if server else 'SQLite'}: all checks passed")
