#pragma once
// Result<T> is a value or an error message a user can act on; used where C++23's std::expected would be.
#include <string>
#include <utility>
#include <variant>

namespace sessiongate {

// Error carries the message of a failed operation.
struct Error {
  std::string message;
};

// Result holds either a T or an Error.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(v_).message; }

 private:
  std::variant<T, Error> v_;
};

}  // namespace sessiongate
