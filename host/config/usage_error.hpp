// Bad input from the user: main prints the message on one line and exits with status 2.
// Everything else that goes wrong is a plain std::runtime_error (status 1).
#pragma once

#include <stdexcept>
#include <string>

namespace symbreak {

class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace symbreak
