# qayd_warnings(target): the project's warning flags (errors when QAYD_WERROR).
function(qayd_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  # GCC 12 at -O3 (Release) warns -Wrestrict inside libstdc++'s inlined
  # std::string concatenation, a false positive (GCC bugs 105329, 105651,
  # fixed in 13); only that compiler is told not to.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-Wno-restrict>)
  endif()
  if(QAYD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(QAYD_SANITIZE)
    # Without the vptr check: it probes memory through a pipe(2), so in a process
    # run out of descriptors on purpose (FloodTest.AcceptOutOfDescriptorsBacksOff-
    # AndRecovers) it reports every libstdc++ type_info comparison as an invalid vptr.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize=vptr
      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# qayd_library(name SOURCES ... DEPS ...): one library per module folder,
# target qayd_<name>, include root is the source tree ("store/store.h").
function(qayd_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(qayd_${name} STATIC ${ARG_SOURCES})
  target_include_directories(qayd_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(qayd_${name} PUBLIC ${ARG_DEPS})
  qayd_warnings(qayd_${name})
  if(QAYD_SANITIZE)
    target_link_options(qayd_${name} INTERFACE -fsanitize=address,undefined)
  endif()
endfunction()

# qayd_test(name LABEL label SOURCES ... DEPS ...): a GoogleTest executable
# registered with ctest under a label (unit, integration, process, browser).
function(qayd_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock Threads::Threads)
  target_compile_definitions(${name} PRIVATE
    QAYD_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    QAYD_BINARY_DIR="${PROJECT_BINARY_DIR}"
    QAYD_DATA_DIR="${QAYD_DATA_DIR}")
  qayd_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT})
endfunction()
