// Parsing JSON that comes from outside (request bodies, feed and spool
// records, config files): every such parse goes through here.
//
// RapidJSON's iterative parser (kParseIterativeFlag) keeps its state on the
// heap, so no input can overflow the stack while parsing; the nesting depth is
// limited as well (kJsonMaxDepth by default), because what reads a document
// afterwards (deep copies, writers, destructors of trees) recurses; and the text
// may be limited in size. qayd's own formats nest at most four levels deep.
//
// Errors are values: a Status kInvalidInput whose message says what is wrong
// and where ("malformed JSON at offset 12: Missing a comma or ']' after an array
// element.", "JSON nested deeper than 64 levels at offset 64", "JSON text of
// 9000000 bytes is larger than the limit of 8388608 bytes"), and, through
// `where`, the offset and the problem alone. Pure functions; thread-safe.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace qayd {

inline constexpr size_t kJsonMaxDepth = 64;

// Where and why a parse failed: the byte offset and the problem without it
// ("Missing a comma or ']' after an array element.", "nested deeper than 64 levels").
struct JsonErrorAt {
  size_t offset = 0;
  std::string what;
};

struct JsonLimits {
  size_t max_depth = kJsonMaxDepth;  // arrays and objects inside each other
  size_t max_bytes = 0;              // 0: no limit here (the caller bounds the text)
};

namespace json_internal {

// Forwards SAX events to `H`, refusing an array or object nested deeper than
// `max_depth` (the parse then stops with kParseErrorTermination).
template <typename H>
class DepthLimited {
 public:
  using Ch = char;
  DepthLimited(H* handler, size_t max_depth) : h_(handler), max_(max_depth) {}
  bool exceeded() const { return exceeded_; }

  bool Null() { return h_->Null(); }
  bool Bool(bool b) { return h_->Bool(b); }
  bool Int(int i) { return h_->Int(i); }
  bool Uint(unsigned i) { return h_->Uint(i); }
  bool Int64(int64_t i) { return h_->Int64(i); }
  bool Uint64(uint64_t i) { return h_->Uint64(i); }
  bool Double(double d) { return h_->Double(d); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool copy) {
    return h_->RawNumber(s, n, copy);
  }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return h_->String(s, n, copy); }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) { return h_->Key(s, n, copy); }
  bool StartObject() { return Enter() && h_->StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return h_->EndObject(n);
  }
  bool StartArray() { return Enter() && h_->StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return h_->EndArray(n);
  }

 private:
  bool Enter() {
    if (++depth_ <= max_) return true;
    exceeded_ = true;
    return false;
  }
  H* h_;
  size_t max_;
  size_t depth_ = 0;
  bool exceeded_ = false;
};

Status TooLarge(size_t size, size_t limit);
Status ParseFailed(const rapidjson::ParseResult& r, bool too_deep, size_t max_depth,
                   JsonErrorAt* where);

}  // namespace json_internal

// Any RapidJSON input stream (with Tell()) into `handler` (a RapidJSON SAX
// handler), with the iterative parser, `kExtraFlags` (e.g. kParseCommentsFlag)
// and the depth limit. The caller bounds the stream's size. `kIterative` false
// uses the recursive parser, for a stream that tracks token positions the way
// it reads (config/json_tree.cc); the depth limit bounds its recursion too,
// since an array or object is refused before the parser descends into it.
template <unsigned kExtraFlags = 0, bool kIterative = true, typename Stream, typename Handler>
Status ParseJsonStream(Stream& in, Handler* handler, const JsonLimits& limits = {},
                       JsonErrorAt* where = nullptr) {
  json_internal::DepthLimited<Handler> limited(handler, limits.max_depth);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = kExtraFlags | (kIterative ? unsigned{rapidjson::kParseIterativeFlag} : 0u);
  const rapidjson::ParseResult r = reader.Parse<kFlags>(in, limited);
  if (!r.IsError()) return Status::Ok();
  return json_internal::ParseFailed(r, limited.exceeded(), limits.max_depth, where);
}

// `text` into `handler`, with the size limit as well.
template <unsigned kExtraFlags = 0, typename Handler>
Status ParseJsonSax(std::string_view text, Handler* handler, const JsonLimits& limits = {},
                    JsonErrorAt* where = nullptr) {
  if (limits.max_bytes != 0 && text.size() > limits.max_bytes) {
    if (where)
      *where = {limits.max_bytes, "larger than " + std::to_string(limits.max_bytes) + " bytes"};
    return json_internal::TooLarge(text.size(), limits.max_bytes);
  }
  rapidjson::MemoryStream ms(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
  return ParseJsonStream<kExtraFlags>(in, handler, limits, where);
}

// DOM form: parses `text` into `doc` (left null on error). kExtraFlags as above,
// e.g. kParseStopWhenDoneFlag to read one value and ignore what follows.
template <unsigned kExtraFlags = 0>
Status ParseJsonLimited(std::string_view text, rapidjson::Document* doc,
                        const JsonLimits& limits = {}, JsonErrorAt* where = nullptr) {
  Status status;
  auto generate = [&](rapidjson::Document& handler) {
    status = ParseJsonSax<kExtraFlags>(text, &handler, limits, where);
    return status.ok();
  };
  doc->SetNull();
  doc->Populate(generate);
  return status;
}

}  // namespace qayd
