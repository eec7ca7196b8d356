// From a parsed Beast request to the API's Request, exactly as the server
// does it (the fuzzers use the same function): the target's path and query
// percent-decoded, header names lower-cased, repeated headers joined with
// "; ", the body moved. Pure; thread-safe.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "web/http_types.h"

namespace qayd::web {

// False when the target does not decode or is not an absolute path (the
// server answers 400 bad_request); `out` is then partly filled.
bool DecodeRequest(boost::beast::http::request<boost::beast::http::string_body>&& req,
                   const std::string& remote, Request* out);

}  // namespace qayd::web
