# Updates that reach the customer (issue 11): contacts, the outbox, senders.
add_executable(test_contact ${KIOSK_TESTS}/notify/test_contact.c)
target_include_directories(test_contact PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_contact PRIVATE kiosk_core)
add_test(NAME notify_contact COMMAND test_contact)
