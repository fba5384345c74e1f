// Errors in a --config file, reported the way compilers report theirs: the file, the line and the
// key, with at most 80 characters of the line quoted (a config line may hold a very long list).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace symbreak::cli {

// The most characters of a config line, or of a value, that a message quotes.
inline constexpr std::size_t kConfigExcerptChars = 80;

// Where a key is set in a config file: its line (from 1; 0 when no line sets it) and the text.
struct ConfigLine {
  int number = 0;
  std::string text;
};

// A config key as the option it sets: '_' read as '-' (trace_every is trace-every).
std::string config_key_name(std::string_view key);

// The first line of the file at `path` that sets `key`: `key = …`, `"key" = …`, `section.key = …`
// (in any section; '_' and '-' alike). Reads the file; a file that cannot be read has no such line.
ConfigLine find_config_key(const std::string& path, std::string_view key);

// "FILE:LINE: key 'KEY': PROBLEM (the line reads: TEXT)" with TEXT cut to 80 characters and
// control characters shown as '?'; "FILE: key 'KEY': PROBLEM" when no line sets the key. Quoted
// values in PROBLEM longer than 80 characters are cut too.
std::string config_key_error(const std::string& path, std::string_view key,
                             std::string_view problem);

// Runs `check`, the subcommand's own validation of its option values. A UsageError about an option
// whose value came from the config file — its message starts with "--KEY" for a KEY in
// `keys_from_file` — becomes a CLI::FileError from config_key_error, prefixed with "--config: ".
// Any other error is left for the subcommand to report when it validates its options itself.
void check_config_values(const std::string& path, const std::vector<std::string>& keys_from_file,
                         const std::function<void()>& check);

}  // namespace symbreak::cli
