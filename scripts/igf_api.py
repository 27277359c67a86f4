"""A tiny client of the igf-scheduler API for the scripts (standard library only)."""
import datetime as dt
import json
import time
import urllib.error
import urllib.request


class Api:
    """Calls one running service; `token` is sent when set."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.token = None

    def call(self, method, path, body=None, raw=False):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        req.add_header("content-type", "application/json")
        if self.token:
            req.add_header("authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req) as r:
                data = r.read()
                return data.decode() if raw else json.loads(data or b"null")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode()}") from None

    def login(self, email, password):
        self.token = self.call("POST", "/auth/login", {"email": email, "password": password})["access_token"]

    def meeting_across(self, name, first, last, slots, pin):
        """A published meeting of our own in Oslo over a clock change, six sessions, the
        first pinned to the slot that starts at the venue-local time `pin`."""
        now = dt.datetime.now(dt.timezone.utc)
        m = self.call("POST", "/meetings", {
            "name": name, "year": int(first[:4]), "venue": "Oslo", "timezone": "Europe/Oslo",
            "first_day": first, "last_day": last,
            "cfp_opens_at": (now - dt.timedelta(days=2)).isoformat(),
            "cfp_closes_at": (now - dt.timedelta(days=1)).isoformat(),
            "themes": [{"name": "Trust", "target_share": 1.0}],
            "rooms": [{"name": "Hall", "capacity": 500, "hybrid": True, "layout": "theater"}],
            "slot_template": slots,
            "published": True})
        sessions = [self.call("POST", f"/meetings/{m['id']}/sessions", {
            "session_type": "workshop", "title": f"Session {i}, part; one", "duration_min": 60,
            "expected_attendance": 100, "hybrid": True}) for i in range(6)]
        slot = next(s for s in self.call("GET", f"/meetings/{m['id']}/slots")["items"]
                    if s["starts_at"]["local"].startswith(pin))
        room = m["rooms"][0]["id"]
        self.call("PATCH", f"/sessions/{sessions[0]['id']}", {"pin": {"room_id": room, "slot_id": slot["id"]}})
        job = self.call("POST", f"/meetings/{m['id']}/schedules", {"time_limit_seconds": 1})
        while job["status"] in ("queued", "running"):
            time.sleep(0.2)
            job = self.call("GET", f"/schedule-jobs/{job['id']}", None)
        assert job["status"] == "succeeded" and not job["unplaced"], job
        self.call("POST", f"/schedules/{job['version_id']}/publish", {})
        programme = self.call("GET", f"/meetings/{m['id']}/programme")
        there = [s for s in programme["sessions"] if s["starts_at"].startswith(pin)]
        assert there, f"nothing starts at {pin}"
        return m["id"]
