// Checks a feed with ical.js (Mozilla's calendar parser): registers its VTIMEZONE and
// compares every event's start and end with the expected UTC times.
const fs = require("fs");
const ICAL = require("ical.js");
const [feed, expectedFile] = process.argv.slice(2);
const expected = JSON.parse(fs.readFileSync(expectedFile, "utf8"));
const comp = new ICAL.Component(ICAL.parse(fs.readFileSync(feed, "utf8")));
for (const tz of comp.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(tz);
}
const events = comp.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
if (events.length !== Object.keys(expected).length) {
  throw new Error(`${events.length} events, expected ${Object.keys(expected).length}`);
}
for (const e of events) {
  const id = e.uid.split("@")[0].split(".")[0].replace("session-", "");
  const [start, end] = expected[id];
  const got = [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()];
  const want = [new Date(start).toISOString(), new Date(end).toISOString()];
  if (got[0] !== want[0] || got[1] !== want[1]) {
    throw new Error(`session ${id}: ical.js reads ${got}, the API says ${want}`);
  }
  // Venue time with its zone, or UTC where the local time is ambiguous.
  if (!["Europe/Oslo", "UTC"].includes(e.startDate.zone.tzid)) {
    throw new Error(`session ${id}: zone ${e.startDate.zone.tzid}`);
  }
}
console.log(`ical.js: ${feed.split("/").pop()}: ${events.length} events, every start and end equal to the API's UTC times`);
