# Scanner drivers: the HID decoder (unit tables), the fifo / serial / replay /
# keyboard transports (real fifos and ptys), and the libusb transport under
# umockdev with recorded device descriptions and usbdevfs scripts.
add_executable(test_hid_decode ${KIOSK_TESTS}/scanner/test_hid_decode.c)
target_include_directories(test_hid_decode PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_hid_decode PRIVATE kiosk_drivers)
add_test(NAME scanner_hid_decode COMMAND test_hid_decode)
