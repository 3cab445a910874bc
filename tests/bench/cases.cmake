# bench_cases: the counter's first page, `kiosk case list --json` and
# `kiosk report --json` at 10 k, 100 k and 1 M cases (time, peak RSS), with
# the ratio to issue 10's goals. Full run: build/tests/bench_cases --kiosk
# build/kiosk (see its header).
add_executable(bench_cases ${KIOSK_TESTS}/bench/bench_cases.c)
target_link_libraries(bench_cases PRIVATE kiosk_store kiosk_core PkgConfig::SQLITE)
# Through with_pg.py every size runs on PostgreSQL too:
#   python3 tests/common/with_pg.py build/tests/bench_cases --kiosk build/kiosk
# smoke: 500 cases, a few pages, both engines
add_test(NAME cases_bench_smoke COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         $<TARGET_FILE:bench_cases> --sizes 500 --pages 5 --kiosk $<TARGET_FILE:kiosk>)
set_tests_properties(cases_bench_smoke PROPERTIES LABELS bench-smoke SKIP_RETURN_CODE 77
  ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;PYTHONPATH=${KIOSK_TESTS}/common")
