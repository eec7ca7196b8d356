# qayd_install_dirs(PREFIX): the absolute folders an install under PREFIX
# uses, set in the caller's scope as QAYD_<NAME>. GNUInstallDirs' rules for
# the configuration folder: prefix /usr (or /) -> /etc, /opt/X -> /etc/opt/X,
# otherwise PREFIX/etc. Runs at configure time and, from cmake_install.cmake,
# at install time, where PREFIX is the one given to `cmake --install --prefix`
# (or CPack's /usr), so an install under any prefix names its own files.
# Reads CMAKE_INSTALL_{SBIN,BIN,DATA,DOC,MAN}DIR (GNUInstallDirs' relative
# folders; install-time code sets them from the configure-time values).
function(qayd_install_dirs prefix)
  string(REGEX REPLACE "/+$" "" p "${prefix}")
  if(p STREQUAL "" OR p STREQUAL "/usr")
    set(sysconf "/etc")
    set(unitdir "/lib/systemd/system")
  elseif(p MATCHES "^/opt/")
    set(sysconf "/etc${p}")
    set(unitdir "${p}/lib/systemd/system")
  else()
    set(sysconf "${p}/etc")
    set(unitdir "${p}/lib/systemd/system")
  endif()
  set(QAYD_SYSCONFDIR "${sysconf}/qayd" PARENT_SCOPE)
  set(QAYD_CONFIG "${sysconf}/qayd/qayd.json" PARENT_SCOPE)
  set(QAYD_UNITDIR "${unitdir}" PARENT_SCOPE)
  # GNUInstallDirs' relative folders (passed on to install time).
  foreach(d SBINDIR BINDIR DATADIR DOCDIR MANDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${d}}")
      set(full_${d} "${CMAKE_INSTALL_${d}}")
    else()
      set(full_${d} "${p}/${CMAKE_INSTALL_${d}}")
    endif()
  endforeach()
  set(QAYD_SBINDIR "${full_SBINDIR}" PARENT_SCOPE)
  set(QAYD_BINDIR "${full_BINDIR}" PARENT_SCOPE)
  set(QAYD_DATADIR "${full_DATADIR}/qayd" PARENT_SCOPE)
  set(QAYD_DOCDIR "${full_DOCDIR}" PARENT_SCOPE)
  set(QAYD_MANDIR "${full_MANDIR}" PARENT_SCOPE)
endfunction()
