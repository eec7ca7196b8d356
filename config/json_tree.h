// A JSON tree that remembers where each value and key stood in the text
// (line and column, 1-based), so config errors can name them. Internal to
// the config library.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace qayd::config_internal {

struct Pos {
  int line = 0, column = 0;
};

struct Node {
  enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  Type type = Type::kNull;
  Pos pos;
  bool b = false;
  long long i = 0;
  double d = 0;
  std::string s;
  std::vector<Node> items;                            // kArray
  std::vector<std::pair<std::string, Node>> members;  // kObject, in order
  std::vector<Pos> key_pos;                           // kObject: where each key stood

  // Declared here, defined in json_tree.cc: an implicit constructor makes
  // clang (with libstdc++) instantiate std::pair<std::string, Node> while Node
  // is still incomplete, which does not compile.
  Node();

  bool is_number() const { return type == Type::kInt || type == Type::kDouble; }
  double number() const { return type == Type::kInt ? static_cast<double>(i) : d; }
};

const char* TypeName(Node::Type t);

// Parses JSON with // and /* */ comments. On a syntax error returns false and
// fills `error` ("syntax error: ...") and `error_pos`.
bool ParseJsonTree(const std::string& text, Node* root, std::string* error, Pos* error_pos);

}  // namespace qayd::config_internal
