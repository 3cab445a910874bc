# Counter area (issue 7): staff CLI, staff login, the service report and
# the counter view. Every test name starts with counter_.
set(COUNTER_PYENV "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

add_test(NAME counter_staff_cli COMMAND python3 ${KIOSK_TESTS}/counter/test_staff_cli.py)
set_tests_properties(counter_staff_cli PROPERTIES ENVIRONMENT "${COUNTER_PYENV}")

add_executable(test_counter_login ${KIOSK_TESTS}/counter/test_login.c)
target_include_directories(test_counter_login PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_counter_login PRIVATE kiosk_store)
add_test(NAME counter_login COMMAND test_counter_login)
