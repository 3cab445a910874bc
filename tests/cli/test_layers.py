"""The layers hold: the screens (app/ui) and the command line (app/cli)
reach the database only through the services, holding a handle
(store/store_handle.h) and never the store's operations (store/store.h),
its private parts or an engine's header; the services use store.h and
nothing below it; SQL is written only in app/store. In the UI the toolkit
(app/ui/toolkit) knows no mode, and the kiosk and the counter (app/ui/kiosk,
app/ui/counter) know neither each other nor the toolkit's internals. Below the store's
rules, each engine (app/store/sqlite, app/store/postgres) speaks only the
seam (store/db.h and the leaves beside it): never the rules above it, and
never the other engine. Fails with each file and line that crosses a
layer."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
APP = os.path.join(ROOT, "app")
RULES_ABOVE = ("store/store.h", "store/store_private.h", "store/store_handle.h")
SQLITE = ("sqlite3.h", "store/sqlite/")
POSTGRES = ("libpq-fe.h", "store/postgres/")
BELOW_STORE = ("store/store_private.h", "store/db.h", "store/store_migrations.h",
               "store/audit_link.h") + SQLITE + POSTGRES
# folder (under app/) -> includes it may not make; an entry ending in "/"
# bans every header under that folder. The deepest folder that holds a file
# gives its rules.
UI = ("store/store.h",) + BELOW_STORE
MODES = ("ui/modes.h", "ui/kiosk/", "ui/counter/")
RULES = {
    "ui": UI,
    # the toolkit knows no mode; a mode knows no other mode and not the
    # toolkit's internals; only the registry (ui/modes.c) knows them all
    "ui/toolkit": UI + MODES,
    "ui/kiosk": UI + ("ui/modes.h", "ui/counter/", "ui/toolkit/ui_private.h"),
    "ui/counter": UI + ("ui/modes.h", "ui/kiosk/", "ui/toolkit/ui_private.h"),
    "cli": UI + ("ui/kiosk/", "ui/counter/", "ui/toolkit/ui_private.h"),
    "services": BELOW_STORE,
    "domain": ("store/store.h", "store/store_handle.h") + BELOW_STORE,
    "core": ("store/store.h", "store/store_handle.h") + BELOW_STORE,
    "store/sqlite": RULES_ABOVE + POSTGRES,
    "store/postgres": RULES_ABOVE + SQLITE,
}
SQL = re.compile(r'"\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX))\b')
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def rules_of(rel_dir):
    """The rules of the deepest ruled folder that holds rel_dir (None: app/store's own files)."""
    parts = rel_dir.split("/")
    for n in range(len(parts), 0, -1):
        key = "/".join(parts[:n])
        if key in RULES:
            return RULES[key]
    return None


def banned(header, rules):
    return any(header == r or (r.endswith("/") and header.startswith(r)) for r in rules)


bad = []
checked = 0
for folder, _, names in sorted(os.walk(APP)):
    rel_dir = os.path.relpath(folder, APP).replace(os.sep, "/")
    rules = rules_of(rel_dir)
    sql_allowed = rel_dir == "store" or rel_dir.startswith("store/")
    for name in sorted(names):
        if not name.endswith((".c", ".h")):
            continue
        checked += 1
        rel = f"app/{rel_dir}/{name}"
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if m and rules and banned(m.group(1), rules):
                    bad.append(f"{rel}:{n}: includes {m.group(1)}")
                if not sql_allowed and SQL.search(line):
                    bad.append(f"{rel}:{n}: SQL outside app/store: {line.strip()}")
for b in bad:
    print("FAIL:", b)
print(f"{checked} files checked, {len(bad)} crossings")
sys.exit(1 if bad or checked < 150 else 0)
