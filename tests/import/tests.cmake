# Receipt import: parser unit tests (C, table-driven) and end-to-end tests
# of `kiosk import` and `kiosk demo-data` against the real binary.
add_executable(test_import_parse ${KIOSK_TESTS}/import/test_import_parse.c)
target_include_directories(test_import_parse PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_import_parse PRIVATE kiosk_core)
add_test(NAME import_parse COMMAND test_import_parse)
kiosk_py_test_both(import_e2e ${KIOSK_TESTS}/import/test_import_e2e.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common")
kiosk_py_test_both(import_demo_e2e ${KIOSK_TESTS}/import/test_demo_e2e.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common")
add_executable(test_demo_units ${KIOSK_TESTS}/import/test_demo_units.c)
target_include_directories(test_demo_units PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_demo_units PRIVATE kiosk_services kiosk_store kiosk_drivers kiosk_core)
add_test(NAME import_demo_units COMMAND test_demo_units)
set_tests_properties(import_demo_units PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
