# Build checks: a translation unit the build must refuse, beside the same unit with one
# definition that makes it right — so that the refusal cannot pass by failing for another
# reason. Each is a ctest that builds an EXCLUDE_FROM_ALL object library of this tree.
#
#   exopi_compile_check(NAME <kind>.<check> SOURCE <file> FIX <definition> ERROR <regex>
#                       LIBS <targets giving the flags> [INCLUDES <dirs>])
#
# makes `<kind>-<arch>[-dbg].<check>-rejects`, which passes only if the compiler's output matches
# ERROR, and `...-accepts`, which builds SOURCE with FIX defined and must succeed.
function(exopi_compile_check)
  cmake_parse_arguments(C "" "NAME;SOURCE;FIX;ERROR" "LIBS;INCLUDES" ${ARGN})
  string(REPLACE "." ";" parts "${C_NAME}")
  list(GET parts 0 kind)
  list(GET parts 1 check)
  set(prefix ${kind}-${EXOPI_BOARD_SHORT})
  if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    set(prefix ${prefix}-dbg)
  endif()
  foreach(variant rejects accepts)
    set(target check-${kind}-${check}-${variant})
    add_library(${target} OBJECT EXCLUDE_FROM_ALL ${C_SOURCE})
    target_include_directories(${target} PRIVATE ${C_INCLUDES})
    target_link_libraries(${target} PRIVATE ${C_LIBS})
    add_test(NAME ${prefix}.${check}-${variant}
      COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${target})
    # Every check builds in this tree: one at a time.
    set_tests_properties(${prefix}.${check}-${variant} PROPERTIES
      LABELS "build;${EXOPI_BOARD_SHORT}" RESOURCE_LOCK ${CMAKE_BINARY_DIR})
  endforeach()
  target_compile_definitions(check-${kind}-${check}-accepts PRIVATE ${C_FIX})
  set_tests_properties(${prefix}.${check}-rejects PROPERTIES PASS_REGULAR_EXPRESSION "${C_ERROR}")
endfunction()
