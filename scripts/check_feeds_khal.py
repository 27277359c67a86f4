"""Checks a feed with khal, the terminal calendar, as a subscriber in another zone
would: imports it into a throwaway calendar and lists it with the local zone set to
ZONE (TZ too); every event's start and end, read back in that zone, equal the API's
UTC times. Usage: check_feeds_khal.py FEED.ics EXPECTED.json ZONE"""
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import zoneinfo

feed, expected_file, zone_name = sys.argv[1:4]
with open(expected_file) as f:
    expected = {int(k): v for k, v in json.load(f).items()}
zone = zoneinfo.ZoneInfo(zone_name)


def utc(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


with tempfile.TemporaryDirectory() as d:
    os.mkdir(f"{d}/cal")
    conf = f"{d}/config"
    with open(conf, "w") as f:
        f.write(f"""[calendars]
[[feed]]
path = {d}/cal
type = calendar
[locale]
local_timezone = {zone_name}
default_timezone = {zone_name}
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%dT%H:%M
longdatetimeformat = %Y-%m-%dT%H:%M
""")
    env = dict(os.environ, TZ=zone_name)
    subprocess.run(["khal", "-c", conf, "import", "--batch", "-a", "feed", feed],
                   check=True, env=env, capture_output=True)
    out = subprocess.run(["khal", "-c", conf, "list", "--format", "{uid}|{start-long}|{end-long}",
                          "2000-01-01", "20000d"], check=True, env=env, capture_output=True,
                         text=True).stdout
seen = {}
for line in out.splitlines():
    if line.count("|") != 2:
        continue
    uid, start, end = line.split("|")
    sid = int(uid.split("@")[0].split(".")[0].removeprefix("session-"))
    local = lambda s: dt.datetime.fromisoformat(s).replace(tzinfo=zone)  # noqa: E731
    seen[sid] = (local(start), local(end))
assert set(seen) == set(expected), set(seen) ^ set(expected)
for sid, (start, end) in seen.items():
    want = tuple(utc(x) for x in expected[sid])
    # The local wall time khal prints names one instant except in that zone's own
    # repeated hour; compare through the offset of either reading.
    ok = all(
        any(t.replace(fold=fold).astimezone(dt.timezone.utc) == w for fold in (0, 1))
        for t, w in ((start, want[0]), (end, want[1])))
    assert ok, (sid, start, end, want)
print(f"khal ({zone_name}): {os.path.basename(feed)}: {len(seen)} events, every start and end "
      f"equal to the API's UTC times")
