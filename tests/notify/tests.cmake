# Updates that reach the customer (issue 11): contacts, the outbox, senders.
add_executable(test_contact ${KIOSK_TESTS}/notify/test_contact.c)
target_include_directories(test_contact PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_contact PRIVATE kiosk_core)
add_test(NAME notify_contact COMMAND test_contact)

# The kiosk and counter under Xvfb, `kiosk notify run --once` and a real
# SMTP server (aiosmtpd) with and without STARTTLS, on both engines.
kiosk_py_test_both(notify_e2e ${KIOSK_TESTS}/notify/test_notify_e2e.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets"
  TIMEOUT 300 RESOURCE_LOCK xvfb_counter)

kiosk_py_test_both(notify_case_update_cli ${KIOSK_TESTS}/notify/test_case_update_cli.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

kiosk_py_test_both(notify_faults ${KIOSK_TESTS}/notify/test_notify_faults.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets"
  TIMEOUT 300)
