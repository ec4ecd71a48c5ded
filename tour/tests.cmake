# The guided tour's exercise tests (docs/tour.md), included by test/qemu/CMakeLists.txt in
# Release board builds. An unsolved exercise's test is skipped (ctest: "Skipped") with a line
# that says what to write; a solved one runs like every other QEMU test.
set(tour_dir ${PROJECT_SOURCE_DIR}/tour)
set(tour_prefix tour-${EXOPI_BOARD_SHORT})

function(tour_skip name step what)
  add_test(NAME ${tour_prefix}.${name} COMMAND sh -c
    "echo 'tour: exercise not solved yet: ${what} (docs/tour.md, step ${step})'; exit 77")
  set_tests_properties(${tour_prefix}.${name} PROPERTIES SKIP_RETURN_CODE 77
    LABELS "tour;${EXOPI_BOARD_SHORT}")
endfunction()

# Programs checked by their output: step, program.
foreach(row "2;countdown" "4;cowhand" "7;where")
  list(GET row 0 step)
  list(GET row 1 program)
  if(EXISTS ${tour_dir}/${program}.cc)
    exopi_qemu_test(${program} STATUS 0 EXPECT ${tour_dir}/checks/${program}.expect
      NAME ${tour_prefix}.${program} LABELS "tour;${EXOPI_BOARD_SHORT}" CMDLINE init=${program})
  else()
    tour_skip(${program} ${step} "write tour/${program}.cc")
  endif()
endforeach()

# Step 5: the new system call, checked by checks/getparent.cc on both boards.
exopi_tour_getparentid_added(added)
if(added)
  exopi_qemu_test(getparent STATUS 0 EXPECT ${tour_dir}/checks/getparent.expect
    NAME ${tour_prefix}.getparentid LABELS "tour;${EXOPI_BOARD_SHORT}" CMDLINE init=getparent)
else()
  tour_skip(getparentid 5 "add the system call getparentid and sys::getparentid()")
endif()

# Step 6: measure.cc's figure against bench's, both under icount.
if(EXISTS ${tour_dir}/measure.cc)
  add_test(NAME ${tour_prefix}.measure COMMAND ${tour_dir}/checks/check-measure
    ${EXOPI_QEMU_SCRIPT})
  set_tests_properties(${tour_prefix}.measure PROPERTIES LABELS "tour;${EXOPI_BOARD_SHORT}"
    TIMEOUT 300)
else()
  tour_skip(measure 6 "write tour/measure.cc")
endif()

# Steps 1, 3 and 8: answers in tour/answers.txt and the Pi's config.txt, checked against the
# tree (checks/check-answers skips with status 77 while an answer is missing).
foreach(row "1;look" "3;gdb" "8;pi")
  list(GET row 0 step)
  list(GET row 1 part)
  add_test(NAME ${tour_prefix}.answers-${part} COMMAND ${tour_dir}/checks/check-answers ${part}
    ${EXOPI_USER_BIN_DIR}/programs.txt)
  set_tests_properties(${tour_prefix}.answers-${part} PROPERTIES SKIP_RETURN_CODE 77
    LABELS "tour;${EXOPI_BOARD_SHORT}")
endforeach()
