// Checks a feed with node-ical, a reader many Node.js calendar tools use: every
// event's start and end, as it reads them, equal the expected UTC times.
const fs = require("fs");
const ical = require("node-ical");
const [feed, expectedFile] = process.argv.slice(2);
const expected = JSON.parse(fs.readFileSync(expectedFile, "utf8"));
const data = ical.sync.parseICS(fs.readFileSync(feed, "utf8"));
const events = Object.values(data).filter((c) => c.type === "VEVENT");
if (events.length !== Object.keys(expected).length) {
  throw new Error(`${events.length} events, expected ${Object.keys(expected).length}`);
}
for (const e of events) {
  const id = e.uid.split("@")[0].split(".")[0].replace("session-", "");
  const [start, end] = expected[id];
  const got = [e.start.toISOString(), e.end.toISOString()];
  const want = [new Date(start).toISOString(), new Date(end).toISOString()];
  if (got[0] !== want[0] || got[1] !== want[1]) {
    throw new Error(`session ${id}: node-ical reads ${got}, the API says ${want}`);
  }
}
console.log(`node-ical: ${feed.split("/").pop()}: ${events.length} events, every start and end equal to the API's UTC times`);
