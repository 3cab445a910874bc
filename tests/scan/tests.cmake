# The scan parser (issue 3): table-driven unit tests of app/domain/scan*.c,
# mrz.c and aamva.c, and end-to-end tests of `kiosk scan`.
foreach(t test_scan test_scan_id)
  add_executable(${t} ${KIOSK_TESTS}/scan/${t}.c)
  target_include_directories(${t} PRIVATE ${KIOSK_TESTS}/common ${KIOSK_TESTS}/scan)
  target_link_libraries(${t} PRIVATE kiosk_core)
endforeach()
add_test(NAME scan_units COMMAND test_scan)
add_test(NAME scan_id_units COMMAND test_scan_id)
add_test(NAME scan_cli COMMAND python3 ${KIOSK_TESTS}/scan/test_scan_cli.py)
set_tests_properties(scan_cli PROPERTIES ENVIRONMENT
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common")
