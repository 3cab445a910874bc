# Store area (issue 4): the SQLite database behind app/store/store.h and
# the read-only CLI over it. C unit tests run against a real SQLite file in
# a temporary folder; the python test drives the real binary. Every test
# name starts with store_.
foreach(name schema receipts cases case_events staff import_batch outbox)
  add_executable(test_store_${name} ${KIOSK_TESTS}/store/test_store_${name}.c)
  target_include_directories(test_store_${name} PRIVATE ${KIOSK_TESTS}/common
                             ${KIOSK_TESTS}/store)
  target_compile_definitions(test_store_${name} PRIVATE
                             STORE_TEST_DIR="${KIOSK_TESTS}/store")
  target_link_libraries(test_store_${name} PRIVATE kiosk_store)
  add_test(NAME store_${name} COMMAND test_store_${name})
endforeach()
# The queue an SQLite file's writers take their turns in, with real processes.
add_executable(test_writer_queue ${KIOSK_TESTS}/store/test_writer_queue.c)
target_include_directories(test_writer_queue PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_writer_queue PRIVATE kiosk_core)
add_test(NAME store_writer_queue COMMAND test_writer_queue)
# The same tests on PostgreSQL (a fresh database per fixture in a throwaway
# cluster); the schema test is about SQLite's file migrations and stays
# there (PostgreSQL's schema is tested by store_pg).
foreach(name receipts cases case_events staff import_batch outbox)
  add_test(NAME store_${name}_pg COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
           $<TARGET_FILE:test_store_${name}>)
  set_tests_properties(store_${name}_pg PROPERTIES SKIP_RETURN_CODE 77
                       ENVIRONMENT "PYTHONPATH=${KIOSK_TESTS}/common")
endforeach()

