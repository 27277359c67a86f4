"""Checks a feed with vobject, which reads times through the feed's own VTIMEZONE:
every event's start and end equal the API's UTC times. One feed per process, as
vobject keeps the first definition of a TZID it meets for the rest of the process.
Usage: check_feeds_vobject.py FEED.ics EXPECTED.json"""
import datetime as dt
import importlib.metadata
import json
import os
import sys

import vobject

feed, expected_file = sys.argv[1:3]
with open(expected_file) as f:
    expected = {int(k): v for k, v in json.load(f).items()}
with open(feed) as f:
    cal = vobject.readOne(f.read())


def utc(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


events = cal.contents.get("vevent", [])
assert len(events) == len(expected), (len(events), len(expected))
for e in events:
    sid = int(e.uid.value.split("@")[0].split(".")[0].removeprefix("session-"))
    start, end = e.dtstart.value, e.dtend.value
    assert start.tzinfo is not None, e.dtstart
    assert start.astimezone(dt.timezone.utc) == utc(expected[sid][0]), (sid, start, expected[sid])
    assert end.astimezone(dt.timezone.utc) == utc(expected[sid][1]), (sid, end, expected[sid])
print(f"vobject {importlib.metadata.version('vobject')}: {os.path.basename(feed)}: {len(events)} "
      f"events, every start and end equal to the API's UTC times")
