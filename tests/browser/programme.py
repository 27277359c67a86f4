"""An attendee reads the programme in Debian's chromium, driven over WebDriver
(chromium-driver) by selenium: the page picks the browser's own zone (three zones, set
as the browser's TZ, one reported under an old spelling), every time shown is the API's
instant in that zone, the zone switcher and the filters work, the page works with
JavaScript off (venue time), axe-core finds no serious or critical violation on any
page type, and screenshots are written for a reader to look at.

Usage: programme.py BASE_URL MEETING_ID AXE_JS SCREENSHOT_DIR
"""
import json
import os
import sys
import time
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

base, meeting, axe_path, shots = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.makedirs(shots, exist_ok=True)
axe_source = open(axe_path, encoding="utf-8").read()
failures = []


def api(path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)


programme = api(f"/api/v1/meetings/{meeting}/programme")
by_id = {s["session_id"]: s for s in programme["sessions"]}
venue = programme["timezone"]


def browser(zone, javascript=True):
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,900"]:
        opts.add_argument(flag)
    if not javascript:
        opts.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    env = dict(os.environ, TZ=zone)
    service = Service("/usr/bin/chromedriver", env=env)
    return webdriver.Chrome(service=service, options=opts)


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)


def hhmm(utc, zone):
    t = datetime.fromisoformat(utc.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return t.strftime("%H:%M")


def span(start, end, zone):
    """A session's times as the pages write them: with each end's offset when the
    clocks change in between."""
    a, b = (datetime.fromisoformat(t.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
            for t in (start, end))
    if a.utcoffset() != b.utcoffset():
        off = lambda t: t.strftime("%z")[:3] + ":" + t.strftime("%z")[3:]  # noqa: E731
        return f"{a:%H:%M} (UTC{off(a)})–{b:%H:%M} (UTC{off(b)})"
    return f"{a:%H:%M}–{b:%H:%M}"


def shown_times(driver, zone, label, sessions=None):
    """Every session line: its id, the API's instants and the time the page shows."""
    sessions = by_id if sessions is None else sessions
    items = driver.find_elements(By.CSS_SELECTOR, "li.session")
    seen = set()
    for li in items:
        href = li.find_element(By.CSS_SELECTOR, "h3 a").get_attribute("href")
        sid = int(href.split("/sessions/")[1].split("?")[0])
        seen.add(sid)
        s = sessions.get(sid)
        if s is None:
            check(False, f"{label}: session {sid} is not in the API's programme")
            continue
        start = li.get_attribute("data-start")
        check(start == s["starts_at_utc"], f"{label}: {sid} starts {start}, API {s['starts_at_utc']}")
        text = li.find_element(By.CSS_SELECTOR, "time").text
        want = span(s["starts_at_utc"], s["ends_at_utc"], zone)
        check(text.endswith(want), f"{label}: {sid} shows {text!r}, wanted {want}")
    return seen


def axe(driver, label):
    driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    bad = [v for v in result if v.get("impact") in ("serious", "critical")]
    minor = [v["id"] for v in result if v not in bad]
    print(f"axe on {label}: {len(bad)} serious or critical, {len(minor)} other {minor}")
    for v in bad:
        check(False, f"axe on {label}: {v['id']} ({v['impact']}): {v['help']}, "
                     f"{len(v['nodes'])} element(s)")


def wait_zone(driver, zone):
    # The page may be replaced while it is read (the zone switch reloads it).
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-zone") == zone)


# 1. The page picks the browser's zone, old spellings included, and every time is the
#    API's instant there.
for browser_zone, canonical in [(venue, venue), ("America/Los_Angeles", "America/Los_Angeles"),
                                ("Asia/Kathmandu", "Asia/Kathmandu")]:
    d = browser(browser_zone)
    try:
        reported = d.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone")
        d.get(f"{base}/meetings/{meeting}")
        wait_zone(d, canonical)
        note = d.find_element(By.CSS_SELECTOR, ".zone-note").text
        check(canonical in note, f"{browser_zone}: the page says {note!r}")
        if browser_zone == "Asia/Kathmandu":
            # Debian's chromium reports the old spelling; the page shows the current name.
            print(f"chromium with TZ=Asia/Kathmandu reports {reported}")
        seen = shown_times(d, canonical, f"browser in {browser_zone} (reports {reported})")
        check(seen == set(by_id), f"{browser_zone}: {len(seen)} of {len(by_id)} sessions shown")
        print(f"browser in {browser_zone} (reports {reported}): {len(seen)} sessions, "
              f"shown in {canonical}")
        if browser_zone == "America/Los_Angeles":
            d.save_screenshot(os.path.join(shots, "programme.png"))
            axe(d, "the programme")
            # 2. The zone switcher.
            field = d.find_element(By.ID, "tz")
            field.clear()
            field.send_keys("Africa/Nairobi")
            # Close the zone list's suggestions, which may cover the button.
            field.send_keys(Keys.ESCAPE)
            d.find_element(By.CSS_SELECTOR, "form.zone button").click()
            wait_zone(d, "Africa/Nairobi")
            got = shown_times(d, "Africa/Nairobi", "switched to Africa/Nairobi")
            check(got == set(by_id), f"switched: {len(got)} of {len(by_id)} sessions shown")
            # 3. Filters: one day, as the API's filter gives it.
            day = programme["sessions"][-1]["day"]
            Select(d.find_element(By.ID, "f-day")).select_by_value(day)
            d.find_element(By.CSS_SELECTOR, "form.filters button").click()
            WebDriverWait(d, 20).until(lambda d: f"day={day}" in d.current_url)
            want = {s["session_id"] for s in api(f"/api/v1/meetings/{meeting}/programme?day={day}")["sessions"]}
            got = shown_times(d, "Africa/Nairobi", f"day {day}")
            check(got == want, f"day {day}: {len(got)} shown, API {len(want)}")
            check("tz=Africa%2FNairobi" in d.current_url, "the filter dropped the zone")
            # A bad zone is answered beside its field.
            d.get(f"{base}/meetings/{meeting}?tz=Mars/Base")
            err = d.find_element(By.ID, "tz-error").text
            check("Mars/Base" in err, f"no message beside the zone field: {err!r}")
            axe(d, "the programme with a bad zone")
            # The session page.
            first = next(s for s in programme["sessions"] if s["people"])["session_id"]
            d.get(f"{base}/meetings/{meeting}/sessions/{first}?tz=America/Los_Angeles")
            d.save_screenshot(os.path.join(shots, "session.png"))
            axe(d, "a session page")
            # The grid, reached by its link: one cell per session of the first day.
            d.get(f"{base}/meetings/{meeting}?tz=America/Los_Angeles")
            d.find_element(By.LINK_TEXT, "Grid by room").click()
            WebDriverWait(d, 10).until(lambda x: "view=grid" in x.current_url)
            first_day = programme["sessions"][0]["day"]
            want = {s["session_id"] for s in programme["sessions"] if s["day"] == first_day}
            cells = d.find_elements(By.CSS_SELECTOR, "table.grid td a")
            got = {int(a.get_attribute("href").split("/sessions/")[1].split("?")[0]) for a in cells}
            check(got == want, f"the grid of {first_day}: {len(got)} sessions, not {len(want)}")
            d.save_screenshot(os.path.join(shots, "grid.png"))
            axe(d, "the grid")
            # A room's page and a person's, each reached by its link on the programme.
            d.get(f"{base}/meetings/{meeting}?tz=America/Los_Angeles")
            d.find_element(By.CSS_SELECTOR, "li.session .meta a[href*='/rooms/']").click()
            WebDriverWait(d, 10).until(lambda x: "/rooms/" in x.current_url)
            axe(d, "a room's page")
            d.back()
            d.find_element(By.CSS_SELECTOR, "li.session .people a").click()
            WebDriverWait(d, 10).until(lambda x: "/people/" in x.current_url)
            check(d.find_element(By.TAG_NAME, "h1").text.startswith("Speaker or moderator: "),
                  "a person's page has no heading of its own")
            axe(d, "a person's page")
            # The transparency report, by its link on the programme.
            d.get(f"{base}/meetings/{meeting}")
            d.find_element(By.LINK_TEXT, "Transparency report").click()
            WebDriverWait(d, 10).until(lambda x: x.current_url.endswith("/report"))
            bars = d.find_elements(By.CSS_SELECTOR, "svg.bars rect.bar")
            report = api(f"/api/v1/meetings/{meeting}/evaluation/report")["programme"]
            want = sum(len(report[k]) for k in ("stakeholder_groups", "regional_groups", "genders", "themes")) + 2
            check(len(bars) == want, f"the report draws {len(bars)} bars, not {want}")
            d.save_screenshot(os.path.join(shots, "report.png"))
            axe(d, "the transparency report")
            # The meeting's summary, by its link: as many bars and rows as the API's
            # summary has groups, the figures the same.
            d.get(f"{base}/meetings/{meeting}")
            d.find_element(By.LINK_TEXT, "Meeting summary").click()
            WebDriverWait(d, 10).until(lambda x: x.current_url.endswith("/reports"))
            summary = api(f"/api/v1/meetings/{meeting}/reports/summary")
            rows = d.find_elements(By.CSS_SELECTOR, "#types-t tbody tr")
            check(len(rows) == len(summary["by_session_type"]),
                  f"the summary shows {len(rows)} session types, the API {len(summary['by_session_type'])}")
            filed = d.find_element(By.CSS_SELECTOR, "#filed-t tbody tr").text
            check(str(summary["short"]["filed"]) in filed and str(summary["short"]["on_time"]) in filed,
                  f"short reports on the page: {filed!r}, API {summary['short']}")
            d.save_screenshot(os.path.join(shots, "summary.png"))
            axe(d, "the meeting's summary")
            # A session page with its accepted reports.
            told = summary["messages"][0]["sessions"][0]
            d.get(f"{base}/meetings/{meeting}/sessions/{told['session_id']}")
            check(told["key_takeaways"][0] in d.page_source, "the session page lacks its takeaways")
            axe(d, "a session page with its reports")
            # Now and next, by its link, at a moment inside the meeting.
            d.get(f"{base}/meetings/{meeting}?tz=America/Los_Angeles")
            d.find_element(By.LINK_TEXT, "Now and next").click()
            WebDriverWait(d, 10).until(lambda x: "/now" in x.current_url)
            mid = programme["sessions"][len(programme["sessions"]) // 2]["starts_at_utc"]
            d.get(d.current_url + "&at=" + mid)
            check(len(d.find_elements(By.CSS_SELECTOR, "#now-h + ol li")) > 0,
                  f"nothing on now at {mid}")
            axe(d, "now and next")
            d.get(f"{base}/")
            axe(d, "the list of meetings")
            d.get(f"{base}/meetings/999999")
            axe(d, "the 404 page")
    finally:
        d.quit()

# 1b. A meeting of our own across the end of summer time in Oslo (2027-10-31), one
#     session at 02:30 on the night that hour comes twice, in the same three zones.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from igf_api import Api  # noqa: E402

client = Api(base.rsplit(":", 1)[1])
client.login("secretariat@demo.igf.test", "igf-demo-password")
dst = client.meeting_across("Browser check across a clock change", "2027-10-30", "2027-11-01", [
    {"start": "02:30", "duration_min": 60}, {"start": "09:00", "duration_min": 90},
    {"start": "14:00", "duration_min": 60}], "2027-10-31T02:30")
dst_by_id = {s["session_id"]: s for s in api(f"/api/v1/meetings/{dst}/programme")["sessions"]}
for browser_zone, canonical in [("Europe/Oslo", "Europe/Oslo"),
                                ("America/Los_Angeles", "America/Los_Angeles"),
                                ("Asia/Kathmandu", "Asia/Kathmandu")]:
    d = browser(browser_zone)
    try:
        d.get(f"{base}/meetings/{dst}")
        wait_zone(d, canonical)
        seen = shown_times(d, canonical, f"across the clock change, browser in {browser_zone}",
                           dst_by_id)
        check(seen == set(dst_by_id),
              f"across the clock change in {browser_zone}: {len(seen)} of {len(dst_by_id)}")
        print(f"across the clock change, browser in {browser_zone}: {len(seen)} sessions, "
              f"each at the API's instant")
    finally:
        d.quit()

# A remote hub of the demo's, in its own zone, under axe.
hub = client.call("POST", f"/meetings/{meeting}/hubs", {
    "name": "Kathmandu hub", "city": "Kathmandu", "country": "NP", "timezone": "Asia/Kathmandu",
    "contact_email": "hub@example.org"})
client.call("PUT", f"/hubs/{hub['id']}/sessions",
            {"session_ids": [s["session_id"] for s in programme["sessions"][::20]]})
d = browser("Europe/Oslo")
try:
    d.get(f"{base}/hubs/{hub['id']}")
    shown = d.find_element(By.TAG_NAME, "html").get_attribute("data-zone")
    check(shown == "Asia/Kathmandu", f"the hub's page shows {shown}, not the hub's zone")
    axe(d, "a hub's page")
finally:
    d.quit()

# 4. At 375 px, the list reads on a phone: nothing wider than the screen.
d = browser("Africa/Nairobi")
try:
    # A phone's viewport: headless windows are never narrower than 500 px.
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
    d.get(f"{base}/meetings/{meeting}?tz=Africa/Nairobi")
    wait_zone(d, "Africa/Nairobi")
    wide = d.execute_script("return document.documentElement.scrollWidth")
    inner = d.execute_script("return window.innerWidth")
    check(wide <= inner, f"at {inner} px the page is {wide} px wide")
    d.save_screenshot(os.path.join(shots, "programme-375.png"))
    axe(d, "the programme at 375 px")
    print(f"at {inner} px wide: the page is {wide} px wide")
    # The grid scrolls inside its own box; the page stays as wide as the screen.
    d.get(f"{base}/meetings/{meeting}?tz=Africa/Nairobi&view=grid")
    wide = d.execute_script("return document.documentElement.scrollWidth")
    check(wide <= inner, f"the grid at {inner} px makes the page {wide} px wide")
    d.save_screenshot(os.path.join(shots, "grid-375.png"))
    axe(d, "the grid at 375 px")
finally:
    d.quit()

# 5. Without JavaScript the page works in venue time and with ?tz=.
d = browser("Asia/Kathmandu", javascript=False)
try:
    d.get(f"{base}/meetings/{meeting}")
    # With the script on, the page would have moved to ?tz= by now.
    time.sleep(2)
    check("tz=" not in d.current_url, f"without JavaScript the page moved to {d.current_url}")
    zone = d.find_element(By.TAG_NAME, "html").get_attribute("data-zone")
    check(zone == venue, f"without JavaScript the page shows {zone}, not venue time")
    got = shown_times(d, venue, "without JavaScript")
    check(got == set(by_id), f"without JavaScript: {len(got)} of {len(by_id)} sessions")
    d.get(f"{base}/meetings/{meeting}?tz=Asia/Katmandu")
    got = shown_times(d, "Asia/Kathmandu", "without JavaScript, ?tz=Asia/Katmandu")
    check(got == set(by_id), f"?tz=Asia/Katmandu: {len(got)} of {len(by_id)} sessions")
    print("without JavaScript: venue time, and ?tz= works")
finally:
    d.quit()

# 6. Starring: two sessions at once give a warning; the agenda's calendar link is a
#    calendar with those two sessions at the API's instants.
live = [s for s in programme["sessions"] if s["status"] == "active"]
a, b = next((x, y) for x in live for y in live
            if x["session_id"] < y["session_id"]
            and x["starts_at_utc"] < y["ends_at_utc"] and y["starts_at_utc"] < x["ends_at_utc"])
d = browser("America/Los_Angeles")
try:
    d.get(f"{base}/meetings/{meeting}")
    wait_zone(d, "America/Los_Angeles")
    for s in (a, b):
        form = d.find_element(By.XPATH, f"//form[@class='star'][input[@name='session_id'][@value='{s['session_id']}']]")
        button = form.find_element(By.TAG_NAME, "button")
        d.execute_script("arguments[0].scrollIntoView()", button)
        button.click()
        WebDriverWait(d, 10).until(lambda x: button.text == "In my agenda ✓")
    status = d.find_element(By.CSS_SELECTOR, ".star-status").text
    check("overlaps 1 other" in status, f"the second star says {status!r}")
    d.find_element(By.LINK_TEXT, "My agenda").click()
    WebDriverWait(d, 10).until(lambda x: "/agenda" in x.current_url)
    warning = d.find_element(By.ID, "clashes-h").find_element(By.XPATH, "..").text
    for s in (a, b):
        check(s["title"] in warning, f"the clash warning does not name {s['title']!r}")
    check(d.find_element(By.CSS_SELECTOR, "button[data-copy='agenda-https']").is_displayed(),
          "the copy button is hidden with the script on")
    d.save_screenshot(os.path.join(shots, "agenda.png"))
    axe(d, "the agenda page")
    link = d.find_element(By.ID, "agenda-https").get_attribute("value")
    cal = icalendar.Calendar.from_ical(urllib.request.urlopen(link).read())
    events = {str(e["UID"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}
    check(len(events) == 2, f"the agenda's calendar has {len(events)} events")
    for s in (a, b):
        uid = next((u for u in events if u.startswith(f"session-{s['session_id']}.")), None)
        want = datetime.fromisoformat(s["starts_at_utc"].replace("Z", "+00:00"))
        check(uid is not None and events[uid] == want,
              f"session {s['session_id']} in the agenda's calendar: {events.get(uid)} is not {want}")
    print(f"starred {a['session_id']} and {b['session_id']}: warned of the clash; "
          f"the calendar link parses to {len(events)} events at the API's instants")
finally:
    d.quit()

# Without JavaScript a star is a form that goes on to the agenda page.
d = browser("Europe/Oslo", javascript=False)
try:
    d.get(f"{base}/meetings/{meeting}")
    form = d.find_element(By.XPATH, f"//form[@class='star'][input[@name='session_id'][@value='{a['session_id']}']]")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(d, 10).until(lambda x: "/agenda" in x.current_url)
    check(len(d.find_elements(By.ID, f"s-{a['session_id']}")) == 1,
          "without JavaScript the star did not reach the agenda page")
    print("without JavaScript: a star goes on to the agenda page with the session")
finally:
    d.quit()

print(f"screenshots in {shots}: {sorted(os.listdir(shots))}")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("the programme in the browser: all checks passed")
