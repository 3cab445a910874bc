# The kiosk UI (issue 6): unit tests of the flow and the framework without a
# display, then the real binary under Xvfb (displays :91-:94 only), driven
# with xdotool taps and fifo scans, and screenshot comparisons.
# In the sanitizer build the kiosk runs with ASan and UBSan errors fatal
# (uidriver fails on any report) but without LeakSanitizer: Mesa and D-Bus,
# loaded by SDL, leak at exit from unloaded modules LSan cannot name, and
# LSan's tracer crashes with their threads. The UI's own allocations are
# leak-checked in ui_units (flow, tree) and ui_layout (every screen).
foreach(t units layout)
  add_executable(test_ui_${t} ${KIOSK_TESTS}/ui/test_ui_${t}.c ${KIOSK_TESTS}/ui/flow_fakes.c)
  target_include_directories(test_ui_${t} PRIVATE ${KIOSK_TESTS}/common ${KIOSK_TESTS}/ui)
  target_link_libraries(test_ui_${t} PRIVATE kiosk_ui kiosk_services kiosk_store kiosk_drivers kiosk_core)
  add_test(NAME ui_${t} COMMAND test_ui_${t})
  set_tests_properties(ui_${t} PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
endforeach()
# The themes' colours against WCAG's contrast ratio (no display).
add_executable(test_theme ${KIOSK_TESTS}/ui/test_theme.c)
target_include_directories(test_theme PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_theme PRIVATE kiosk_ui m)
add_test(NAME ui_theme COMMAND test_theme)
# What speech says about each control and screen, and explore by touch.
add_executable(test_speak ${KIOSK_TESTS}/ui/test_speak.c)
target_include_directories(test_speak PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_speak PRIVATE kiosk_ui kiosk_services kiosk_store kiosk_drivers kiosk_core)
add_test(NAME ui_speak COMMAND test_speak)
set_tests_properties(ui_speak PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

foreach(t flows_sv:91 flows_en:92 screens:93 misc:94 privacy:90 decisions:99)
  string(REPLACE ":" ";" parts ${t})
  list(GET parts 0 name)
  list(GET parts 1 display)
  add_test(NAME ui_${name} COMMAND python3 ${KIOSK_TESTS}/ui/test_${name}.py)
  set_tests_properties(ui_${name} PROPERTIES
    ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;KIOSK_UI_DISPLAY=${display};PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0"
    SKIP_RETURN_CODE 77 TIMEOUT 180 RESOURCE_LOCK xdisplay${display})
endforeach()

# A kiosk on TCP to a server in a network namespace whose link goes silent
# (needs root and iproute2; CI runs as root). Its own display, :87.
add_test(NAME ui_network COMMAND python3 ${KIOSK_TESTS}/ui/test_network.py)
set_tests_properties(ui_network PROPERTIES
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common:${KIOSK_TESTS}/ui;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0"
  SKIP_RETURN_CODE 77 TIMEOUT 180 RESOURCE_LOCK xdisplay87)
