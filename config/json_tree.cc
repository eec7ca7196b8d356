#include "config/json_tree.h"

#include <rapidjson/reader.h>

#include "base/json_parse.h"

namespace qayd::config_internal {
namespace {

// A rapidjson input stream that tracks line/column and where the current
// token began (outside strings, a token starts after whitespace or a
// structural character).
class PosStream {
 public:
  using Ch = char;
  explicit PosStream(const std::string& s) : s_(s) {}
  Ch Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  Ch Take() {
    if (i_ >= s_.size()) return '\0';
    const char c = s_[i_++];
    if (in_string_) {
      if (escaped_) escaped_ = false;
      else if (c == '\\') escaped_ = true;
      else if (c == '"') in_string_ = false;
    } else {
      const bool boundary = prev_ == ' ' || prev_ == '\t' || prev_ == '\n' || prev_ == '\r' ||
                            prev_ == ',' || prev_ == ':' || prev_ == '[' || prev_ == '{' ||
                            prev_ == '\0' || prev_ == '/';
      if (c == '"') {
        in_string_ = true;
        start_ = {line_, col_};
      } else if (boundary || c == '{' || c == '[') {
        start_ = {line_, col_};
      }
    }
    prev_ = in_string_ ? 'x' : c;
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++col_;  // count code points, not UTF-8 continuation bytes
    }
    return c;
  }
  size_t Tell() const { return i_; }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }
  Pos token_start() const { return start_; }

 private:
  const std::string& s_;
  size_t i_ = 0;
  int line_ = 1, col_ = 1;
  bool in_string_ = false, escaped_ = false;
  char prev_ = '\0';
  Pos start_{1, 1};
};

class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  Builder(Node* root, const PosStream* stream) : stream_(stream) { root_ = root; }

  bool Null() { return Add(Node{}); }
  bool Bool(bool b) {
    Node n;
    n.type = Node::Type::kBool;
    n.b = b;
    return Add(std::move(n));
  }
  bool Int(int v) { return Int64(v); }
  bool Uint(unsigned v) { return Int64(v); }
  bool Int64(int64_t v) {
    Node n;
    n.type = Node::Type::kInt;
    n.i = v;
    return Add(std::move(n));
  }
  bool Uint64(uint64_t v) { return Double(static_cast<double>(v)); }
  bool Double(double v) {
    Node n;
    n.type = Node::Type::kDouble;
    n.d = v;
    return Add(std::move(n));
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    Node n;
    n.type = Node::Type::kString;
    n.s.assign(s, len);
    return Add(std::move(n));
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    pending_key_.assign(s, len);
    pending_key_pos_ = stream_->token_start();
    return true;
  }
  bool StartObject() { return Open(Node::Type::kObject); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() { return Open(Node::Type::kArray); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

 private:
  Node* Place(Node n) {
    n.pos = stream_->token_start();
    if (stack_.empty()) {
      *root_ = std::move(n);
      return root_;
    }
    Node* parent = stack_.back();
    if (parent->type == Node::Type::kArray) {
      parent->items.push_back(std::move(n));
      return &parent->items.back();
    }
    parent->members.emplace_back(pending_key_, std::move(n));
    parent->key_pos.push_back(pending_key_pos_);
    return &parent->members.back().second;
  }
  bool Add(Node n) {
    Place(std::move(n));
    return true;
  }
  bool Open(Node::Type t) {
    Node n;
    n.type = t;
    stack_.push_back(Place(std::move(n)));
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }

  Node* root_;
  const PosStream* stream_;
  std::vector<Node*> stack_;  // pointers stay valid: a container is only appended to while on top
  std::string pending_key_;
  Pos pending_key_pos_;
};

Pos PosOfOffset(const std::string& text, size_t offset) {
  Pos p{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

}  // namespace

Node::Node() = default;

const char* TypeName(Node::Type t) {
  switch (t) {
    case Node::Type::kNull: return "null";
    case Node::Type::kBool: return "a boolean";
    case Node::Type::kInt: return "an integer";
    case Node::Type::kDouble: return "a number";
    case Node::Type::kString: return "a string";
    case Node::Type::kArray: return "an array";
    case Node::Type::kObject: return "an object";
  }
  return "?";
}

bool ParseJsonTree(const std::string& text, Node* root, std::string* error, Pos* error_pos) {
  PosStream stream(text);
  Builder builder(root, &stream);
  // No kParseFullPrecisionFlag: RapidJSON 1.1's full-precision strtod reads out
  // of bounds on long mantissas with exponents near -350 (Tencent/rapidjson#1251,
  // fixed after 1.1.0; found by fuzz_config). The normal path rounds short
  // decimals such as 0.85 or 12.5 correctly (one exact division).
  // Depth-limited (base/json_parse.h): the tree's destructor recurses. The
  // recursive parser, whose reading order PosStream's positions follow; the
  // limit bounds its recursion as well.
  JsonErrorAt where;
  if (!ParseJsonStream<rapidjson::kParseCommentsFlag, false>(stream, &builder, {}, &where).ok()) {
    *error = "syntax error: " + where.what;
    *error_pos = PosOfOffset(text, where.offset);
    return false;
  }
  return true;
}

}  // namespace qayd::config_internal
