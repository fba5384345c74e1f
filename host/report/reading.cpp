// Turns per-configuration rates into sentences, grouped by init scheme.
#include "host/report/reading.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <span>

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

// A column's values as a person lists them: "width 4", "width 4 and 64", "tanh and relu",
// "task xor", "tasks \"and\" and parity:3" (the tasks and and or quoted: they read as words).
std::string column_values(const ConfigColumn& col, const std::vector<std::string>& values) {
  if (col.name == "task") {
    std::vector<std::string> shown;
    for (const std::string& value : values)
      shown.push_back(value == "and" || value == "or" ? "\"" + value + "\"" : value);
    return (values.size() > 1 ? "tasks " : "task ") + join_words(shown);
  }
  if (col.name == "activation") return join_words(values);
  return std::string(col.name) + " " + join_words(values);
}

// The configurations `rows` named by their settings as self-contained groups: values of the
// first column that share the same rest are listed together ("depth 1 and 2, width 4 and 64"),
// and a group never leaves a setting to be read from the one before.
std::vector<std::string> setting_groups(const SweepPlan& plan,
                                        const std::vector<const Config*>& rows,
                                        std::span<const ConfigColumn> cols) {
  if (cols.empty()) return {std::string()};
  const ConfigColumn& col = cols.front();
  std::vector<std::string> values;
  std::map<std::string, std::vector<const Config*>> by_value;
  for (const Config* c : rows) {
    const std::string value = col.value(plan, *c);
    if (!by_value.contains(value)) values.push_back(value);
    by_value[value].push_back(c);
  }
  std::vector<std::vector<std::string>> rests;
  std::map<std::vector<std::string>, std::vector<std::string>> values_of_rest;
  for (const std::string& value : values) {
    std::vector<std::string> rest = setting_groups(plan, by_value[value], cols.subspan(1));
    if (!values_of_rest.contains(rest)) rests.push_back(rest);
    values_of_rest[rest].push_back(value);
  }
  std::vector<std::string> groups;
  for (const std::vector<std::string>& rest : rests) {
    const std::string head = column_values(col, values_of_rest[rest]);
    for (const std::string& tail : rest)
      groups.push_back(tail.empty() ? head : head + ", " + tail);
  }
  return groups;
}

// The groups of setting_groups joined by "; ".
std::string phrase_settings(const SweepPlan& plan, const std::vector<const Config*>& rows,
                            std::span<const ConfigColumn> cols) {
  std::string text;
  for (const std::string& group : setting_groups(plan, rows, cols))
    text += (text.empty() ? "" : "; ") + group;
  return text;
}

// A hidden layer of one neuron has no symmetry to break (docs/method.md §6: with H = 1 a network
// counts as broken), so width-1 configurations say nothing about symmetry.
bool symmetry_applies(const Config& c) {
  return c.width > 1;
}

