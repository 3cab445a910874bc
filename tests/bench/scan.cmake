# bench_scan: MRZ parses/s and classifications/s of scan_parse, side by
# side with the npm package "mrz" when node is there.
add_executable(bench_scan ${KIOSK_TESTS}/bench/bench_scan.c)
target_compile_definitions(bench_scan PRIVATE KIOSK_BENCH_DIR="${KIOSK_TESTS}/bench")
target_link_libraries(bench_scan PRIVATE kiosk_core)
# smoke: a moment of each, the peer only if already installed (no network)
add_test(NAME scan_bench_smoke COMMAND bench_scan --seconds 0.01 --no-install)
set_tests_properties(scan_bench_smoke PROPERTIES LABELS bench-smoke)
