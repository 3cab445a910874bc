# bench_receipt: case receipt encoding time and bytes, side by side with
# @point-of-sale/receipt-printer-encoder when node is there.
add_executable(bench_receipt ${KIOSK_TESTS}/bench/bench_receipt.c)
target_include_directories(bench_receipt PRIVATE ${KIOSK_TESTS}/printer)
target_compile_definitions(bench_receipt PRIVATE KIOSK_BENCH_DIR="${KIOSK_TESTS}/bench")
target_link_libraries(bench_receipt PRIVATE kiosk_drivers kiosk_core)
# smoke: a few iterations, the peer only if already installed (no network)
add_test(NAME bench_receipt_smoke COMMAND bench_receipt --iterations 3 --no-install)
set_tests_properties(bench_receipt_smoke PROPERTIES LABELS bench-smoke
  ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
