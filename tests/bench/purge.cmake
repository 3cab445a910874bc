# bench_purge: `kiosk purge` of 2 000 and 20 000 due cases among 200 000,
# on SQLite and PostgreSQL, with registrations one after another meanwhile
# (their p50 and max beside the same with nothing else running). Full run:
#   KIOSK_BIN=build/kiosk RACE_TOOL=build/tests/race_tool KIOSK_ASSETS=$PWD/assets \
#     PYTHONPATH=tests/common python3 tests/common/with_pg.py python3 tests/bench/bench_purge.py
# smoke: 3 000 cases, 50 due
add_test(NAME purge_bench_smoke COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         python3 ${KIOSK_TESTS}/bench/bench_purge.py --cases 3000 --due 50 --idle 3)
set_tests_properties(purge_bench_smoke PROPERTIES LABELS bench-smoke SKIP_RETURN_CODE 77
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;RACE_TOOL=$<TARGET_FILE:race_tool>;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;PYTHONPATH=${KIOSK_TESTS}/common")