// Which optimiser or regulariser broke the symmetry of this scheme (docs/method.md §4.1), when
// the sweep crosses them and the scheme did not break in every network anyway: "dropout 0.5 broke
// the symmetry of const:0.5 in 100% of networks; Adam and plain SGD did not."
std::string breaker_sentence(const SweepPlan& plan, const SchemeGroup& group) {
  struct Tally {
    std::int64_t n = 0, broken = 0;
  };
  std::vector<std::string> names;  // in order of first appearance
  std::map<std::string, Tally> tally;
  bool all_broken = true;
  for (const ConfigOutcome* row : group.rows) {
    const Config& config = plan.configs[row->config];
    if (!symmetry_applies(config)) continue;
    const std::string name = breaker_name(config);
    if (!tally.contains(name)) names.push_back(name);
    tally[name].n += row->summary.n;
    tally[name].broken += count_of(row->summary.broken, row->summary.n);
    all_broken = all_broken && row->summary.broken.rate == 1.0;
  }
  if (names.size() < 2 || all_broken) return {};
  std::vector<std::string> always, never;
  std::vector<std::pair<double, std::string>> partly;
  for (const std::string& name : names) {
    const Tally& t = tally[name];
    if (t.broken == t.n) {
      always.push_back(name);
    } else if (t.broken == 0) {
      never.push_back(name);
    } else {
      partly.emplace_back(static_cast<double>(t.broken) / static_cast<double>(t.n), name);
    }
  }
  std::stable_sort(partly.begin(), partly.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> clauses;
  if (!always.empty()) {
    clauses.push_back(join_words(always) + " broke the symmetry of " + group.name + " in " +
                      percent(1.0) + " of networks");
  }
  for (const auto& [rate, name] : partly) {
    clauses.push_back(name +
                      (clauses.empty() ? " broke the symmetry of " + group.name + " in " : " in ") +
                      percent(rate) + " of networks");
  }
  if (!never.empty()) {
    clauses.push_back(join_words(never) + (clauses.empty()
                                               ? " never broke the symmetry of " + group.name
                                               : " did not"));
  }
  std::string sentence;
  for (const std::string& clause : clauses)
    sentence += (sentence.empty() ? "" : "; ") + clause;
  sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
  return " " + sentence + ".";
}

std::string describe(const SweepPlan& plan, const SchemeGroup& group,
                     const std::vector<ConfigColumn>& label_columns) {
  std::int64_t n = 0, broken = 0, collapsed = 0, one_neuron = 0;
  std::vector<const Config*> frozen_all;
  std::vector<std::string> frozen_some, solved, accuracy;
  std::vector<std::string> solved_rates;  // distinct, in order of first appearance
  std::map<std::string, std::vector<const Config*>> solved_with;
  for (const ConfigOutcome* row : group.rows) {
    const ConfigSummary& s = row->summary;
    const Config& config = plan.configs[row->config];
    const std::string label = label_of(plan, config, label_columns);
    if (symmetry_applies(config)) {
      n += s.n;
      broken += count_of(s.broken, s.n);
      collapsed += count_of(s.collapsed, s.n);
    } else {
      one_neuron += s.n;
    }
    if (s.frozen.rate == 1.0) {
      frozen_all.push_back(&config);
    } else if (s.frozen.rate > 0.0) {
      frozen_some.push_back(label + " (" + percent(s.frozen.rate) + ")");
    }
    solved.push_back((label.empty() ? "" : label + " ") + percent(s.solved.rate));
    const std::string rate = percent(s.solved.rate);
    if (!solved_with.contains(rate)) solved_rates.push_back(rate);
    solved_with[rate].push_back(&config);
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
  if (n == 0) {
    text += "symmetry does not apply: with width 1 each hidden layer has a single neuron.";
  } else if (collapsed == n) {
    text += "symmetry never broke: in all " + networks +
            " every hidden layer ended as copies of a single neuron.";
  } else if (broken == n) {
    text += "symmetry broke in all " + networks + ": every hidden neuron ended distinct.";
  } else {
    text += "symmetry broke fully in " + std::to_string(broken) + " of " + networks + " (" +
            std::to_string(collapsed) + " collapsed to one neuron per layer).";
  }
  if (n > 0 && one_neuron > 0) {
    text += " (Width 1 left out: a single neuron per layer has no symmetry to break.)";
  }
  text += breaker_sentence(plan, group);
  if (!frozen_all.empty()) {
    const bool everywhere = frozen_all.size() == group.rows.size();
    text += " No weight ever moved (frozen)" +
            (everywhere && label_columns.empty()
                 ? std::string()
                 : " with " + phrase_settings(plan, frozen_all, label_columns)) +
            ".";
  }
  if (!frozen_some.empty()) text += " Frozen in part with " + join_words(frozen_some) + ".";
  if (label_columns.size() < 2) {
    text += " Solved: " + join_words(solved) + ".";
  } else if (solved_rates.size() == 1) {
    text += " Solved: " + solved_rates.front() + " in every configuration.";
  } else {
    // With several settings a flat list ("and, depth 1, width 1, tanh 0.0%, and, ...") is
    // unreadable: group the configurations by rate and name each group by its settings.
    for (const std::string& rate : solved_rates)
      text += " Solved " + rate + " with " +
              phrase_settings(plan, solved_with[rate], label_columns) + ".";
  }
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
    // Width-1 configurations take no side; a group of only those is in neither list.
    const auto all = [&](auto rate) {
      bool any = false;
      for (const ConfigOutcome* r : group.rows) {
        if (!symmetry_applies(plan.configs[r->config])) continue;
        if (rate(r->summary) != 1.0) return false;
        any = true;
      }
      return any;
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
