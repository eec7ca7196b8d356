// One HTTP/1.1 POST to 127.0.0.1:`port` on a fresh connection, for process
// tests talking to a running qaydd. Blocks until the server closes the
// connection or `timeout_s` passes without progress (send and receive).
#pragma once

#include <string>

namespace qayd::testing {

// The whole answer (status line, headers, body); "" if the connection failed.
// `extra_headers`: complete header lines, each ending in "\r\n".
std::string HttpPost(int port, const std::string& path, const std::string& body,
                     const std::string& extra_headers = "", int timeout_s = 5);

}  // namespace qayd::testing
