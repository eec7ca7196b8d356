// Plain-socket HTTP to 127.0.0.1 for process tests talking to a running
// qaydd: no HTTP library between the test and the bytes it sends. Every call
// blocks; `timeout_s` bounds connect, each send and each receive.
#pragma once

#include <string>

namespace qayd::testing {

// A connected TCP socket to 127.0.0.1:`port` (close-on-exec, send and receive
// timeouts set), or -1. The caller owns the descriptor.
int ConnectLoopback(int port, int timeout_s = 5);

// Sends `request` (raw bytes) on a fresh connection and reads until the server
// closes it or `timeout_s` passes without progress; "" if the connection failed.
std::string RawExchange(int port, const std::string& request, int timeout_s = 5);

// One HTTP/1.1 POST of a JSON body: the whole answer (status line, headers,
// body), "" if the connection failed. `extra_headers`: complete header lines,
// each ending in "\r\n".
std::string HttpPost(int port, const std::string& path, const std::string& body,
                     const std::string& extra_headers = "", int timeout_s = 5);

}  // namespace qayd::testing
