# bench_offline: a kiosk's receipt cache refreshed from chains of 100 k and
# 1 M receipts, and 10 000 cases taken offline replayed into PostgreSQL
# beside the same registered online (time, rate, peak RSS). Full run:
#   KIOSK_BIN=build/kiosk RACE_TOOL=build/tests/race_tool PYTHONPATH=tests/common \
#     python3 tests/common/with_pg.py python3 tests/bench/bench_offline.py
# smoke: a small chain, 30 cases
add_test(NAME offline_bench_smoke COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         python3 ${KIOSK_TESTS}/bench/bench_offline.py --cases 30 --window 200 --chain 300,600)
set_tests_properties(offline_bench_smoke PROPERTIES LABELS bench-smoke SKIP_RETURN_CODE 77
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;RACE_TOOL=$<TARGET_FILE:race_tool>;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;PYTHONPATH=${KIOSK_TESTS}/common")
