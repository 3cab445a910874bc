"""kiosk report end to end (issue 7): the hand-made history of
report_history.h is built into a real database by test_counter_report,
then every figure is read back from `--json`, from the `--html` page
(parsed: ids with data-value, the overdue list, escaped reasons, the
inline SVG charts) and from the table."""
import os
import subprocess
from html.parser import HTMLParser

import kiosktest as kt
from kiosktest import Failures, run, run_json, tempdir

t = Failures()
d = tempdir()
db = kt.database(d)
env = dict(os.environ, COUNTER_REPORT_DB=db)
p = subprocess.run([os.environ["COUNTER_REPORT_BIN"], "-f", "test_history"], env=env,
                   capture_output=True, text=True)
if not t.check(p.returncode == 0, f"history built: {p.stdout} {p.stderr}"):
    t.done()

p, js = run_json(["report", "--json"], db=db)
t.eq(p.returncode, 0, f"report --json exit ({p.stderr.strip()})")
js = js or {}
t.eq(js.get("as_of"), "2026-11-23T10:00:00+01:00", "as_of")
t.eq(js.get("period"), {"from": None, "to": None}, "period")
zero = {"refund": 0, "store_credit": 0, "exchange": 0, "repair": 0, "replace": 0,
        "staff": 0, "refused": 0}
t.eq(js.get("cases"), {
    "total": 9,
    "by_kind": {
        "return": dict(zero, total=6, refund=3, store_credit=1, exchange=1, staff=1),
        "fault": dict(zero, total=3, repair=1, replace=2),
    },
    "by_state": {"registered": 3, "waiting_for_staff": 0, "approved": 2, "refused": 1,
                 "at_repair": 1, "back_from_repair": 0, "ready_for_pickup": 1, "closed": 1},
}, "cases")
t.eq(js.get("resolution"), {"resolved": 8, "resolved_at_kiosk": 3,
                            "share_resolved_at_kiosk": 0.3333, "median_seconds": 0,
                            "p90_seconds": 90000}, "resolution")
t.eq(js.get("promises"), {"due": 4, "met": 2, "share_met": 0.5, "overdue_now": [
    {"case_id": "K-000005", "kind": "fault", "state": "at_repair",
     "promised_at": "2026-11-20", "days_late": 3},
    {"case_id": "K-000007", "kind": "fault", "state": "ready_for_pickup",
     "promised_at": "2026-11-22", "days_late": 1},
]}, "promises")
t.eq(js.get("overrides"), {"cases": 3, "rate": 0.3333, "reasons": [
    {"reason": "Regular customer, fault obvious", "count": 2},
    {"reason": "Repair shop <confirmed> fault & cost", "count": 1},
]}, "overrides")
t.eq(js.get("calls"), {"total": 4, "answered": 3, "open": 1, "wait_median_seconds": 120,
                       "wait_worst_seconds": 900}, "calls")
t.eq(js.get("repeat_visits"), {"views": 4, "cases_viewed": 3, "per_case": 0.44},
     "repeat visits")

# "Now" comes from KIOSK_NOW: a week later the open call has waited longer
# and K-2's promise (2026-11-24) has passed without the case being closed.
p, later = run_json(["report", "--json"], db=db, env={"KIOSK_NOW": "2026-11-30T10:00:00+01:00"})
t.eq(p.returncode, 0, "report a week later exit")
if later:
    t.eq(later["calls"]["wait_worst_seconds"], 7 * 86400 + 900, "open call keeps waiting")
    t.eq([o["case_id"] for o in later["promises"]["overdue_now"]],
         ["K-000005", "K-000007", "K-000002"], "overdue a week later")

# A period: cases registered from 2026-11-21 are K-6..K-9.
p, per = run_json(["report", "--json", "--from", "2026-11-21", "--to", "2026-11-23"], db=db)
t.eq(p.returncode, 0, "period exit")
if per:
    t.eq(per["period"], {"from": "2026-11-21", "to": "2026-11-23"}, "period echoed")
    t.eq(per["cases"]["total"], 4, "cases in the period")

# ---- HTML ----------------------------------------------------------------


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values = {}      # id -> data-value
        self.svgs = 0
        self.rects = 0
        self.stack = []
        self.overdue = []     # text of td.case cells
        self.reasons = []
        self.cls = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a and "data-value" in a:
            self.values[a["id"]] = a["data-value"]
        if tag == "svg":
            self.svgs += 1
        if tag == "rect":
            self.rects += 1
        self.cls = a.get("class")

    def handle_endtag(self, tag):
        self.cls = None

    def handle_data(self, data):
        if self.cls == "case":
            self.overdue.append(data)
        elif self.cls == "reason":
            self.reasons.append(data)


