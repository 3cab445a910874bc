"""The layers hold: the screens (app/ui) and the command line (app/cli)
reach the database only through the services, holding a handle
(store/store_handle.h) and never the store's operations (store/store.h),
its private parts or an engine's header; the services use store.h and
nothing below it; SQL is written only in app/store. Fails with each file
and line that crosses a layer."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
APP = os.path.join(ROOT, "app")
BELOW_STORE = ("store/store_private.h", "store/db.h", "store/db_sqlite.h",
               "store/store_migrations.h", "sqlite3.h", "libpq-fe.h")
RULES = {
    "ui": ("store/store.h",) + BELOW_STORE,
    "cli": ("store/store.h",) + BELOW_STORE,
    "services": BELOW_STORE,
    "domain": ("store/store.h", "store/store_handle.h") + BELOW_STORE,
    "core": ("store/store.h", "store/store_handle.h") + BELOW_STORE,
}
SQL = re.compile(r'"\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX))\b')
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')

bad = []
checked = 0
for layer, banned in RULES.items():
    folder = os.path.join(APP, layer)
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".c", ".h")):
            continue
        checked += 1
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if m and m.group(1) in banned:
                    bad.append(f"app/{layer}/{name}:{n}: includes {m.group(1)}")
                if SQL.search(line):
                    bad.append(f"app/{layer}/{name}:{n}: SQL outside app/store: {line.strip()}")
for b in bad:
    print("FAIL:", b)
print(f"{checked} files checked, {len(bad)} crossings")
sys.exit(1 if bad or checked < 50 else 0)
