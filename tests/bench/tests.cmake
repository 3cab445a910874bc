# Benchmarks: tests/bench/NAME.cmake each adds its executables. They print
# figures; ctest runs each once with a tiny size only to keep them working
# (label "bench-smoke"), never asserting on time.
file(GLOB BENCH_FILES CONFIGURE_DEPENDS ${KIOSK_TESTS}/bench/*.cmake)
list(REMOVE_ITEM BENCH_FILES ${KIOSK_TESTS}/bench/tests.cmake)
foreach(f ${BENCH_FILES})
  include(${f})
endforeach()
