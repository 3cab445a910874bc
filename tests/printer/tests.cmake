# The printer: encoder units, an independent decoder + zbarimg on the printed
# case receipt and its PNG, libusb under umockdev, and the CLI end to end.
add_executable(test_printer ${KIOSK_TESTS}/printer/test_printer.c)
target_include_directories(test_printer PRIVATE ${KIOSK_TESTS}/common ${KIOSK_TESTS}/printer)
target_link_libraries(test_printer PRIVATE kiosk_drivers kiosk_core)
add_test(NAME printer_units COMMAND test_printer)
set_tests_properties(printer_units PROPERTIES ENVIRONMENT "KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

add_executable(printer_tool ${KIOSK_TESTS}/printer/printer_tool.c)
target_include_directories(printer_tool PRIVATE ${KIOSK_TESTS}/printer)
target_link_libraries(printer_tool PRIVATE kiosk_services kiosk_store kiosk_drivers kiosk_core)

# The printer in umockdev testbeds the test drives itself (libumockdev):
# unplugged mid-receipt and plugged in again, and a printer that never
# answers its status. test_usb.py runs it under umockdev-wrapper with its
# sample receipt, and fails without it.
pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)
find_program(UMOCKDEV_WRAPPER umockdev-wrapper)
set(PRINTER_TESTBED "")
if(UMOCKDEV_FOUND AND UMOCKDEV_WRAPPER)
  add_executable(usb_testbed_test ${KIOSK_TESTS}/printer/usb_testbed_test.c)
  target_include_directories(usb_testbed_test PRIVATE ${KIOSK_TESTS}/common)
  target_link_libraries(usb_testbed_test PRIVATE kiosk_drivers PkgConfig::UMOCKDEV)
  set(PRINTER_TESTBED "${UMOCKDEV_WRAPPER} $<TARGET_FILE:usb_testbed_test>")
endif()

set(PRINTER_TEST_ENV
  "PRINTER_TESTBED=${PRINTER_TESTBED};KIOSK_BIN=$<TARGET_FILE:kiosk>;PRINTER_TOOL=$<TARGET_FILE:printer_tool>;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;PYTHONPATH=${KIOSK_TESTS}/common:${KIOSK_TESTS}/printer;ASAN_OPTIONS=verify_asan_link_order=0")
kiosk_py_test_both(printer_cli ${KIOSK_TESTS}/printer/test_cli.py "${PRINTER_TEST_ENV}")
foreach(t decode usb)
  add_test(NAME printer_${t} COMMAND python3 ${KIOSK_TESTS}/printer/test_${t}.py)
  set_tests_properties(printer_${t} PROPERTIES ENVIRONMENT "${PRINTER_TEST_ENV}")
endforeach()
set_tests_properties(printer_usb PROPERTIES SKIP_RETURN_CODE 77)