page_path = os.path.join(d, "report.html")
p = run(["--lang", "en", "report", "--html", page_path], db=db)
t.eq(p.returncode, 0, f"--html exit ({p.stderr.strip()})")
t.eq(p.stdout.strip(), page_path, "--html prints the file it wrote")
raw = open(page_path, encoding="utf-8").read() if os.path.exists(page_path) else ""
pg = Page()
pg.feed(raw)
want = {
    "cases_total": "9", "cases_return": "6", "cases_fault": "3",
    "cases_return_refund": "3", "cases_fault_replace": "2",
    "resolved": "0.8889", "share_resolved_at_kiosk": "0.3333",
    "median_seconds": "0", "p90_seconds": "90000",
    "share_met": "0.5000", "overdue_count": "2", "override_rate": "0.3333",
    "calls_total": "4", "calls_open": "1", "wait_median_seconds": "120",
    "wait_worst_seconds": "900", "views": "4", "cases_viewed": "3", "per_case": "0.44",
}
for k, v in want.items():
    t.eq(pg.values.get(k), v, f"html figure {k}")
t.eq(pg.overdue, ["K-000005", "K-000007"], "html overdue list")
t.eq(pg.reasons, ["Regular customer, fault obvious", "Repair shop <confirmed> fault & cost"],
     "html reasons (unescaped by the parser)")
t.check("Repair shop &lt;confirmed&gt; fault &amp; cost" in raw, "reason is HTML-escaped")
t.check("<confirmed>" not in raw, "no raw markup from a reason")
t.eq(pg.svgs, 2, "two inline SVG charts")
t.check(pg.rects >= 5, f"the charts have bars ({pg.rects})")
t.check("<script" not in raw and "http://" not in raw.replace("http://www.w3.org/2000/svg", ""),
        "self-contained: no scripts, no external links")

# ---- table ---------------------------------------------------------------
p = run(["--lang", "en", "report"], db=db)
t.eq(p.returncode, 0, "table exit")
lines = p.stdout.splitlines()
for want_line in [
    "Service report: Hemelektronik Centrum",
    "  Resolved at the kiosk without staff           3 of 9 (33 %)",
    "  Registration to resolution, median            0 s",
    "  Registration to resolution, 90th percentile   1 d 1 h",
    "  Met the promised date                         2 of 4 (50 %)",
    "    K-000005                                    Promised 2026-11-20, Days late 3, At repair",
    "    2 × Regular customer, fault obvious",
    "  Waiting time, worst                           15 min 00 s",
    "  Visits per case                               0.44",
]:
    t.check(want_line in lines, f"table has {want_line!r}")
p = run(["report"], db=db)  # the store's language: Swedish
t.check("Servicerapport: Hemelektronik Centrum" in p.stdout, "table in Swedish by default")
t.check("  Avgjorda i kiosken utan personal              3 av 9 (33 %)" in p.stdout.splitlines(),
        "Swedish label with å/ä/ö aligned")

# ---- an empty store: zeros and absent figures, not errors ------------------
empty = kt.database(d, "empty.db")
header = os.path.join(d, "header.csv")
with open(header, "w") as h:
    h.write("receipt_id,store,register,purchased_at,line,sku,description,quantity,unit_price,"
            "currency,category\n")
t.eq(run(["import", header], db=empty).returncode, 0, "the empty store's database made")
p, e = run_json(["report", "--json"], db=empty)
t.eq(p.returncode, 0, f"empty report exit ({p.stderr.strip()})")
if e:
    t.eq(e["cases"]["total"], 0, "empty: no cases")
    t.eq(e["resolution"], {"resolved": 0, "resolved_at_kiosk": 0, "share_resolved_at_kiosk": 0,
                           "median_seconds": None, "p90_seconds": None}, "empty: resolution")
    t.eq(e["calls"]["wait_worst_seconds"], None, "empty: no call waits")
    t.eq(e["promises"]["overdue_now"], [], "empty: nothing overdue")
p = run(["--lang", "en", "report", "--html", os.path.join(d, "empty.html")], db=empty)
t.eq(p.returncode, 0, "empty html exit")
pe = Page()
pe.feed(open(os.path.join(d, "empty.html"), encoding="utf-8").read())
t.eq(pe.values.get("median_seconds"), "null", "empty html: no median")
p = run(["--lang", "en", "report"], db=empty)
t.check("  Registration to resolution, median            none" in p.stdout.splitlines(),
        "empty table says none")

# ---- refusals --------------------------------------------------------------
rows = [
    (["report", "--from", "2026-13-01"], 2,
     "kiosk report: --from must be a date YYYY-MM-DD, not '2026-13-01'"),
    (["report", "--from", "2026-11-23", "--to", "2026-11-01"], 1,
     "kiosk report: The report period ends before it starts."),
    (["report", "--html", os.path.join(d, "no", "such", "dir", "r.html")], 1,
     f"kiosk report: Cannot write {os.path.join(d, 'no', 'such', 'dir', 'r.html')}.tmp."),
]
for i, (args, code, msg) in enumerate(rows):
    p = run(args, db=db)
    t.eq(p.returncode, code, f"i:{i} exit")
    t.eq(p.stderr.strip(), msg, f"i:{i} reason")

t.done()
