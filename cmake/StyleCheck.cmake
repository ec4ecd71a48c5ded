# The formatting check runs as a test, so the README's test command enforces it.
add_test(NAME style.clang-format COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-format)
set_tests_properties(style.clang-format PROPERTIES LABELS "style" ENVIRONMENT "EXOPI_LLVM_SUFFIX=${EXOPI_LLVM_SUFFIX}")
# The kernel command line's keys: docs/building.md's table lists exactly those the kernel reads,
# and scripts/run accepts every one of them (it reads the table) and nothing else.
add_test(NAME style.cmdline-keys COMMAND ${PROJECT_SOURCE_DIR}/scripts/cmdline-keys --check)
add_test(NAME style.run-accepts-keys COMMAND ${PROJECT_SOURCE_DIR}/scripts/run --check-args a64
  cpus=1 console_burst=7 lock_watchdog_ms=50 asid_bits=2 invariants=16 ktest=panic init=hello
  initarg=1)
add_test(NAME style.run-refuses-unknown COMMAND ${PROJECT_SOURCE_DIR}/scripts/run --check-args
  rv64 nosuchkey=1)
set_tests_properties(style.run-refuses-unknown PROPERTIES
  PASS_REGULAR_EXPRESSION "unknown kernel command-line key .nosuchkey.")
set_tests_properties(style.cmdline-keys style.run-accepts-keys style.run-refuses-unknown
  PROPERTIES LABELS "style")
# The tree speaks of the project, not of how it was developed (scripts/check-words).
add_test(NAME style.project-words COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-words)
set_tests_properties(style.project-words PROPERTIES LABELS "style")
# Small files: none under src/ or userland/ over 450 lines (scripts/check-sizes).
add_test(NAME style.file-sizes COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-sizes)
set_tests_properties(style.file-sizes PROPERTIES LABELS "style")
