"""The committee's exports read back by independent readers: Python's csv module and
openpyxl (PyPI), compared row by row with the API's own lists, as each role.

The demo on a fresh SQLite database: the secretariat exports proposals (all, and
filtered), assignments, scores, results, decisions, the programme and a logistics
sheet; an evaluator exports their own assignments and scores, which must hold nobody's
email or gender; a proposer exports their own proposals and is refused the results.
Every XLSX must hold the same rows as its CSV.

Usage: python3 tests/exports/exports.py BINARY WORKDIR
"""
import csv
import io
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import openpyxl

binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []
GENDERS = {"female", "male", "non_binary", "undisclosed"}


def check(cond, message):
    print(("ok   " if cond else "FAIL ") + message, flush=True)
    if not cond:
        failures.append(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
base = f"http://127.0.0.1:{port}"
env = dict(
    os.environ,
    IGF_DATABASE_URL=os.path.join(work, "exports.db"),
    IGF_JWT_SECRET=secrets.token_hex(32),
)
log = open(os.path.join(work, "service.log"), "w")
service = subprocess.Popen(
    [binary, "serve", "--bind", f"127.0.0.1:{port}", "--demo"], env=env, stdout=log, stderr=log
)


def request(path, token=None, body=None):
    req = urllib.request.Request(base + path, method="POST" if body is not None else "GET")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, data, timeout=120) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def api(path, token=None):
    status, _, body = request(path, token)
    assert status == 200, (path, status, body[:300])
    return json.loads(body)


def every(path, token):
    """Every item of a paginated list."""
    out, page = [], 1
    sep = "&" if "?" in path else "?"
    while True:
        got = api(f"{path}{sep}page={page}&per_page=200", token)
        out += got["items"]
        if len(got["items"]) < 200 or len(out) >= got["total"]:
            return out
        page += 1


def login(email):
    status, _, body = request(
        "/api/v1/auth/login", body={"email": email, "password": "igf-demo-password"}
    )
    assert status == 200, body
    return json.loads(body)["access_token"]


def export(path, token=None):
    """The export as CSV and as XLSX, each read back: (header, rows) twice."""
    sep = "&" if "?" in path else "?"
    status, headers, body = request(path, token)
    assert status == 200, (path, status, body[:300])
    ctype = headers.get("Content-Type") or headers.get("content-type")
    check(ctype.startswith("text/csv"), f"{path}: CSV is text/csv ({ctype})")
    disp = headers.get("Content-Disposition") or headers.get("content-disposition") or ""
    check(disp.startswith("attachment") and ".csv" in disp, f"{path}: CSV is a download")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    status, headers, xbody = request(f"{path}{sep}format=xlsx", token)
    assert status == 200, (path, status)
    ctype = headers.get("Content-Type") or headers.get("content-type")
    check("spreadsheetml" in ctype, f"{path}: XLSX has its media type")
    book = openpyxl.load_workbook(io.BytesIO(xbody), read_only=True)
    sheet = book.worksheets[0]
    xrows = [list(r) for r in sheet.iter_rows(values_only=True)]
    same = same_rows(rows, xrows)
    check(same is None, f"{path}: the XLSX holds the CSV's {len(rows) - 1} rows" + (f" ({same})" if same else ""))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def as_csv(v):
    """How a cell read by openpyxl is written in our CSV."""
    if v is None:
        return ""
    if v is True:
        return "yes"
    if v is False:
        return "no"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def same_rows(rows, xrows):
    if len(rows) != len(xrows):
        return f"{len(rows)} CSV rows, {len(xrows)} XLSX rows"
    for i, (a, b) in enumerate(zip(rows, xrows)):
        b = [as_csv(v) for v in b] + [""] * (len(a) - len(b))
        for j, (x, y) in enumerate(zip(a, b)):
            if x == y:
                continue
            # Numbers: CSV writes Rust's shortest form, XLSX a double.
            try:
                if abs(float(x) - float(y)) < 1e-9:
                    continue
            except ValueError:
                pass
            # Text the CSV made inert against formulas.
            if x == "'" + y:
                continue
            return f"row {i} column {rows[0][j]}: {x!r} vs {y!r}"
    return None


def num(x):
    return None if x == "" else float(x)