add_test(NAME store_cli COMMAND python3 ${KIOSK_TESTS}/store/test_store_cli.py)
set_tests_properties(store_cli PROPERTIES ENVIRONMENT
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

# Benchmark (store import, idempotent re-import, receipt lookup p50/p99):
# run by hand at full size; ctest only checks it still works, tiny.
add_executable(bench_store ${KIOSK_TESTS}/store/bench_store.c)
target_include_directories(bench_store PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(bench_store PRIVATE kiosk_store)
add_test(NAME store_bench_smoke COMMAND bench_store --receipts 300 --lines 3 --lookups 200)
set_tests_properties(store_bench_smoke PROPERTIES LABELS bench-smoke)

# Races between real processes on one database file (registrations, PINs).
add_executable(race_tool ${KIOSK_TESTS}/store/race_tool.c)
target_link_libraries(race_tool PRIVATE kiosk_services kiosk_store kiosk_core)
kiosk_py_test_both(store_races ${KIOSK_TESTS}/store/test_races.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;RACE_TOOL=$<TARGET_FILE:race_tool>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets"
  TIMEOUT 600)

# `kiosk backup`: copies taken while four processes register (SQLite); the
# chain's database refused (PostgreSQL).
kiosk_py_test_both(store_backup ${KIOSK_TESTS}/store/test_backup.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;RACE_TOOL=$<TARGET_FILE:race_tool>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets"
  TIMEOUT 300)

# The audit log's hash chain and `kiosk audit verify`, on both engines.
kiosk_py_test_both(store_audit ${KIOSK_TESTS}/store/test_audit.py
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets"
  TIMEOUT 300)

# A python test of what only PostgreSQL has (skipped, 77, without the
# server's programs, which CI counts as a failure).
function(store_pg_test name script)
  add_test(NAME ${name} COMMAND python3 ${KIOSK_TESTS}/store/${script})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT
    "KIOSK_BIN=$<TARGET_FILE:kiosk>;RACE_TOOL=$<TARGET_FILE:race_tool>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")
endfunction()
# What only PostgreSQL has: schema made once by kiosks starting together,
# case numbers from a sequence, newer schema refused, append-only audit log,
# the ID key, a server that goes away and comes back.
store_pg_test(store_pg test_pg.py)
# Offline (issue 14): two kiosks with journals across a crash of the
# server, a conflict, and SIGKILL during replay: 200 kills in the README's
# run; the sanitizer build, where each run is slower, looks for memory
# errors on the same paths with 40.
if(KIOSK_SANITIZE)
  set(offline_kills 40)
else()
  set(offline_kills 200)
endif()
add_test(NAME store_offline COMMAND python3 ${KIOSK_TESTS}/store/test_offline.py)
set_tests_properties(store_offline PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 ENVIRONMENT
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;RACE_TOOL=$<TARGET_FILE:race_tool>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;OFFLINE_KILLS=${offline_kills}")
# A receipt's lines need their receipt, and a receipt its store, held by
# statement triggers (schema 14), also against two sessions at once.
store_pg_test(store_pg_receipt_keys test_pg_receipt_keys.py)
# An import reads by the indexes even where the statistics say the tables
# are empty (the server's counters of what each import read).
store_pg_test(store_pg_import_stats test_pg_import_stats.py)
# A registration whose COMMIT's answer is lost is asked after on a new
# connection; an orphaned transaction the server still holds is ended.
store_pg_test(store_pg_lost_answer test_pg_lost_answer.py)
# The chain's kiosks register while an import runs; imports take turns.
store_pg_test(store_pg_import_beside test_pg_import_beside.py)
# The chain's kiosks register while the contact purge runs.
store_pg_test(store_pg_purge_beside test_pg_purge_beside.py)
# The roles file: what each role may and may not do.
store_pg_test(store_pg_roles test_pg_roles.py)

# The desk service (what the counter and `kiosk case update` act through),
# on both engines.
add_executable(test_desk ${KIOSK_TESTS}/store/test_desk.c)
target_include_directories(test_desk PRIVATE ${KIOSK_TESTS}/common ${KIOSK_TESTS}/store)
target_link_libraries(test_desk PRIVATE kiosk_services kiosk_store kiosk_core)
add_test(NAME store_desk COMMAND test_desk)
add_test(NAME store_desk_pg COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         $<TARGET_FILE:test_desk>)
set_tests_properties(store_desk store_desk_pg PROPERTIES SKIP_RETURN_CODE 77
                     ENVIRONMENT "PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

# Disk errors named as disk errors: a tmpfs the test mounts (root).
add_test(NAME store_disk_errors COMMAND python3 ${KIOSK_TESTS}/store/test_disk_errors.py)
set_tests_properties(store_disk_errors PROPERTIES ENVIRONMENT
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets")

# The crash test: registrations, reprints and imports SIGKILLed at random
# (300 kills in the README's run; `--kills 1000` as the benchmark, README;
# the sanitizer build looks for memory errors on the same paths with 100).
if(KIOSK_SANITIZE)
  set(crash_kills 100)
else()
  set(crash_kills 300)
endif()
add_test(NAME store_crash COMMAND python3 ${KIOSK_TESTS}/store/test_crash.py
         --kills ${crash_kills})
set_tests_properties(store_crash PROPERTIES TIMEOUT 600 ENVIRONMENT
  "KIOSK_BIN=$<TARGET_FILE:kiosk>;RACE_TOOL=$<TARGET_FILE:race_tool>;PRINTER_TOOL=$<TARGET_FILE:printer_tool>;PYTHONPATH=${KIOSK_TESTS}/common;KIOSK_ASSETS=${CMAKE_SOURCE_DIR}/assets;ASAN_OPTIONS=verify_asan_link_order=0")

# The chain's database opened on a worker, as a kiosk started without its
# chain does (services/chain_open.h); in the ThreadSanitizer run.
add_executable(test_chain_open ${KIOSK_TESTS}/store/test_chain_open.c)
target_include_directories(test_chain_open PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_chain_open PRIVATE kiosk_services)
add_test(NAME store_chain_open COMMAND test_chain_open)

# A primary and its standby as one connection string (db_pg_hosts.c): the
# connections after the first begin where a server answered last.
add_executable(test_pg_hosts ${KIOSK_TESTS}/store/test_pg_hosts.c)
target_include_directories(test_pg_hosts PRIVATE ${KIOSK_TESTS}/common)
target_link_libraries(test_pg_hosts PRIVATE kiosk_store kiosk_core)
add_test(NAME store_pg_hosts COMMAND python3 ${KIOSK_TESTS}/common/with_pg.py
         $<TARGET_FILE:test_pg_hosts>)
set_tests_properties(store_pg_hosts PROPERTIES SKIP_RETURN_CODE 77
                     ENVIRONMENT "PYTHONPATH=${KIOSK_TESTS}/common")
