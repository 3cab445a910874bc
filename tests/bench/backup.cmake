# bench_backup: `kiosk backup` beside the sqlite3 shell's .backup of the same
# database, time and peak RSS at 1 M and 4 M imported receipt lines. Full run:
#   KIOSK_BIN=build/kiosk python3 tests/bench/bench_backup.py
add_test(NAME backup_bench_smoke COMMAND python3 ${KIOSK_TESTS}/bench/bench_backup.py
         --lines 20000 --repeat 1)
set_tests_properties(backup_bench_smoke PROPERTIES LABELS bench-smoke SKIP_RETURN_CODE 77
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>")
