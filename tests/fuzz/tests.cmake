# libFuzzer targets: tests/fuzz/fuzz_NAME.c with its seed corpus in
# tests/fuzz/corpus_NAME/. Built with clang when KIOSK_FUZZ=ON; each runs
# as a ctest for a bounded time (new inputs go to a scratch folder, the
# committed corpus is only read).
if(KIOSK_FUZZ)
  file(GLOB FUZZ_SRC CONFIGURE_DEPENDS ${KIOSK_TESTS}/fuzz/fuzz_*.c)
  foreach(src ${FUZZ_SRC})
    get_filename_component(name ${src} NAME_WE)
    string(REPLACE "fuzz_" "" short ${name})
    add_executable(${name} ${src})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE kiosk_services kiosk_store kiosk_drivers kiosk_core)
    set(corpus ${KIOSK_TESTS}/fuzz/corpus_${short})
    set(scratch ${CMAKE_CURRENT_BINARY_DIR}/fuzz_scratch_${short})
    add_test(NAME fuzz_${short}
             COMMAND sh -c "mkdir -p ${scratch} && $<TARGET_FILE:${name}> -max_total_time=20 -rss_limit_mb=2048 ${scratch} ${corpus}")
  endforeach()
endif()
