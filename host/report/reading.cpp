// Turns per-configuration rates into sentences, grouped by init scheme.
#include "host/report/reading.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "host/config/config_columns.hpp"

namespace symbreak {
namespace {

struct SchemeGroup {
  std::string name;
  std::vector<const ConfigOutcome*> rows;
};

std::int64_t count_of(const Rate& r, std::int64_t n) {
  return static_cast<std::int64_t>(std::llround(r.rate * static_cast<double>(n)));
}

std::string join_words(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? " and " : ", ";
    text += words[i];
  }
  return text;
}

// Wraps `text` at `width` columns, indenting continuation lines.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out, line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = indent;
    } else if (!line.empty() && line != indent) {
      line += ' ';
    }
    line += word;
    start = end + 1;
  }
  return out + line + "\n";
}

// Names a configuration by the varying columns other than init and bias, e.g. "tanh, width 8".
std::string label_of(const SweepPlan& plan, const Config& c,
                     const std::vector<ConfigColumn>& cols) {
  std::vector<std::string> parts;
  for (const ConfigColumn& col : cols) {
    const std::string value = col.value(plan, c);
    parts.push_back(col.name == "activation" || col.name == "task"
                        ? value
                        : std::string(col.name) + " " + value);
  }
  std::string label;
  for (const std::string& part : parts)
    label += (label.empty() ? "" : ", ") + part;
  return label;
}

std::string describe(const SweepPlan& plan, const SchemeGroup& group,
                     const std::vector<ConfigColumn>& label_columns) {
  std::int64_t n = 0, broken = 0, collapsed = 0;
  std::vector<std::string> frozen_all, frozen_some, solved, accuracy;
  for (const ConfigOutcome* row : group.rows) {
    const ConfigSummary& s = row->summary;
    const std::string label = label_of(plan, plan.configs[row->config], label_columns);
    n += s.n;
    broken += count_of(s.broken, s.n);
    collapsed += count_of(s.collapsed, s.n);
    if (s.frozen.rate == 1.0) {
      frozen_all.push_back(label);
    } else if (s.frozen.rate > 0.0) {
      frozen_some.push_back(label + " (" + percent(s.frozen.rate) + ")");
    }
    solved.push_back((label.empty() ? "" : label + " ") + percent(s.solved.rate));
    if (s.mean_test_accuracy) {
      std::string line = (label.empty() ? "" : label + ": ");
      if (s.single_class && s.single_class->rate == 1.0) {
        line += "every network predicts a single class, ";
      } else if (s.single_class && s.single_class->rate > 0.0) {
        line += percent(s.single_class->rate) + " of networks predict a single class, ";
      }
      accuracy.push_back(line + "mean accuracy " + percent(s.mean_accuracy.value_or(0.0)) +
                         " on the training set and " + percent(*s.mean_test_accuracy) +
                         " on the test set");
    }
  }
  std::string text = "- " + group.name + ": ";
  const std::string networks = std::to_string(n) + " networks";
  if (collapsed == n) {
    text += "symmetry never broke: in all " + networks +
            " every hidden layer ended as copies of a single neuron.";
  } else if (broken == n) {
    text += "symmetry broke in all " + networks + ": every hidden neuron ended distinct.";
  } else {
    text += "symmetry broke fully in " + std::to_string(broken) + " of " + networks + " (" +
            std::to_string(collapsed) + " collapsed to one neuron per layer).";
  }
  if (!frozen_all.empty()) {
    const bool everywhere = frozen_all.size() == group.rows.size();
    text +=
        " No weight ever moved (frozen)" +
        (everywhere && label_columns.empty() ? std::string() : " with " + join_words(frozen_all)) +
        ".";
  }
  if (!frozen_some.empty()) text += " Frozen in part with " + join_words(frozen_some) + ".";
  text += " Solved: " + join_words(solved) + ".";
  if (!accuracy.empty()) {
    std::string sentence = join_words(accuracy) + ".";
    sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
    text += " " + sentence;
  }
  return wrap(text, 100, "  ");
}

}  // namespace

std::string plain_language_reading(const SweepPlan& plan, const std::vector<ConfigOutcome>& rows) {
  if (rows.empty()) return {};
  std::vector<ConfigColumn> label_columns;
  for (const ConfigColumn& col : varying_columns(plan)) {
    if (col.name != "init" && col.name != "bias_init") label_columns.push_back(col);
  }
  // An init scheme is named with its bias only where it appears with more than one bias.
  std::map<std::string, std::set<std::string>> biases_of;
  for (const ConfigOutcome& row : rows) {
    const Config& c = plan.configs[row.config];
    biases_of[c.init.text].insert(c.bias.text);
  }
  std::vector<SchemeGroup> groups;
  std::map<std::string, std::size_t> index;
  for (const ConfigOutcome& row : rows) {
    const Config& c = plan.configs[row.config];
    std::string name = c.init.text;
    if (biases_of[c.init.text].size() > 1) name += " (bias " + c.bias.text + ")";
    const auto [it, inserted] = index.try_emplace(name, groups.size());
    if (inserted) groups.push_back(SchemeGroup{name, {}});
    groups[it->second].rows.push_back(&row);
  }
  std::vector<std::string> never, always;
  std::string out = "Reading:\n";
  for (const SchemeGroup& group : groups) {
    out += describe(plan, group, label_columns);
    const auto all = [&](auto rate) {
      return std::all_of(group.rows.begin(), group.rows.end(),
                         [&](const ConfigOutcome* r) { return rate(r->summary) == 1.0; });
    };
    if (all([](const ConfigSummary& s) { return s.collapsed.rate; })) never.push_back(group.name);
    if (all([](const ConfigSummary& s) { return s.broken.rate; })) always.push_back(group.name);
  }
  if (!never.empty()) {
    out += wrap("Never broke symmetry: " + join_words(never) +
                    ". Their hidden neurons start identical and gradient descent keeps them "
                    "identical, so each layer works as a single neuron.",
                100, "  ");
  }
  if (!always.empty()) {
    out += wrap("Broke symmetry in every network: " + join_words(always) + ".", 100, "  ");
  }
  return out;
}

}  // namespace symbreak
