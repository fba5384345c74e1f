// Locating a key in a config file and formatting the one-line message about it.
#include "host/cli/config_errors.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "host/config/usage_error.hpp"

namespace symbreak::cli {

std::string config_key_name(std::string_view key) {
  std::string name(key);
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return name;
}

namespace {

std::string_view trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// At most kConfigExcerptChars characters of `text`, "..." marking a cut, control characters (a
// binary file, a stray carriage return) as '?', so that the message stays one printable line.
std::string excerpt(std::string_view text) {
  std::size_t end = std::min(text.size(), kConfigExcerptChars);
  // Never cut a UTF-8 character in two (continuation bytes are 10xxxxxx).
  while (end < text.size() && end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80)
    --end;
  std::string shown;
  for (const char c : text.substr(0, end))
    shown.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  if (end < text.size()) shown += "...";
  return shown;
}

// `problem` with every '...'-quoted value longer than kConfigExcerptChars cut to that length.
std::string shorten_quoted_values(std::string_view problem) {
  std::string result;
  std::size_t at = 0;
  while (at < problem.size()) {
    const std::size_t open = problem.find('\'', at);
    const std::size_t close = open == std::string_view::npos ? open : problem.find('\'', open + 1);
    if (close == std::string_view::npos) break;
    result.append(problem.substr(at, open + 1 - at));
    result.append(excerpt(problem.substr(open + 1, close - open - 1)));
    result.push_back('\'');
    at = close + 1;
  }
  if (at < problem.size()) result.append(problem.substr(at));
  return result;
}

// The key a config line sets ("width" for `width = 4`, `"width" = 4` and `sweep.width = 4`), or
// "" for blank lines, comments and section headers.
std::string_view key_of_line(std::string_view line) {
  line = trimmed(line);
  if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '[') return {};
  std::string_view key = trimmed(line.substr(0, line.find('=')));
  if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front())
    key = key.substr(1, key.size() - 2);
  return key;
}

bool sets_key(std::string_view written, std::string_view wanted) {
  const std::string line_key = config_key_name(written);
  const std::string key = config_key_name(wanted);
  if (line_key == key) return true;
  return line_key.size() > key.size() && line_key.ends_with(key) &&
         line_key[line_key.size() - key.size() - 1] == '.';
}

}  // namespace

ConfigLine find_config_key(const std::string& path, std::string_view key) {
  std::ifstream file(path, std::ios::binary);
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (sets_key(key_of_line(line), key)) return ConfigLine{number, std::string(trimmed(line))};
  }
  return {};
}

std::string config_key_error(const std::string& path, std::string_view key,
                             std::string_view problem) {
  const ConfigLine where = find_config_key(path, key);
  std::string message = path;
  if (where.number > 0) message += ":" + std::to_string(where.number);
  message += ": key '" + excerpt(key) + "': " + shorten_quoted_values(problem);
  if (where.number > 0) message += " (the line reads: " + excerpt(where.text) + ")";
  return message;
}

namespace {

// Where `message` names "--KEY" as a whole option ("--trace" is not named by "--trace-every").
std::size_t option_named(std::string_view message, const std::string& option) {
  for (std::size_t at = message.find(option); at != std::string_view::npos;
       at = message.find(option, at + 1)) {
    const std::size_t end = at + option.size();
    const bool whole =
        end == message.size() || !(std::isalnum(static_cast<unsigned char>(message[end])) != 0 ||
                                   message[end] == '-' || message[end] == '_');
    if (whole && (at == 0 || message[at - 1] == ' ')) return at;
  }
  return std::string_view::npos;
}

}  // namespace

void check_config_values(const std::string& path, const std::vector<std::string>& keys_from_file,
                         const std::function<void()>& check) {
  try {
    check();
  } catch (const UsageError& e) {
    const std::string_view message = e.what();
    // The key the message starts with ("--width: '0' is not accepted"), else one it names
    // ("--trace and --trace-every go together").
    const std::string* named = nullptr;
    for (const std::string& key : keys_from_file) {
      const std::size_t at = option_named(message, "--" + key);
      if (at == 0) {
        named = &key;
        break;
      }
      if (at != std::string_view::npos && named == nullptr) named = &key;
    }
    if (named == nullptr) return;  // the subcommand reports it, as it would without a file
    const std::string option = "--" + *named;
    // "--width: '0' is not accepted" names the key already; other messages stay whole.
    const std::string_view problem =
        message.starts_with(option + ":") ? trimmed(message.substr(option.size() + 1)) : message;
    throw CLI::FileError("--config: " + config_key_error(path, *named, problem));
  }
}

}  // namespace symbreak::cli
