// `symbreak merge`: joins the files that the N shards of one sweep wrote (`sweep --shard i/N`)
// into exactly the file one process writes. Shards are contiguous runs of work items in the
// sweep's order (host/sweep/shard.hpp), so the merged file is the header and every part's rows in
// shard order, with the rows of each configuration split between shards recomputed from the
// networks the parts kept of it (their pieces files, host/report/config_pieces.hpp) by the
// sweep's own aggregation and formatting: nothing is averaged. The parts' meta files decide what
// may be merged: all from one sweep, all complete and unmodified (pieces files included), each
// shard exactly once.
#pragma once

#include <string>
#include <vector>

namespace symbreak {

// Writes `out` (and out.meta.json) from `parts`, given in any order. Throws UsageError, naming the
// part and what is wrong, before `out` is created or changed.
void merge_parts(const std::string& out, const std::vector<std::string>& parts,
                 const std::vector<std::string>& command_line);

}  // namespace symbreak
