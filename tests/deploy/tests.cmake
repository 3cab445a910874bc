# Installing a kiosk (issue 13): the units, install.sh, the watchdog under
# Xvfb (:89) and the kiosk under cage (headless, as nobody).
add_test(NAME deploy COMMAND python3 ${KIOSK_TESTS}/deploy/test_deploy.py)
set_tests_properties(deploy PROPERTIES
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0"
  TIMEOUT 180 RESOURCE_LOCK "xdisplay89;xdisplay88")

# The USBGuard policy from `kiosk devices --usbguard`, checked against
# usbguard generate-policy and usbguard-daemon on a umockdev bus.
add_test(NAME deploy_usbguard COMMAND python3 ${KIOSK_TESTS}/deploy/test_usbguard.py)
set_tests_properties(deploy_usbguard PROPERTIES
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets"
  TIMEOUT 120)
set_tests_properties(deploy_usbguard PROPERTIES ENVIRONMENT_MODIFICATION "ASAN_OPTIONS=set:verify_asan_link_order=0")
