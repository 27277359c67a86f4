"""The working pages in Debian's chromium over WebDriver (chromium-driver), driven by
selenium: a proposer finds the call, registers on the way, fills the proposal form
with its people, sees screening's complaints go away as they are fixed (the page asks
the server as one types), saves a draft and submits it; the secretariat assigns
evaluators (a job whose page follows it to its end) and opens scoring from its pages; an evaluator scores an assigned proposal
and is refused one that is not assigned; the secretariat closes scoring, runs the
selection (watched as a job as well), records its decisions and publishes the results, runs a solve and watches
it, drags a session onto a taken room (refused, with the reason) and onto a free cell
(accepted, with its cost), and publishes; the public programme shows the move. Every
page type is read by axe-core (no serious or critical violation) and screenshots are
written.
Each outcome is checked against the API, which the pages only call.

Usage: desk.py BASE_URL AXE_JS SCREENSHOT_DIR
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

base, axe_path, shots = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(shots, exist_ok=True)
axe_source = open(axe_path, encoding="utf-8").read()
failures = []
DEMO_PASSWORD = "igf-demo-password"


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)


def api(method, path, body=None, token=None):
    req = urllib.request.Request(base + "/api/v1" + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req) as r:
            data = r.read()
            return json.loads(data or b"null")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode()}") from None


def login(email, password=DEMO_PASSWORD):
    return api("POST", "/auth/login", {"email": email, "password": password})["access_token"]


def browser(height=900):
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--window-size=1280,{height}"]:
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def axe(driver, label):
    driver.execute_script(axe_source)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    minor = [v["id"] for v in found if v not in bad]
    print(f"axe on {label}: {len(bad)} serious or critical, {len(minor)} other {minor}")
    for v in bad:
        check(False, f"axe on {label}: {v['id']} ({v['impact']}): {v['help']}, "
                     f"{[n['target'] for n in v['nodes'][:3]]}")


def shot(driver, name):
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, min(max(height, 900), 6000))
    driver.save_screenshot(os.path.join(shots, name + ".png"))
    driver.set_window_size(1280, 900)


def wait(driver, cond, what, seconds=15):
    try:
        WebDriverWait(driver, seconds).until(cond)
        return True
    except Exception:  # noqa: BLE001 - a time-out is a failed check
        check(False, f"timed out waiting for {what} on {driver.current_url}")
        return False


def screen_text(driver, control):
    spots = driver.find_elements(By.CSS_SELECTOR, f'[data-screen="{control}"]')
    return spots[0].text if spots and spots[0].is_displayed() else ""


def fill(driver, name, value):
    el = driver.find_element(By.CSS_SELECTOR, f'main [name="{name}"]')
    if el.tag_name == "select":
        Select(el).select_by_value(value)
    else:
        el.clear()
        el.send_keys(value)


meetings = api("GET", "/meetings")["items"]
open_call = next(m for m in meetings if m["cfp"]["open_now"])
theme = open_call["themes"][0]["id"]
stamp = int(time.time())

# ---------------------------------------------------------------- the proposer
email = f"browser.proposer.{stamp}@example.org"
password = "a long enough password"
d = browser()
try:
    d.get(f"{base}/meetings/{open_call['id']}/call")
    check("Call for proposals" in d.find_element(By.TAG_NAME, "h1").text, "the call page's heading")
    axe(d, "the call page")
    d.find_element(By.LINK_TEXT, "Start a proposal").click()
    wait(d, lambda x: "/desk/sign-in" in x.current_url, "the sign-in page")
    axe(d, "the sign-in page")
    d.find_element(By.PARTIAL_LINK_TEXT, "Register").click()
    wait(d, lambda x: "/desk/register" in x.current_url, "the registration page")
    fill(d, "name", "Brówser O'Proposer & Co")
    fill(d, "email", email)
    fill(d, "password", password)
    fill(d, "password_again", password + "x")
    d.find_element(By.CSS_SELECTOR, "form.desk-form button[type=submit]").click()
    wait(d, lambda x: x.find_elements(By.ID, "password_again-error"), "the differing passwords said")
    axe(d, "the registration page with an error")
    fill(d, "password", password)
    fill(d, "password_again", password)
    d.find_element(By.CSS_SELECTOR, "form.desk-form button[type=submit]").click()
    wait(d, lambda x: "/proposals/new" in x.current_url, "the proposal form after registering")
    check("Brówser O'Proposer & Co" in d.find_element(By.CSS_SELECTOR, "header .account").text,
          "the header names the new account")

    # Screening speaks as the form is filled in, and each complaint goes when fixed.
    fill(d, "title", "Cables under the sea, seen from the shore")
    fill(d, "p0_name", "Amina Organiser")
    wait(d, lambda x: "email" in screen_text(x, "p0_email"), "the complaint about the organiser's email")
    before = screen_text(d, "p0_email")
    axe(d, "the proposal form with complaints")
    fill(d, "p0_email", "amina@example.org")
    wait(d, lambda x: screen_text(x, "p0_email") == "", "the email complaint to go away")
    print(f"screening as typed: '{before}' shown, then gone once the email was typed")
    fill(d, "description", "Subsea cables carry the internet; who repairs them, and who pays?")
    fill(d, "policy_questions", "Who repairs cables?\nWho pays for repair ships?")
    fill(d, "theme_id", str(theme))
    fill(d, "session_type", "workshop")
    fill(d, "duration_min", "90")
    fill(d, "format", "roundtable")
    fill(d, "layout", "u_shape")
    d.find_element(By.CSS_SELECTOR, 'input[name="sdgs"][value="9"]').click()
    fill(d, "expected_outcomes", "A map of repair capacity.")
    fill(d, "hybrid_plan", "One queue for the room and online.")
    people = [
        ("organiser", "Amina Organiser", "civil_society", "african", "female", "Africa/Nairobi", "onsite", "KE"),
        ("speaker", "Ben Speaker", "technical_community", "weog", "male", "Europe/Oslo", "onsite", "NO"),
        ("speaker", "Chen Speaker", "government", "asia_pacific", "female", "Asia/Singapore", "onsite", "SG"),
        ("speaker", "Dara Speaker", "private_sector", "grulac", "non_binary", "America/Sao_Paulo", "online", "BR"),
        ("onsite_moderator", "Eve Moderator", "civil_society", "eastern_european", "female", "Europe/Warsaw", "onsite", "PL"),
        ("online_moderator", "Femi Moderator", "technical_community", "african", "male", "Africa/Lagos", "online", "NG"),
    ]
    for i, (role, name, group, region, gender, zone, how, country) in enumerate(people):
        if not d.find_elements(By.NAME, f"p{i}_name"):
            d.find_element(By.CSS_SELECTOR, "button.add-person").click()
            wait(d, lambda x, i=i: x.find_elements(By.NAME, f"p{i}_name"), f"row {i + 1} added")
        fill(d, f"p{i}_role", role)
        fill(d, f"p{i}_name", name)
        if i > 0:
            fill(d, f"p{i}_email", name.split()[0].lower() + "@example.org")
        fill(d, f"p{i}_organisation", f"{name.split()[0]} Institute")
        fill(d, f"p{i}_country", country)
        fill(d, f"p{i}_stakeholder_group", group)
        fill(d, f"p{i}_regional_group", region)
        fill(d, f"p{i}_gender", gender)
        fill(d, f"p{i}_timezone", zone)
        fill(d, f"p{i}_participation", how)
    wait(d, lambda x: x.find_element(By.CSS_SELECTOR, "form.proposal").get_attribute("data-checked") == "0",
         "screening to find nothing left to fix")
    check("nothing to fix" in d.find_element(By.CSS_SELECTOR, ".screen-summary").text,
          "the summary says nothing is left to fix")
    d.find_element(By.CSS_SELECTOR, 'button[name="save"]').click()
    wait(d, lambda x: "saved=1" in x.current_url, "the saved draft's page")
    proposal_id = int(d.current_url.split("/desk/proposals/")[1].split("?")[0])
    shot(d, "proposal-form")
    axe(d, "a stored proposal's page")
    d.find_element(By.CSS_SELECTOR, 'button[name="submit"]').click()
    wait(d, lambda x: "Submitted" in x.find_element(By.ID, "state-h").text, "the submitted state")
    token = login(email, password)
    stored = api("GET", f"/proposals/{proposal_id}", token=token)
    check(stored["status"] == "submitted", f"the API says {stored['status']}")
    check(len(stored["participants"]) == len(people),
          f"the API holds {len(stored['participants'])} people, not {len(people)}")
    check(stored["participants"][3]["timezone"] == "America/Sao_Paulo", "a person's home zone")
    check(stored["sdgs"] == [9], f"SDGs {stored['sdgs']}")
    print(f"proposal {proposal_id} submitted from the page; the API holds it with "
          f"{len(stored['participants'])} people")
    d.get(f"{base}/desk/meetings/{open_call['id']}/proposals")
    check(str(proposal_id) in d.page_source and "Submitted" in d.page_source, "my proposals list")
    axe(d, "my proposals")
    # Bilateral rooms: the demo meeting's; book a free time for a delegation, see it
    # as the API holds it, take its calendar file's link, cancel it.
    demo = next(m for m in meetings if api("GET", f"/meetings/{m['id']}/bilateral-rooms", token=token)["items"])
    d.get(f"{base}/desk/meetings/{demo['id']}/bilaterals")
    check("Bilateral rooms" in d.find_element(By.TAG_NAME, "h1").text, "the bilateral rooms' page")
    axe(d, "the bilateral rooms' page")
    fill(d, "delegation", f"Browser delegation {stamp}")
    d.find_element(By.CSS_SELECTOR, 'button[name="slot"]').click()
    wait(d, lambda x: "booked=1" in x.current_url, "the booked notice")
    held = api("GET", f"/meetings/{demo['id']}/bilateral-bookings", token=token)["items"]
    check(len(held) == 1 and held[0]["delegation"] == f"Browser delegation {stamp}",
          f"the API holds the page's booking: {held}")
    check("Yours" in d.page_source and f"/desk/bilaterals/{held[0]['id']}/calendar.ics" in d.page_source,
          "the page shows the booking and its calendar file")
    shot(d, "bilaterals")
    axe(d, "the bilateral rooms' page with a booking")
    d.find_element(By.CSS_SELECTOR, "ul.bookings form button").click()
    wait(d, lambda x: "cancelled=1" in x.current_url, "the cancelled notice")
    check(api("GET", f"/meetings/{demo['id']}/bilateral-bookings", token=token)["items"] == [],
          "the API holds no booking once cancelled on the page")
    print(f"bilateral room booked and cancelled from the page (booking {held[0]['id']})")
    d.get(f"{base}/desk")
    axe(d, "the desk's home")
    d.get(f"{base}/desk/account")
    axe(d, "the account page")
    # An evaluator's page is refused to a proposer, as the API refuses it.
    d.get(f"{base}/desk/meetings/{open_call['id']}/evaluation")
    check("Not possible" in d.find_element(By.TAG_NAME, "h1").text, "a proposer refused the evaluator's page")
    axe(d, "a refusal")
    d.find_element(By.CSS_SELECTOR, "form.sign-out button").click()
    wait(d, lambda x: x.current_url.rstrip("/") == base, "signing out")
    d.get(f"{base}/desk")
    check("/desk/sign-in" in d.current_url, "signed out, the desk asks to sign in")
    # A forgotten password: the same answer for any address, and a dead link said
    # beside the field on the reset and confirmation forms.
    d.find_element(By.PARTIAL_LINK_TEXT, "Forgotten your password").click()
    wait(d, lambda x: "/desk/forgot" in x.current_url, "the forgotten-password page")
    axe(d, "the forgotten-password page")
    fill(d, "email", email)
    d.find_element(By.CSS_SELECTOR, "form.desk-form button[type=submit]").click()
    # This run sends no email, so the page says a link cannot be sent.
    wait(d, lambda x: "sends no email" in x.page_source, "the reset asked for")
    axe(d, "the reset asked for")
    for page, label in [("reset", "the new-password page"), ("confirm", "the confirmation page")]:
        d.get(f"{base}/desk/{page}?token={'0' * 64}")
        axe(d, label)
        fill(d, "password", password)
        if page == "reset":
            fill(d, "password_again", password)
        d.find_element(By.CSS_SELECTOR, "form.desk-form button[type=submit]").click()
        wait(d, lambda x: x.find_elements(By.ID, "password-error"), f"{label}: a dead link said")
        check("expired or has been used" in d.find_element(By.ID, "password-error").text,
              f"{label}: the dead link is said beside the password")
        axe(d, f"{label} with a dead link")
finally:
    d.quit()

# ------------------------------------------- the secretariat and an evaluator
# A meeting of our own, its call and proposals made over the API as proposers would.
sec = login("secretariat@demo.igf.test")
now = datetime.now(timezone.utc)
m = api("POST", "/meetings", {
    "name": f"Browser scoring {stamp}", "year": 2029, "venue": "Kigali", "timezone": "Africa/Kigali",
    "first_day": "2029-06-18", "last_day": "2029-06-18",
    "cfp_opens_at": (now - timedelta(days=3)).isoformat(),
    "cfp_closes_at": (now + timedelta(days=3)).isoformat(),
    "themes": [{"name": "Access", "target_share": 1.0}],
    "rooms": [{"name": "Hall", "capacity": 300, "hybrid": True, "layout": "theater"},
              {"name": "Room B", "capacity": 120, "hybrid": True, "layout": "u_shape"}],
    # Afternoons in Kigali are mornings in São Paulo, where a speaker is online.
    "slot_template": [{"start": "13:00", "duration_min": 90}, {"start": "15:00", "duration_min": 90},
                      {"start": "17:00", "duration_min": 90}],
    "published": True}, token=sec)
committee = [u["id"] for u in api("GET", "/users?role=evaluator&per_page=100", token=sec)["items"]
             if u["email"] in {f"mag0{i}@demo.igf.test" for i in range(1, 7)}]
api("POST", f"/meetings/{m['id']}/evaluators", {"user_ids": committee}, token=sec)
author = f"browser.author.{stamp}@example.org"
api("POST", "/auth/register", {"email": author, "name": "Author", "password": password})
author_token = login(author, password)
body = {k: stored[k] for k in ["title", "description", "policy_questions", "session_type", "duration_min",
                                "format", "layout", "sdgs", "expected_outcomes", "hybrid_plan"]}
body["participants"] = [{k: v for k, v in x.items()} for x in stored["participants"]]
ids = []
for n in range(3):
    made = api("POST", f"/meetings/{m['id']}/proposals",
               dict(body, title=f"{body['title']} ({n + 1})", theme_id=m["themes"][0]["id"]), token=author_token)
    api("POST", f"/proposals/{made['id']}/submit", {}, token=author_token)
    ids.append(made["id"])
manage = f"{base}/desk/meetings/{m['id']}/manage"

s = browser()
try:
    # The secretariat assigns evaluators from its page.
    s.get(f"{base}/desk")
    fill(s, "email", "secretariat@demo.igf.test")
    fill(s, "password", DEMO_PASSWORD)
    s.find_element(By.CSS_SELECTOR, "form.desk-form button[type=submit]").click()
    wait(s, lambda x: x.find_elements(By.XPATH, f"//section[h2[contains(., 'Browser scoring {stamp}')]]"),
         "the secretariat's desk")
    s.find_element(By.XPATH, f"//section[h2[contains(., 'Browser scoring {stamp}')]]//a[.='Dashboard']").click()
    wait(s, lambda x: "What needs doing" in x.page_source, "the dashboard")
    axe(s, "the dashboard")
    # The demo meeting's session reports: the list, one report's form, and its
    # refusal of a count that is no number beside the field.
    demo_meeting = next(x for x in api("GET", "/meetings")["items"] if x["name"] == "IGF 2027 (demo)")
    s.get(f"{base}/desk/meetings/{demo_meeting['id']}/reports?filter=waiting")
    wait(s, lambda x: "Session reports" in x.page_source, "the reports list")
    axe(s, "the reports list")
    s.find_element(By.CSS_SELECTOR, "table.numbers tbody a[href$='/reports/full']").click()
    wait(s, lambda x: "/desk/sessions/" in x.current_url, "a report's form")
    axe(s, "a report's form")
    fill(s, "participants_onsite", "many")
    s.find_element(By.CSS_SELECTOR, "button[value=save]").click()
    wait(s, lambda x: x.find_elements(By.ID, "participants_onsite-error"), "the refusal beside the count")
    axe(s, "a report's form with a refusal")
    # The demo's messages (waiting: no mail is configured here), as the API lists them.
    s.get(f"{base}/desk/meetings/{demo_meeting['id']}/messages?state=queued")
    wait(s, lambda x: "Every email and webhook delivery" in x.page_source, "the messages page")
    listed = api("GET", f"/meetings/{demo_meeting['id']}/messages?state=queued&per_page=1", token=sec)
    check(f"{listed['total']} messages" in s.find_element(By.CSS_SELECTOR, "p.where").text,
          f"the messages page counts the API's {listed['total']} waiting messages")
    axe(s, "the messages page")
    s.get(f"{base}/desk/messages")
    wait(s, lambda x: "Account messages" in x.page_source, "the accounts' messages page")
    axe(s, "the accounts' messages page")
    s.get(manage)
    wait(s, lambda x: "What needs doing" in x.page_source, "the dashboard again")
    # The set-up: a room changed on its own form, a refusal beside that form's field.
    s.find_element(By.LINK_TEXT, "Set-up").click()
    wait(s, lambda x: "Add a session type" in x.page_source, "the set-up page")
    axe(s, "the set-up page")
    room_b = next(r for r in m["rooms"] if r["name"] == "Room B")
    s.find_element(By.XPATH, "//summary[normalize-space()='Change: Room B']").click()
    field = s.find_element(By.ID, f"room-{room_b['id']}-capacity")
    field.clear()
    field.send_keys("many")
    field.submit()
    wait(s, lambda x: x.find_elements(By.ID, f"room-{room_b['id']}-capacity-error"), "the refusal beside the field")
    check(s.find_element(By.ID, f"room-{room_b['id']}-capacity-error").is_displayed(), "the refused form stays open")
    axe(s, "the set-up page with a refusal")
    shot(s, "setup")
    field = s.find_element(By.ID, f"room-{room_b['id']}-capacity")
    field.clear()
    field.send_keys("150")
    field.submit()
    wait(s, lambda x: "The set-up is changed." in x.page_source, "the room changed")
    rooms = api("GET", f"/meetings/{m['id']}/rooms", token=sec)
    rooms = rooms["items"] if isinstance(rooms, dict) else rooms
    check(next(r for r in rooms if r["id"] == room_b["id"])["capacity"] == 150, "the room's capacity is stored")
    # An interpreter team added on the technical services' form: a language by name is
    # refused beside the field, then codes are stored as the API reads them.
    field = s.find_element(By.ID, "team-new-name")
    field.send_keys(f"Browser team {stamp}")
    s.find_element(By.ID, "team-new-languages").send_keys("Portuguese")
    s.find_element(By.ID, "team-new-min_break_min").send_keys("20")
    field.submit()
    wait(s, lambda x: x.find_elements(By.ID, "team-new-languages-error"), "the refusal beside the languages")
    axe(s, "the set-up page with a refused team")
    field = s.find_element(By.ID, "team-new-languages")
    field.clear()
    field.send_keys("pt")
    field.submit()
    wait(s, lambda x: "The set-up is changed." in x.page_source, "the team added")
    teams = api("GET", f"/meetings/{m['id']}/logistics", token=sec)["interpreter_teams"]
    mine = [t for t in teams if t["name"] == f"Browser team {stamp}"]
    check(len(mine) == 1 and mine[0]["languages"] == ["pt"] and mine[0]["min_break_min"] == 20,
          f"the team is stored: {mine}")
    s.find_element(By.XPATH, f"//button[@aria-label='Remove: Browser team {stamp}']").click()
    wait(s, lambda x: "The set-up is changed." in x.page_source and f"Browser team {stamp}" not in x.page_source,
         "the team removed")
    # A form carrying an older sign-in's token is kept and sent again on request.
    s.execute_script("document.querySelectorAll('input[name=csrf]').forEach(e => e.value = 'older')")
    fill(s, "code", "fireside")
    s.find_element(By.ID, "type-new-name").send_keys("Fireside chat")
    s.find_element(By.ID, "type-new-durations").send_keys("45")
    s.find_element(By.ID, "type-new-code").submit()
    wait(s, lambda x: "Send this form again?" in x.page_source, "the kept form")
    check("Fireside chat" in s.page_source, "what was typed is shown")
    axe(s, "a form kept to be sent again")
    s.find_element(By.XPATH, "//button[normalize-space()='Send again']").click()
    wait(s, lambda x: "The set-up is changed." in x.page_source, "the kept form sent")
    types = api("GET", f"/meetings/{m['id']}/session-types", token=sec)
    types = types["items"] if isinstance(types, dict) else types
    check(any(t["code"] == "fireside" and t["durations"] == [45] for t in types), "the type is stored")
    s.find_element(By.LINK_TEXT, "Evaluation").click()
    fill(s, "per_proposal", "2")
    s.find_element(By.XPATH, "//button[normalize-space()='Assign evaluators']").click()
    # The assignment runs as a job: its page follows it to its end.
    wait(s, lambda x: "/manage/jobs/" in x.current_url, "the assignment's job page")
    wait(s, lambda x: x.find_elements(By.LINK_TEXT, "See the assignment"), "the assignment to end", 60)
    check("6 assignments of 3 proposals" in s.page_source, "the job says what it did")
    axe(s, "an ended assignment job")
    s.find_element(By.LINK_TEXT, "See the assignment").click()
    wait(s, lambda x: "The assignment has run." in x.page_source, "the assignment's run")
    check("6 assignments of 3 proposals" in s.page_source, "the run says what it did")
    axe(s, "the evaluation page")
    # The call closes (its dates are set over the API); scoring opens on the dashboard.
    api("PATCH", f"/meetings/{m['id']}", {"cfp_closes_at": (now - timedelta(minutes=1)).isoformat()}, token=sec)
    s.get(manage)
    s.find_element(By.XPATH, "//button[normalize-space()='Open scoring']").click()
    wait(s, lambda x: "The evaluation has moved on." in x.page_source, "scoring opened")
finally:
    s.quit()

pairs = [(a["proposal_id"], a["evaluator_id"]) for a in
         api("GET", f"/meetings/{m['id']}/evaluation/assignments?per_page=100", token=sec)["items"]]
users = {u["id"]: u["email"] for u in api("GET", "/users?role=evaluator&per_page=100", token=sec)["items"]}
mine = {}
for p, e in pairs:
    mine.setdefault(e, set()).add(p)
evaluator = next(e for e, ps in mine.items() if len(ps) < len(ids))
assigned = sorted(mine[evaluator])[0]
unassigned = next(p for p in ids if p not in mine[evaluator])

d = browser()
try:
    d.get(f"{base}/desk")
    fill(d, "email", users[evaluator])
    fill(d, "password", DEMO_PASSWORD)
    d.find_element(By.CSS_SELECTOR, "form.desk-form button[type=submit]").click()
    wait(d, lambda x: x.find_elements(By.LINK_TEXT, "Proposals to score"), "the evaluator's desk")
    d.find_element(By.XPATH, f"//section[h2[contains(., 'Browser scoring {stamp}')]]//a").click()
    wait(d, lambda x: "/evaluation" in x.current_url, "my assignments")
    axe(d, "my assignments")
    d.find_element(By.CSS_SELECTOR, f'a[href="/desk/evaluation/proposals/{assigned}"]').click()
    wait(d, lambda x: x.find_elements(By.NAME, "score_relevance"), "the scoring form")
    check("@example.org" not in d.page_source and "non_binary" not in d.page_source,
          "no email or gender on the evaluator's page")
    for key, value in [("relevance", 4), ("content", 3), ("format_and_hybrid", 5)]:
        d.find_element(By.CSS_SELECTOR, f'input[name="score_{key}"][value="{value}"]').click()
    fill(d, "comment", "Clear questions; the line-up is strong.")
    d.find_element(By.XPATH, "//button[normalize-space()='Save my score']").click()
    wait(d, lambda x: x.find_elements(By.ID, "c-diversity-error"), "the missing criterion said beside it")
    axe(d, "the scoring form with an error")
    check(d.find_element(By.ID, "comment").get_attribute("value").startswith("Clear questions"),
          "the comment kept after a refusal")
    d.find_element(By.CSS_SELECTOR, 'input[name="score_diversity"][value="2"]').click()
    d.find_element(By.XPATH, "//button[normalize-space()='Save my score']").click()
    wait(d, lambda x: "saved=1" in x.current_url, "the saved score")
    shot(d, "scoring-form")
    axe(d, "the scoring form")
    e_token = login(users[evaluator])
    score = api("GET", f"/proposals/{assigned}/score", token=e_token)
    check(score["scores"] == {"relevance": 4, "content": 3, "format_and_hybrid": 5, "diversity": 2},
          f"the API's score {score['scores']}")
    print(f"{users[evaluator]} scored proposal {assigned} on the page: {score['scores']}")
    d.get(f"{base}/desk/evaluation/proposals/{unassigned}")
    check("not found" in d.find_element(By.TAG_NAME, "h1").text.lower(),
          f"an unassigned proposal ({unassigned}) is the 404 page")
    axe(d, "the 404 page signed in")
finally:
    d.quit()

# The other evaluators score over the API.
for p, e in pairs:
    if (p, e) == (assigned, evaluator):
        continue
    api("PUT", f"/proposals/{p}/score",
        {"scores": {"relevance": 3 + p % 2, "content": 4, "format_and_hybrid": 3, "diversity": 4}},
        token=login(users[e]))

s = browser()
try:
    s.get(f"{base}/desk")
    fill(s, "email", "secretariat@demo.igf.test")
    fill(s, "password", DEMO_PASSWORD)
    s.find_element(By.CSS_SELECTOR, "form.desk-form button[type=submit]").click()
    wait(s, lambda x: "My desk" in x.title, "the desk")
    s.get(manage)
    s.find_element(By.XPATH, "//button[normalize-space()='Close scoring']").click()
    wait(s, lambda x: "The evaluation has moved on." in x.page_source, "scoring closed")
    s.find_element(By.LINK_TEXT, "Results").click()
    check("polarising" in s.page_source.lower() or "Normalised" in s.page_source, "the results page")
    axe(s, "the results")
    # The selection, run from its page with its quotas; its charts; its decisions.
    s.find_element(By.LINK_TEXT, "Selection").click()
    fill(s, "slots_per_type.workshop", "2")
    fill(s, "waitlist", "1")
    s.find_element(By.XPATH, "//button[normalize-space()='Run the selection']").click()
    wait(s, lambda x: "/manage/jobs/" in x.current_url, "the selection's job page")
    wait(s, lambda x: x.find_elements(By.LINK_TEXT, "Open the programme"), "the selection to end", 60)
    check("Score of the programme" in s.page_source, "the job shows its best score")
    s.find_element(By.LINK_TEXT, "Open the programme").click()
    wait(s, lambda x: "chosen of" in x.page_source, "the selection's run")
    run_id = int(s.current_url.split("run=")[1].split("&")[0])
    run = api("GET", f"/meetings/{m['id']}/selection/{run_id}", token=sec)
    check(run["selected"] == 2, f"the run chose {run['selected']}")
    check(len(s.find_elements(By.CSS_SELECTOR, "svg.bars")) >= 3, "the shares are drawn as charts")
    shot(s, "selection")
    axe(s, "the selection page")
    s.find_element(By.XPATH, "//button[normalize-space()='Record these decisions']").click()
    wait(s, lambda x: "decisions are recorded" in x.page_source, "the decisions recorded")
    s.get(manage)
    s.find_element(By.XPATH, "//button[normalize-space()='Publish the results']").click()
    wait(s, lambda x: "The evaluation has moved on." in x.page_source, "the results published")
    api("GET", f"/meetings/{m['id']}/evaluation/report")
    # The approved proposals become sessions (over the API); a solve runs from the board.
    api("POST", f"/meetings/{m['id']}/sessions/from-selection", {}, token=sec)
    s.get(f"{manage}/board")
    check("no schedule yet" in s.page_source, "the board before any solve")
    fill(s, "time_limit_seconds", "2")
    s.find_element(By.XPATH, "//button[normalize-space()='Start']").click()
    wait(s, lambda x: "/manage/jobs/" in x.current_url, "the job page")
    axe(s, "a running job")
    check(s.find_elements(By.CSS_SELECTOR, "#job-live[data-running]"), "the job page follows the job")
    wait(s, lambda x: x.find_elements(By.LINK_TEXT, "Open it on the board"), "the solve to end", 90)
    s.find_element(By.LINK_TEXT, "Open it on the board").click()
    wait(s, lambda x: x.find_elements(By.CSS_SELECTOR, "table.board"), "the board")
    version = int(s.find_element(By.CSS_SELECTOR, "table.board").get_attribute("data-version"))
    placed = api("GET", f"/schedules/{version}", token=sec)["placements"]
    day = placed[0]["starts_at"][:10]
    s.get(f"{manage}/board?version={version}&day={day}")

    def drag(session, room, slot):
        s.execute_script("""
            const card = document.querySelector('.card[data-session="' + arguments[0] + '"]');
            const cell = document.querySelector('td.cell[data-room="' + arguments[1] + '"][data-slot="' + arguments[2] + '"]');
            const dt = new DataTransfer();
            card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
            cell.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
            cell.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
        """, session, room, slot)

    a, b = placed[0], placed[1]
    # Onto the other session's room and time: refused, with the reason in words.
    drag(a["session_id"], b["room_id"], b["slot_id"])
    wait(s, lambda x: x.find_elements(By.CSS_SELECTOR, ".refusal"), "the refusal")
    refusal = s.find_element(By.CSS_SELECTOR, ".refusal").text
    check("hard rule" in refusal and len(refusal.splitlines()) >= 2, f"the refusal says why: {refusal!r}")
    print(f"dragged onto a taken room: {refusal.splitlines()[-1]}")
    axe(s, "the board with a refusal")
    # Onto a free cell of that day: a new draft, its cost against the one before.
    slots = [x for x in api("GET", f"/meetings/{m['id']}/slots")["items"] if x["date"] == day]
    taken = {(p["room_id"], p["slot_id"]) for p in placed}
    target = None
    for slot in slots:
        for room in m["rooms"]:
            if (room["id"], slot["id"]) in taken or target:
                continue
            s.get(f"{manage}/board?version={version}&day={day}")
            drag(a["session_id"], room["id"], slot["id"])
            wait(s, lambda x: x.find_elements(By.CSS_SELECTOR, ".refusal, .notice"), "the move's answer")
            if s.find_elements(By.XPATH, "//strong[.='Moved.']"):
                target = (room, slot)
    check(target is not None, "some free cell took the session")
    if target:
        cost = s.find_element(By.XPATH, "//strong[.='Moved.']/..").text
        check("Soft cost of the schedule:" in cost and "→" in cost, f"the cost is shown: {cost!r}")
        print(f"dragged to {target[0]['name']} at {target[1]['starts_at']['local']}: {cost}")
        shot(s, "board")
        axe(s, "the board after a move")
        # The keyboard way: Move, then a cell's button (back where it was).
        s.find_element(By.CSS_SELECTOR, f'a[aria-label="Move: {a["title"]}"]').click()
        wait(s, lambda x: x.find_elements(By.CSS_SELECTOR, "form.target"), "the move targets")
        axe(s, "the board while moving")
        s.get(s.current_url.split("&moving=")[0])
        s.find_element(By.XPATH, "//button[normalize-space()='Publish this version']").click()
        wait(s, lambda x: "published=1" in x.current_url, "the version published")
        programme = api("GET", f"/meetings/{m['id']}/programme")
        there = next(x for x in programme["sessions"] if x["session_id"] == a["session_id"])
        check(there["room"] == target[0]["name"] and there["starts_at_utc"] == target[1]["starts_at"]["utc"],
              f"the public programme has the move: {there['room']} {there['starts_at_utc']}")
        s.get(f"{base}/meetings/{m['id']}")
        check(a["title"] in s.page_source and target[0]["name"] in s.page_source,
              "the public programme page shows the moved session")
finally:
    s.quit()

print(f"screenshots in {shots}: {sorted(os.listdir(shots))}")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("the working pages in the browser: all checks passed")
