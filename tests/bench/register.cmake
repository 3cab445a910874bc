# bench_register: registrations through case_register with 1, 8 and 32
# concurrent client processes, SQLite and PostgreSQL side by side, against
# issue 10's p99 goal. Full run:
#   python3 tests/common/with_pg.py build/tests/bench_register
add_executable(bench_register ${KIOSK_TESTS}/bench/bench_register.c)
target_link_libraries(bench_register PRIVATE kiosk_services kiosk_store kiosk_core)
# smoke: both engines, tiny
add_test(NAME register_bench_smoke COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         $<TARGET_FILE:bench_register> --receipts 300 --each 5 --clients 1,4)
set_tests_properties(register_bench_smoke PROPERTIES LABELS bench-smoke SKIP_RETURN_CODE 77
  ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;PYTHONPATH=${KIOSK_TESTS}/common")
