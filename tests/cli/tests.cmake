# End-to-end tests of the command-line shell (help, version, usage errors).
add_test(NAME cli_basics
         COMMAND python3 ${KIOSK_TESTS}/cli/test_cli.py)
set_tests_properties(cli_basics PROPERTIES ENVIRONMENT
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common")
add_executable(test_core ${KIOSK_TESTS}/cli/test_core.c)
target_include_directories(test_core PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_core PRIVATE kiosk_core)
add_test(NAME core_units COMMAND test_core)
set_tests_properties(core_units PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
# The layers: screens and command line reach the database only through the
# services; SQL only in app/store.
add_test(NAME layers COMMAND python3 ${KIOSK_TESTS}/cli/test_layers.py)
