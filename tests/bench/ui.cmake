# bench_ui: the kiosk under Xvfb (display :94): cold start, scan -> screen
# p50/p99, frame time, idle CPU. The smoke run is tiny and shares display
# :94 with ui_misc, so the two never run at once.
add_test(NAME ui_bench_smoke
         COMMAND python3 ${KIOSK_TESTS}/bench/bench_ui.py --starts 1 --scans 3 --steps 2 --idle 0.5)
set_tests_properties(ui_bench_smoke PROPERTIES LABELS bench-smoke RESOURCE_LOCK xdisplay94
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;KIOSK_UI_DISPLAY=94;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0")
