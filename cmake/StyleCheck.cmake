# The formatting check runs as a test, so the README's test command enforces it.
add_test(NAME style.clang-format COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-format)
set_tests_properties(style.clang-format PROPERTIES LABELS "style" ENVIRONMENT "EXOPI_LLVM_SUFFIX=${EXOPI_LLVM_SUFFIX}")
