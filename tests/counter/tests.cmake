# Counter area (issue 7): staff CLI, staff login, the service report and
# the counter view. Every test name starts with counter_.
set(COUNTER_PYENV "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

kiosk_py_test_both(counter_staff_cli ${KIOSK_TESTS}/counter/test_staff_cli.py "${COUNTER_PYENV}")

add_executable(test_counter_login ${KIOSK_TESTS}/counter/test_login.c)
target_include_directories(test_counter_login PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_counter_login PRIVATE kiosk_store)
add_test(NAME counter_login COMMAND test_counter_login)

# The counter's words for waits.
add_executable(test_counter_words ${KIOSK_TESTS}/counter/test_counter_words.c)
target_include_directories(test_counter_words PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_counter_words PRIVATE kiosk_ui kiosk_services kiosk_store kiosk_drivers kiosk_core)
add_test(NAME counter_words COMMAND test_counter_words)
set_tests_properties(counter_words PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

add_executable(test_counter_report ${KIOSK_TESTS}/counter/test_report.c)
target_include_directories(test_counter_report PRIVATE ${KIOSK_TESTS}/common ${KIOSK_TESTS}/counter)
target_link_libraries(test_counter_report PRIVATE kiosk_services)
add_test(NAME counter_report_figures COMMAND test_counter_report)
kiosk_py_test_both(counter_report_cli ${KIOSK_TESTS}/counter/test_report_cli.py
  "${COUNTER_PYENV};COUNTER_REPORT_BIN=$<TARGET_FILE:test_counter_report>")
add_test(NAME counter_ui COMMAND python3 ${KIOSK_TESTS}/counter/test_counter_ui.py)
set_tests_properties(counter_ui PROPERTIES ENVIRONMENT
  "${COUNTER_PYENV};COUNTER_REPORT_BIN=$<TARGET_FILE:test_counter_report>"
  SKIP_RETURN_CODE 77 TIMEOUT 180 RESOURCE_LOCK xvfb_counter)

# A store on one PostgreSQL database: two kiosks and a counter as three
# processes under Xvfb (issue 10).
add_test(NAME counter_chain_ui COMMAND python3 ${KIOSK_TESTS}/counter/test_chain_ui.py)
set_tests_properties(counter_chain_ui PROPERTIES ENVIRONMENT "${COUNTER_PYENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 240 RESOURCE_LOCK xvfb_counter)

# A customer's return whose save's answer is lost on the way (a relay
# loses it), on the kiosk's screen (issue 10).
add_test(NAME counter_lost_answer_ui COMMAND python3 ${KIOSK_TESTS}/counter/test_lost_answer_ui.py)
set_tests_properties(counter_lost_answer_ui PROPERTIES ENVIRONMENT "${COUNTER_PYENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 180 RESOURCE_LOCK xvfb_counter)

# Offline at the kiosk: a kiosk with a journal, a counter and a second kiosk
# under Xvfb while the server is down and back (issue 14).
add_test(NAME counter_offline_ui COMMAND python3 ${KIOSK_TESTS}/counter/test_offline_ui.py)
set_tests_properties(counter_offline_ui PROPERTIES ENVIRONMENT "${COUNTER_PYENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 240 RESOURCE_LOCK xvfb_counter)

add_test(NAME counter_failover_ui COMMAND python3 ${KIOSK_TESTS}/counter/test_failover_ui.py)
set_tests_properties(counter_failover_ui PROPERTIES ENVIRONMENT "${COUNTER_PYENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 180 RESOURCE_LOCK xvfb_counter)
