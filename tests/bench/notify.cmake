# bench_notify: a state move to the SMTP server's receipt through `kiosk
# notify run` (p50/p99 beside the 5 s goal) and 10 000 due messages sent at
# once (rate, peak RSS, outbox size). Full run:
#   KIOSK_BIN=build/kiosk python3 tests/bench/bench_notify.py
add_test(NAME notify_bench_smoke COMMAND python3 ${KIOSK_TESTS}/bench/bench_notify.py
         --changes 5 --due 50)
set_tests_properties(notify_bench_smoke PROPERTIES LABELS bench-smoke
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
