# bench_cases: the counter's first page, `kiosk case list --json` and
# `kiosk report --json` at 10 k, 100 k and 1 M cases (time, peak RSS), with
# the ratio to issue 10's goals. Full run: build/tests/bench_cases --kiosk
# build/kiosk (see its header).
add_executable(bench_cases ${KIOSK_TESTS}/bench/bench_cases.c)
target_link_libraries(bench_cases PRIVATE kiosk_store kiosk_core PkgConfig::SQLITE)
# smoke: 500 cases, a few pages
add_test(NAME cases_bench_smoke
         COMMAND bench_cases --sizes 500 --pages 5 --kiosk $<TARGET_FILE:kiosk>)
set_tests_properties(cases_bench_smoke PROPERTIES LABELS bench-smoke
                     ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
