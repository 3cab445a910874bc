# Scanner drivers: the HID decoder (unit tables), the fifo / serial / replay /
# keyboard transports (real fifos and ptys), and the libusb transport under
# umockdev with recorded device descriptions and usbdevfs scripts.
add_executable(test_hid_decode ${KIOSK_TESTS}/scanner/test_hid_decode.c)
target_include_directories(test_hid_decode PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_hid_decode PRIVATE kiosk_drivers)
add_test(NAME scanner_hid_decode COMMAND test_hid_decode)

add_executable(usb_scan_probe ${KIOSK_TESTS}/scanner/usb_scan_probe.c)
target_link_libraries(usb_scan_probe PRIVATE kiosk_drivers)

# USB under umockdev: NAME DEVICE IOCTL SPEC EVENTS EXPECTED [LAYOUT]
set(SCANNER_DIR ${KIOSK_TESTS}/scanner)
foreach(row
    "usb_kbd|kbd_scanner|kbd_scans.ioctl|usb|3|usb_kbd"
    "usb_kbd_auto_unplug|kbd_scanner|kbd_unplug.ioctl|auto|6|usb_kbd_unplug"
    "usb_pos|pos_scanner|pos_scans.ioctl|usb|3|usb_pos"
    "usb_pos_exact|pos_scanner|pos_scans.ioctl|usb:1209:0001|3|usb_pos"
    "usb_auto_skips_unknown|pos_scanner|pos_scans.ioctl|auto|1|usb_auto_unknown"
    "usb_exact_absent|pos_scanner|pos_scans.ioctl|usb:0c2e:0b61|1|usb_exact_absent"
    "usb_kbd_stall|kbd_scanner|kbd_stall.ioctl|usb|8|usb_kbd_stall"
    "usb_pos_garbage|pos_scanner|pos_garbage.ioctl|usb|5|usb_pos_garbage"
    "usb_kbd_sv|kbd_scanner|kbd_sv.ioctl|usb|2|usb_kbd_sv|sv"
    # a touchscreen's HID interface looks like HID POS to its interface
    # descriptor; its report descriptor in sysfs says Digitizer
    "usb_touch_not_taken|touch_screen|pos_scans.ioctl|usb|1|usb_touch_not_taken"
    "usb_pos_with_report|pos_scanner_hid|pos_scans.ioctl|usb|3|usb_pos")
  string(REPLACE "|" ";" row "${row}")
  list(GET row 0 name)
  list(GET row 1 dev)
  list(GET row 2 ioctl)
  list(GET row 3 spec)
  list(GET row 4 n)
  list(GET row 5 want)
  set(layout "")  # optional keyboard layout
  list(LENGTH row cols)
  if(cols GREATER 6)
    list(GET row 6 layout)
  endif()
  add_test(NAME scanner_${name}
           COMMAND python3 ${SCANNER_DIR}/run_umockdev.py $<TARGET_FILE:usb_scan_probe>
                   ${SCANNER_DIR}/${dev}.umockdev ${SCANNER_DIR}/${ioctl} ${spec} ${n}
                   ${SCANNER_DIR}/expected/${want}.txt ${layout})
  set_tests_properties(scanner_${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 30
                       ENVIRONMENT "ASAN_OPTIONS=verify_asan_link_order=0")
endforeach()

# Transports through the public API: one ctest per transport.
add_executable(test_scanner_transports ${KIOSK_TESTS}/scanner/test_scanner_transports.c)
target_include_directories(test_scanner_transports PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_scanner_transports PRIVATE kiosk_drivers)
foreach(part spec_refusals replay_file_errors replay fifo serial wedge)
  add_test(NAME scanner_${part} COMMAND test_scanner_transports -f test_${part})
  set_tests_properties(scanner_${part} PROPERTIES TIMEOUT 30
                       ENVIRONMENT "KIOSK_SCANNER_DIR=${KIOSK_TESTS}/scanner")
endforeach()

# Hotplug in a umockdev testbed driven from the test itself (needs the
# libumockdev headers; without them the test is there and reports itself
# skipped, which .ci/run counts as a failure).
pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)
find_program(UMOCKDEV_WRAPPER umockdev-wrapper)
if(UMOCKDEV_FOUND AND UMOCKDEV_WRAPPER)
  add_executable(usb_hotplug_test ${KIOSK_TESTS}/scanner/usb_hotplug_test.c)
  target_include_directories(usb_hotplug_test PRIVATE ${KIOSK_TESTS}/common)
  target_link_libraries(usb_hotplug_test PRIVATE kiosk_drivers PkgConfig::UMOCKDEV)
  add_test(NAME scanner_usb_hotplug
           COMMAND ${UMOCKDEV_WRAPPER} $<TARGET_FILE:usb_hotplug_test> ${KIOSK_TESTS}/scanner)
  set_tests_properties(scanner_usb_hotplug PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60
                       ENVIRONMENT "ASAN_OPTIONS=verify_asan_link_order=0")
else()
  add_test(NAME scanner_usb_hotplug
           COMMAND sh -c "echo 'SKIPPED: libumockdev-dev or umockdev-wrapper missing' >&2; exit 77")
  set_tests_properties(scanner_usb_hotplug PROPERTIES SKIP_RETURN_CODE 77)
endif()

# Record a USB scanner's reports, replay them (scanner_record + replay:FILE).
add_test(NAME scanner_usb_record
         COMMAND python3 ${SCANNER_DIR}/test_usb_record.py $<TARGET_FILE:usb_scan_probe>
                 ${SCANNER_DIR})
set_tests_properties(scanner_usb_record PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60)
