# bench_import: `kiosk import` of a generated 1,000,000-line CSV next to the
# sqlite3 shell's .import of the same file, and receipt lookups at 1 M
# receipts (p50/p99). Full run: build/tests/bench_import (see its header).
add_executable(bench_import ${KIOSK_TESTS}/bench/bench_import.c)
target_link_libraries(bench_import PRIVATE kiosk_services kiosk_store kiosk_core)
# smoke: 2,000 lines, 4,000 receipts, a few lookups
add_test(NAME import_bench_smoke
         COMMAND bench_import --lines 2000 --receipts 4000 --lookups 200 --repeat 1)
set_tests_properties(import_bench_smoke PROPERTIES LABELS bench-smoke)

# bench_import_cli: the kiosk import command beside sqlite3 .import and
# psql \copy, time, rate and peak RSS at 1 M and 4 M lines. Full run:
#   KIOSK_BIN=build/kiosk PYTHONPATH=tests/common python3 tests/common/with_pg.py \
#     python3 tests/bench/bench_import_cli.py
add_test(NAME import_cli_bench_smoke COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         python3 ${KIOSK_TESTS}/bench/bench_import_cli.py --lines 20000 --repeat 1)
set_tests_properties(import_cli_bench_smoke PROPERTIES LABELS bench-smoke SKIP_RETURN_CODE 77
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common")
