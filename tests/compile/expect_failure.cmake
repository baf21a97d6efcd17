# Compiles SRC with CXX and FLAGS (a ;-list) plus -I INCLUDE, -fsyntax-only.
# MODE=fail: the compiler must fail and its output must contain EXPECT, and
# (with the same flags) must not print more than MAX_ERRORS lines with "error:".
# MODE=pass: it must succeed (the control that shows the failure has the right cause).
foreach(_v CXX SRC INCLUDE MODE)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "expect_failure.cmake: ${_v} is not set")
  endif()
endforeach()
execute_process(
  COMMAND ${CXX} ${FLAGS} -I${INCLUDE} -fsyntax-only ${SRC}
  RESULT_VARIABLE _rc
  OUTPUT_VARIABLE _out
  ERROR_VARIABLE _out)
if(MODE STREQUAL "pass")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "expected ${SRC} to compile with ${FLAGS}; it failed:\n${_out}")
  endif()
  message(STATUS "compiles, as expected")
  return()
endif()
if(_rc EQUAL 0)
  message(FATAL_ERROR "expected ${SRC} to fail to compile with ${FLAGS}; it compiled")
endif()
string(FIND "${_out}" "${EXPECT}" _pos)
if(_pos EQUAL -1)
  message(FATAL_ERROR "the compiler failed, but without '${EXPECT}':\n${_out}")
endif()
if(DEFINED MAX_ERRORS)
  string(REGEX MATCHALL "error:" _errs "${_out}")
  list(LENGTH _errs _n)
  if(_n GREATER MAX_ERRORS)
    message(FATAL_ERROR "${_n} error lines (at most ${MAX_ERRORS} expected):\n${_out}")
  endif()
endif()
message(STATUS "fails as expected ('${EXPECT}')")
