# Return and warranty policy (pure rules, sentences in both languages), money
# as the customer reads it, the keyed ID-document hash and case registration
# against a real SQLite file.
add_executable(test_policy ${KIOSK_TESTS}/policy/test_policy.c)
target_include_directories(test_policy PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_policy PRIVATE kiosk_core)
add_test(NAME policy_rules COMMAND test_policy)
set_tests_properties(policy_rules PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
add_executable(test_money ${KIOSK_TESTS}/policy/test_money.c)
target_include_directories(test_money PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_money PRIVATE kiosk_core)
add_test(NAME money_format COMMAND test_money)
set_tests_properties(money_format PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
add_executable(test_policy_services ${KIOSK_TESTS}/policy/test_policy_services.c)
target_include_directories(test_policy_services PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_policy_services PRIVATE kiosk_services)
add_test(NAME policy_services COMMAND test_policy_services)
set_tests_properties(policy_services PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
add_test(NAME policy_services_pg COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         $<TARGET_FILE:test_policy_services>)
set_tests_properties(policy_services_pg PROPERTIES SKIP_RETURN_CODE 77 ENVIRONMENT
  "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;PYTHONPATH=${KIOSK_TESTS}/common")