try:
    for _ in range(600):
        try:
            if request("/health")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    sec = login("secretariat@demo.igf.test")
    meetings = api("/api/v1/meetings?per_page=50", sec)["items"]
    meeting = min(m["id"] for m in meetings)
    m = f"/api/v1/meetings/{meeting}"

    # Proposals: every one, then under two filters, as the API lists them.
    want = every(f"{m}/proposals", sec)
    head, got = export(f"{m}/exports/proposals", sec)
    check([int(r["id"]) for r in got] == [p["id"] for p in want],
          f"proposals: {len(got)} rows, the API's {len(want)} in its order")
    check(all(r["title"] == p["title"] and r["status"] == p["status"] for r, p in zip(got, want)),
          "proposals: titles and statuses as the API's")
    outcomes = {p["id"]: (p["outcome"] or {}).get("outcome", "") for p in want}
    check(all(r["outcome"] == outcomes[int(r["id"])] for r in got), "proposals: outcomes as the API's")
    theme = want[0]["theme_id"]
    filters = f"status=submitted&theme_id={theme}"
    fwant = every(f"{m}/proposals?{filters}", sec)
    _, fgot = export(f"{m}/exports/proposals?{filters}", sec)
    check([int(r["id"]) for r in fgot] == [p["id"] for p in fwant] and 0 < len(fgot) < len(got),
          f"proposals filtered by status and theme: {len(fgot)} rows, as the API's list")
    wrong = []
    for r in got[:25]:
        body = api(f"/api/v1/proposals/{r['id']}/screening", sec)
        problems = [e for e in body["failures"] if e["rule"] != "within_window"]
        if r["screening"] != ("passes" if not problems else "problems"):
            wrong.append(r["id"])
    check(not wrong, f"proposals: the screening state of 25 proposals as the API's screening says {wrong}")
    check(any("@" in r["people"] for r in got), "proposals: the secretariat's export names people's emails")

    # Assignments, scores, results and decisions.
    want = every(f"{m}/evaluation/assignments", sec)
    _, got = export(f"{m}/exports/assignments", sec)
    check(sorted((int(r["proposal_id"]), int(r["evaluator_id"])) for r in got)
          == sorted((a["proposal_id"], a["evaluator_id"]) for a in want),
          f"assignments: the API's {len(want)} pairs")
    want = every(f"{m}/evaluation/scores", sec)
    head, got = export(f"{m}/exports/scores", sec)
    check({(int(r["proposal_id"]), int(r["evaluator_id"])): num(r["overall"]) for r in got}
          == {(s["proposal_id"], s["evaluator_id"]): s["overall"] for s in want},
          f"scores: the API's {len(want)} scores with their overall")
    crit = next(k for k in head if k not in ("proposal_id", "evaluator_id", "evaluator"))
    check(all(num(r[crit]) == s["scores"].get(crit) for r, s in zip(got, want)), f"scores: criterion {crit} as the API's")
    want = every(f"{m}/evaluation/results?sort=mean", sec)
    _, got = export(f"{m}/exports/results?sort=mean", sec)
    check([int(r["proposal_id"]) for r in got] == [x["proposal_id"] for x in want]
          and all(num(r["mean"]) == x["mean"] and int(r["rank"]) == x["rank"] for r, x in zip(got, want)),
          f"results by mean: the API's {len(want)} in rank order with their means")
    want = every(f"{m}/decisions?outcome=approved", sec)
    _, got = export(f"{m}/exports/decisions?outcome=approved", sec)
    check([(int(r["proposal_id"]), r["outcome"], r["reason"]) for r in got]
          == [(d["proposal_id"], d["outcome"], d["reason"]) for d in want] and len(got) > 0,
          f"decisions approved: the API's {len(want)} with their reasons")

    # The programme, anonymously, in a viewer's zone too.
    want = api(f"{m}/programme?tz=America/New_York")["sessions"]
    head, got = export(f"{m}/exports/programme?tz=America/New_York")
    check([(int(r["session_id"]), r["starts_at"], r["starts_at_utc"], r["starts_at_local"], r["room"]) for r in got]
          == [(s["session_id"], s["starts_at"], s["starts_at_utc"], s["starts_at_local"], s["room"]) for s in want],
          f"programme: the API's {len(want)} sessions at its instants, in the venue's zone, UTC and New York")
    check(not any("@" in v for r in got for v in r.values()), "programme: no email")

    # The logistics sheet of the published version.
    version = api(f"{m}/programme")["version_id"]
    sheet = api(f"/api/v1/schedules/{version}/logistics", sec)
    status, _, xbody = request(f"/api/v1/schedules/{version}/logistics?format=xlsx", sec)
    book = openpyxl.load_workbook(io.BytesIO(xbody), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    hdr = rows[0]
    check([(r[hdr.index("session_id")], r[hdr.index("starts_at")], r[hdr.index("captioning")]) for r in rows[1:]]
          == [(x["session_id"], x["starts_at"], x["captioning"]) for x in sheet["rows"]],
          f"logistics XLSX: the sheet's {len(sheet['rows'])} rows with their needs")

    # An evaluator: their own, and nobody's email or gender.
    ev = login("mag01@demo.igf.test")
    want = every(f"{m}/evaluation/assignments", ev)
    head, got = export(f"{m}/exports/assignments", ev)
    check(sorted(int(r["proposal_id"]) for r in got) == sorted(a["proposal_id"] for a in want) and len(got) > 0,
          f"evaluator: their {len(want)} assignments")
    cells = [v for r in got for v in r.values()]
    check(not any("@" in v for v in cells) and "email" not in head and "gender" not in head,
          "evaluator's assignments: no email anywhere")
    words = {w.strip(" ();,") for v in cells for w in v.replace(",", " ").split()}
    check(not (words & GENDERS), f"evaluator's assignments: no gender ({sorted(words & GENDERS)})")
    want = every(f"{m}/evaluation/scores", ev)
    _, got = export(f"{m}/exports/scores", ev)
    me = api("/api/v1/auth/me", ev)["id"]
    check(sorted(int(r["proposal_id"]) for r in got) == sorted(s["proposal_id"] for s in want)
          and {r["evaluator_id"] for r in got} <= {str(me)},
          f"evaluator: their {len(want)} scores only")
    status, _, _ = request(f"{m}/exports/proposals", ev)
    check(status == 403, f"evaluator: the proposals export is refused ({status})")
    status, _, _ = request(f"{m}/exports/assignments?evaluator_id=1", ev)
    check(status == 403, f"evaluator: another's assignments are refused ({status})")

    # A proposer: their own proposals only.
    pr = login("proposer001@demo.igf.test")
    want = every(f"{m}/proposals", pr)
    _, got = export(f"{m}/exports/proposals", pr)
    check([int(r["id"]) for r in got] == [p["id"] for p in want] and len(got) > 0,
          f"proposer: their {len(want)} proposals")
    status, _, _ = request(f"{m}/exports/results", pr)
    check(status == 403, f"proposer: the results export is refused ({status})")
    status, _, body = request(f"{m}/exports/proposals?format=pdf", sec)
    check(status == 422 and json.loads(body)["errors"][0]["field"] == "format",
          "a format that is neither csv nor xlsx: 422 naming the field")
finally:
    service.terminate()
    service.wait(10)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
