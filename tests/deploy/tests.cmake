# Installing a kiosk (issue 13): the units, install.sh, the watchdog under
# Xvfb (:89) and the kiosk under cage (headless, as nobody).
add_test(NAME deploy COMMAND python3 ${KIOSK_TESTS}/deploy/test_deploy.py)
set_tests_properties(deploy PROPERTIES
  ENVIRONMENT "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0"
  TIMEOUT 180 RESOURCE_LOCK xdisplay89)
