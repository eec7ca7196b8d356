# The Debian package (CPack's DEB generator): `bash scripts/package.sh`
# writes build/qayd_<version>-<release>_<arch>.deb. Contents: qaydd, qayd, the
# unit, /etc/qayd/qayd.json as a conffile, the review UI, man pages and docs;
# dependencies from dpkg-shlibdeps; maintainer scripts in packaging/deb/
# (system user `qayd`, the unit enabled and started as Debian does).
set(QAYD_DEB_RELEASE 1)
set(QAYD_DEB_VERSION ${PROJECT_VERSION}-${QAYD_DEB_RELEASE})
set(deb_dir ${PROJECT_SOURCE_DIR}/packaging/deb)

# Debian wants a copyright file and a compressed changelog in the doc folder.
configure_file(${deb_dir}/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog.Debian @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
  COMMAND gzip -9nc ${PROJECT_BINARY_DIR}/packaging/changelog.Debian > ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
  DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.Debian)
add_custom_target(qayd_deb_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz)
install(FILES ${deb_dir}/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME qayd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "qayd maintainers")
set(CPACK_PACKAGE_CONTACT "qayd maintainers <maintainers@users.noreply.r-seed-b34e503d.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "register of people killed: ingest, name matching, review")
# CPack puts the summary first and indents these lines itself (an empty line
# becomes " .").
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "qayd keeps a register of people killed for human-rights documentation.
It ingests reports from feeds, a spool folder, a partner API and a public
form, normalises Arabic and English names, matches each report against the
register, merges certain duplicates and queues uncertain ones for review by
monitors in a web interface. Every report is kept and every merge can be
explained and undone.

This package holds the daemon qaydd (a systemd service), the command-line
tool qayd and the review interface.")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${QAYD_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/qayd")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${deb_dir}/conffiles ${deb_dir}/postinst ${deb_dir}/prerm ${deb_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
# DESTDIR staging, so the install-time unit and config see the prefix /usr.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
