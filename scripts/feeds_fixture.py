"""Builds a published 300-session meeting in a running service for the feed benchmark:
five days of five slots in 14 rooms, each session with a moderator and three speakers
(public names and organisations, one online), solved and published over the API.
Prints the meeting id."""
import datetime as dt
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from igf_api import Api  # noqa: E402

port, sessions = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300
api = Api(port)
api.login("secretariat@demo.igf.test", "igf-demo-password")
now = dt.datetime.now(dt.timezone.utc)
themes = ["Digital trust and security", "Universal access", "Human rights and freedoms",
          "AI and emerging technologies", "Sustainability", "Governance of data"]
m = api.call("POST", "/meetings", {
    "name": "Feed benchmark", "year": 2027, "venue": "Riyadh", "timezone": "Asia/Riyadh",
    "first_day": "2027-12-06", "last_day": "2027-12-10",
    "cfp_opens_at": (now - dt.timedelta(days=2)).isoformat(),
    "cfp_closes_at": (now - dt.timedelta(days=1)).isoformat(),
    "themes": [{"name": t, "target_share": 1 / len(themes)} for t in themes],
    "rooms": [{"name": f"Workshop room {i}", "capacity": 200, "hybrid": True, "layout": "classroom"}
              for i in range(1, 15)],
    "slot_template": [{"start": s, "duration_min": d} for s, d in
                      [("09:00", 90), ("11:00", 90), ("13:30", 60), ("15:00", 90), ("17:00", 60)]],
    "published": True})
mid = m["id"]
theme_ids = [t["id"] for t in api.call("GET", f"/meetings/{mid}")["themes"]]
for i in range(sessions):
    people = [{"role": "onsite_moderator", "name": f"Moderator {i}", "organisation": "Civil society network"}]
    people += [{"role": "speaker", "name": f"Speaker {i}-{k} Ñandú", "organisation": f"Organisation {k}, Inc.",
                "participation": "online" if k == 2 else "onsite", "timezone": "Africa/Nairobi"}
               for k in range(3)]
    api.call("POST", f"/meetings/{mid}/sessions", {
        "session_type": "workshop", "title": f"Workshop {i}: data, trust; and the open Internet",
        "description": "How multistakeholder cooperation can keep the Internet open, secure and "
                       "interoperable. " * 4,
        "theme_id": theme_ids[i % len(theme_ids)], "duration_min": 60, "expected_attendance": 80,
        "hybrid": True, "join_url": f"https://meet.example.net/igf-{i}", "people": people})
job = api.call("POST", f"/meetings/{mid}/schedules", {"time_limit_seconds": 5})
while job["status"] in ("queued", "running"):
    time.sleep(0.2)
    job = api.call("GET", f"/schedule-jobs/{job['id']}")
assert job["status"] == "succeeded", job
api.call("POST", f"/schedules/{job['version_id']}/publish", {})
print(mid)
