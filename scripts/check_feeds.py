"""Fetches feeds from a running service and checks them with Python's icalendar
(times through zoneinfo): every event's start and end equal the API's UTC times.
Checks schedule.json against the c3voc JSON Schema (formats included), and
schedule.xml against the frab XML Schema with libxml2's xmllint, and the datetimes of
both against zoneinfo. Writes each feed and its expected times beside it for the
vobject, ical.js, node-ical and khal checks."""
import datetime as dt
import importlib.metadata
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
import zoneinfo

import icalendar
import jsonschema

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from igf_api import Api  # noqa: E402

port, work = sys.argv[1], sys.argv[2]
api = Api(port)


def call(method, path, body=None, raw=False):
    return api.call(method, path, body, raw)


def utc(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def session_of(uid):
    """The session id in a UID such as session-12.meeting-3@abc.igf-scheduler."""
    return int(str(uid).split("@")[0].split(".")[0].removeprefix("session-"))


SCHEMA_PATH = __file__.rsplit("/", 2)[0] + "/../shared/schemas/c3voc-schedule.schema.json"
with open(SCHEMA_PATH) as f:
    SCHEMA = json.load(f)
VALIDATOR = jsonschema.Draft6Validator(SCHEMA, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


def check_c3voc(meeting, name, programme):
    doc = call("GET", f"/meetings/{meeting}/schedule.json")
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    zone = zoneinfo.ZoneInfo(doc["schedule"]["conference"]["time_zone_name"])
    live = {s["session_id"]: s for s in programme["sessions"] if s["status"] != "cancelled"}
    seen = {}
    for day in doc["schedule"]["conference"]["days"]:
        for room, events in day["rooms"].items():
            for e in events:
                s = live[e["id"]]
                start = dt.datetime.fromisoformat(e["date"])
                end = dt.datetime.fromisoformat(e["end"])
                assert start == utc(s["starts_at_utc"]) and end == utc(s["ends_at_utc"]), (e, s)
                assert start.utcoffset() == start.astimezone(zone).utcoffset(), e["date"]
                assert start.date().isoformat() == day["date"] and room == s["room"] == e["room"], e
                seen[e["id"]] = e["guid"]
    assert set(seen) == set(live), set(live) ^ set(seen)
    assert len(set(seen.values())) == len(seen)
    print(f"jsonschema {importlib.metadata.version('jsonschema')}: {name}: "
          f"schedule.json valid against the c3voc schema, {len(seen)} events at the API's instants "
          f"with {zone.key}'s offsets")


XSD_PATH = __file__.rsplit("/", 2)[0] + "/../shared/schemas/c3voc-schedule.xml.xsd"


def check_frab(meeting, name, programme):
    """schedule.xml: valid against the frab XML Schema (xmllint), and read with Python's
    ElementTree, every event at the API's instant with the venue's offset of it."""
    text = call("GET", f"/meetings/{meeting}/schedule.xml", raw=True)
    path = f"{work}/{name}.xml"
    with open(path, "w") as f:
        f.write(text)
    out = subprocess.run(["xmllint", "--noout", "--schema", XSD_PATH, path], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    root = ET.fromstring(text.encode())
    zone = zoneinfo.ZoneInfo(programme["timezone"])
    live = {s["session_id"]: s for s in programme["sessions"] if s["status"] != "cancelled"}
    seen = set()
    for day in root.iter("day"):
        for room in day.iter("room"):
            for e in room.iter("event"):
                s = live[int(e.get("id"))]
                start = dt.datetime.fromisoformat(e.findtext("date"))
                h, m = e.findtext("duration").split(":")
                end = start + dt.timedelta(hours=int(h), minutes=int(m))
                assert start == utc(s["starts_at_utc"]) and end == utc(s["ends_at_utc"]), (e.findtext("date"), s)
                assert start.utcoffset() == start.astimezone(zone).utcoffset(), e.findtext("date")
                assert start.strftime("%H:%M") == e.findtext("start"), e.findtext("start")
                assert start.date().isoformat() == day.get("date"), (day.get("date"), e.findtext("date"))
                assert room.get("name") == e.findtext("room") == s["room"], (room.get("name"), s["room"])
                assert e.findtext("title") == s["title"]
                seen.add(s["session_id"])
    assert seen == set(live), set(live) ^ seen
    version = subprocess.run(["xmllint", "--version"], capture_output=True, text=True).stderr.split("\n")[0]
    print(f"{version}: {name}: schedule.xml valid against the frab XML Schema; "
          f"ElementTree: {len(seen)} events at the API's instants with {zone.key}'s offsets")


def check(meeting, name):
    text = call("GET", f"/meetings/{meeting}/programme.ics", raw=True)
    programme = call("GET", f"/meetings/{meeting}/programme")
    expected = {s["session_id"]: (s["starts_at_utc"], s["ends_at_utc"]) for s in programme["sessions"]}
    with open(f"{work}/{name}.ics", "w") as f:
        f.write(text)
    cal = icalendar.Calendar.from_ical(text)
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    assert zones == [programme["timezone"]], zones
    events = cal.walk("VEVENT")
    assert len(events) == len(expected), (len(events), len(expected))
    offsets = set()
    for e in events:
        sid = session_of(e["UID"])
        start, end = e["DTSTART"].dt, e["DTEND"].dt
        assert start.tzinfo is not None, e["DTSTART"]
        assert start.astimezone(dt.timezone.utc) == utc(expected[sid][0]), (sid, start, expected[sid])
        assert end.astimezone(dt.timezone.utc) == utc(expected[sid][1]), (sid, end, expected[sid])
        offsets.add(start.utcoffset())
    check_c3voc(meeting, name, programme)
    check_frab(meeting, name, programme)
    with open(f"{work}/{name}.json", "w") as f:
        json.dump({str(k): v for k, v in expected.items()}, f)
    print(f"icalendar {icalendar.__version__}: {name}: {len(events)} events, every start and end "
          f"equal to the API's UTC times; offsets seen {sorted(str(o) for o in offsets)}")
    return offsets


# With an account given (EMAIL PASSWORD after PORT WORK), only the meetings of our own:
# the run on PostgreSQL, which has no demo.
if len(sys.argv) > 4:
    api.login(sys.argv[3], sys.argv[4])
else:
    api.login("secretariat@demo.igf.test", "igf-demo-password")
    check(1, "demo")



# The end of summer time in Oslo (2027-10-31, 03:00 CEST -> 02:00 CET): a slot at 02:30,
# a local time that comes twice that night, beside ordinary ones.
autumn = api.meeting_across("DST check: autumn", "2027-10-30", "2027-11-01", [
    {"start": "02:30", "duration_min": 60}, {"start": "09:00", "duration_min": 90},
    {"start": "14:00", "duration_min": 60}], "2027-10-31T02:30")
offsets = check(autumn, "dst")
assert {dt.timedelta(hours=2), dt.timedelta(hours=1)} <= offsets, offsets

# The start of summer time (2027-03-28, 02:00 CET -> 03:00 CEST): a 01:30 slot whose hour
# runs across the hour that never happens.
spring = api.meeting_across("DST check: spring", "2027-03-27", "2027-03-29", [
    {"start": "01:30", "duration_min": 60}, {"start": "10:00", "duration_min": 60}],
    "2027-03-28T01:30")
check(spring, "spring")
