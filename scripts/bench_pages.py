"""The cost of a page's first render after a change, for scripts/bench-pages.sh: signs in
as the demo's secretariat, then COUNT times edits a session's title over the API (which
bumps the meeting's feed revision) and times the first GET of each page after it, on a
new connection, checking that the page changed (a new ETag). Prints one table row a page.

Usage: bench_pages.py PORT COUNT SESSION_ID PATH...
"""
import http.client
import statistics
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from igf_api import Api  # noqa: E402

# src/demo/mod.rs: SECRETARIAT_EMAIL, DEMO_PASSWORD
EMAIL = "secretariat@demo.igf.test"
PASSWORD = "igf-demo-password"


def get(port, path):
    """(milliseconds, status, ETag, bytes) of one GET on a new connection."""
    c = http.client.HTTPConnection("127.0.0.1", port)
    start = time.perf_counter()
    c.request("GET", path, headers={"Accept-Encoding": "gzip"})
    r = c.getresponse()
    body = r.read()
    ms = (time.perf_counter() - start) * 1000
    c.close()
    return ms, r.status, r.getheader("ETag"), len(body)


def main():
    port, count, session, paths = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    api = Api(port)
    api.login(EMAIL, PASSWORD)
    title = api.call("GET", f"/sessions/{session}")["title"]
    edit = 0
    for path, name in zip(paths[::2], paths[1::2]):
        firsts, again = [], []
        for _ in range(count):
            _, _, before, _ = get(port, path)  # rendered for the current revision
            edit += 1
            api.call("PATCH", f"/sessions/{session}", {"title": f"{title} (edit {edit})"})
            ms, status, etag, _ = get(port, path)
            if status != 200 or etag == before:
                sys.exit(f"{path}: after the edit {status}, ETag {etag} (before {before})")
            firsts.append(ms)
            again.append(get(port, path)[0])  # the same page, already rendered
        print(f"| {name} | {statistics.median(firsts):.1f} ms | {max(firsts):.1f} ms "
              f"| {statistics.median(again):.1f} ms |")
    api.call("PATCH", f"/sessions/{session}", {"title": title})


if __name__ == "__main__":
    main()
