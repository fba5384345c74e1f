#!/usr/bin/python3
"""The fused GPU kernels analysed from their compiled code: instructions per network-epoch of the
standard workload, and the throughput ceiling they imply on an H100/H200. No GPU is needed.

Usage: scripts/gpu-static-analysis.py [--fast] [--keep DIR]

Method. The fused kernels read the activation, loss, width, inputs and sample count at run time, so
their compiled code holds every activation's and loss's branch and the masks of the whole bucket;
which of them one network-epoch executes is not visible in the code alone. We therefore compile
scripts/gpu-static-probe.cu: two probe kernels that call the kernels' own training functions —
fused_thread_train<1, 8, 2, sgd> (what kernel_fused_thread<1, 8, 2, sgd> runs for the standard
workload) and fused_warp_train<DeviceWarp, 1, sgd> (kernel_fused_warp<1, sgd>) — with the
standard workload's job (xor, depth 1, width 8, tanh, bce, full batch, lr 0.5) known to the
compiler, so the switches and masks fold away. Data, parameters and the epoch count stay runtime
values, so the epoch loop and the sample loop remain real loops. The script compiles it to PTX for
sm_90 with the project's nvcc flags (read from a configured build tree's flags.make, so a flag
added in CMake counts here too; a built-in copy otherwise), splits each probe into basic blocks,
finds the natural loops (a branch back to a block that dominates it) and expects exactly this
shape: one top-level loop holding one inner loop (the epoch loop and the sample loop, 4 trips per
epoch), and one top-level loop without an inner loop (the evaluation after the last epoch, not
counted). Per network-epoch:

    count = (epoch-loop instructions outside the sample loop) + 4 x (sample-loop instructions)

This assumes the sample loop is rolled, one trip per sample, as nvcc 13.0 leaves it; a partly
unrolled loop (several samples per trip) would show as a sample loop twice or more its usual size
in the "loops found" lines, and would be overcounted. Every block inside a loop is counted as
executed; the few that run only on some epochs (the epoch_solved bookkeeping) or, in the per-warp
kernel, only on some lanes (a warp issues them all the same) are reported as "conditional". Anything else — another loop, a changed nesting — stops the
script with the loop tree printed, rather than guessing.

Counts are of PTX instructions, the last code this toolkit lets us read: /usr/local/cuda/bin has no
cuobjdump or nvdisasm for SASS. ptxas folds most mov, neg and abs away, and expands rcp.rn / div.rn
(IEEE reciprocal and division) into one MUFU.RCP plus a few FFMA and a range check; both are listed
so the reader can judge. The ceilings (H100/H200 SXM: 132 SMs, 1.98 GHz; per SM and clock 128 FP32
lanes, 16 MUFU lanes, 4 warp instructions issued, 32 shuffle lanes):

    per thread (one network per thread): net-epochs/s <= 132 x 1.98e9 x {128 / FP32, 16 / MUFU}
    per warp (one network per warp; an instruction occupies 32 lanes whoever is active):
                     net-epochs/s <= 132 x 1.98e9 x {4 / FP32, 0.5 / MUFU, 1 / SHFL}

FP32 = add/sub/mul/fma.f32 instructions, MUFU = ex2/lg2/rcp/rsqrt/sqrt/sin/cos/tanh.approx plus
rcp.rn/div.rn/sqrt.rn. The binding ceiling is the lower of FP32 and MUFU (a count of 0 sets no
ceiling). The roofline it is compared with counts 6 x samples x weights = 576 FLOPs per
network-epoch (forward 2, backward 2, gradient 2 per weight and sample) at the FP32 peak
132 x 128 x 2 x 1.98e9 FLOP/s. Also printed: an issue ceiling over every instruction but mov
(4 warp instructions per SM and clock; PTX-level, so an estimate: ptxas removes some and adds
others), and how many warps per SM the registers allow. The ceilings assume enough resident warps
to hide latency; none is a measurement.

ptxas -v reports registers, stack and spills of the probes and (without --fast) of the real
instantiations in kernels/fused_thread.cu and kernels/fused_warp.cu. --fast compiles only the probe.
Exit status 77 when nvcc is not found (the CTest test skips), 1 when the code's shape is unexpected.
"""
import argparse
import collections
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = os.path.join(ROOT, "scripts", "gpu-static-probe.cu")
ARCH = "sm_90"

# The standard workload (the probe's job must say the same).
SAMPLES, INPUTS, WIDTH = 4, 2, 8
WEIGHTS = INPUTS * WIDTH + WIDTH  # W1 [8][2] and the output row [1][8]; biases carry no FLOPs here
COUNTED_FLOPS = 6 * SAMPLES * WEIGHTS

# H100/H200 SXM.
SMS, CLOCK_HZ = 132, 1.98e9
FP32_LANES, MUFU_LANES, ISSUE_WARPS, SHFL_LANES = 128, 16, 4, 32

PROBES = {
    "per thread": "probe_fused_thread",
    "per warp": "probe_fused_warp",
}
REAL_KERNELS = {
    "per thread": ("kernels/fused_thread.cu", "kernel_fused_threadILi1ELi8ELi2ELNS_10UpdateRuleE0E",
                   "kernel_fused_thread<1,8,2,sgd>"),
    "per warp": ("kernels/fused_warp.cu", "kernel_fused_warpILi1ELNS_10UpdateRuleE0E",
                 "kernel_fused_warp<1,sgd>"),
}

ALWAYS_SHOWN = ("mufu", "branch", "ld.global", "st.global", "ld.local", "st.local")
MUFU_APPROX = {"ex2", "lg2", "rcp", "rsqrt", "sqrt", "sin", "cos", "tanh"}


def find_nvcc():
    for candidate in (os.environ.get("NVCC"), "/usr/local/cuda/bin/nvcc", shutil.which("nvcc")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


# As CMake builds kernels/ (CMakeLists.txt, cmake/SymbreakWarnings.cmake, the release preset), for
# when no configured build tree is at hand; Random123 is found in /usr/include, which nvcc searches.
BUILT_IN_FLAGS = ["-O3", "-DNDEBUG", "-std=c++20", f"-I{ROOT}", "-fmad=false",
                  "-Xcompiler=-ffp-contract=off", "-Xcompiler=-Wall,-Wextra,-Werror",
                  "--Werror=all-warnings"]


def makefile_variables(build_dir):
    """CUDA_DEFINES, CUDA_FLAGS and CUDA_INCLUDES of symbreak_kernels in a Makefiles build tree."""
    target = os.path.join(build_dir, "CMakeFiles", "symbreak_kernels.dir")
    try:
        with open(os.path.join(target, "flags.make")) as f:
            return dict(re.findall(r"^(CUDA_\w+) = (.*)$", f.read(), re.M))
    except OSError:
        return None


def ninja_variables(build_dir):
    """The same three of a Ninja build tree: the variables indented under the first build statement
    that compiles a .cu file of symbreak_kernels."""
    try:
        with open(os.path.join(build_dir, "build.ninja")) as f:
            text = f.read()
    except OSError:
        return None
    block = re.search(r"^build CMakeFiles/symbreak_kernels\.dir/\S+\.cu\.o: .*\n((?:  .*\n)+)",
                      text, re.M)
    if not block:
        return None
    values = dict(re.findall(r"^  (\w+) = (.*)$", block.group(1), re.M))
    return {f"CUDA_{key}": values.get(key, "") for key in ("DEFINES", "FLAGS", "INCLUDES")}


def cmake_flags(build_dir):
    """The nvcc flags CMake uses for symbreak_kernels in build_dir (Makefiles or Ninja), less the
    target architectures and -Xptxas=-v (added per compile here), or None when build_dir is not
    configured with CUDA."""
    make = makefile_variables(build_dir) or ninja_variables(build_dir)
    if make is None:
        return None
    flags = shlex.split(make.get("CUDA_DEFINES", "")) + shlex.split(make.get("CUDA_FLAGS", ""))
    includes = make.get("CUDA_INCLUDES", "")
    if includes.startswith("--options-file"):
        rsp = includes.split(None, 1)[1]
        with open(rsp if os.path.isabs(rsp) else os.path.join(build_dir, rsp)) as f:
            includes = f.read()
    flags += shlex.split(includes)
    return [f for f in flags
            if not f.startswith(("--generate-code", "-gencode", "-arch")) and f != "-Xptxas=-v"]


def run_nvcc(nvcc, flags, args):
    proc = subprocess.run([nvcc, *flags, f"-arch={ARCH}", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"gpu-static-analysis: nvcc failed:\n{proc.stderr}")
    return proc.stderr


# ---------------------------------------------------------------- PTX: functions, blocks, loops

Instr = collections.namedtuple("Instr", "text opcode guarded")


def ptx_entries(ptx):
    """{mangled name: list of body lines} for every .entry in a PTX file."""
    entries = {}
    for m in re.finditer(r"\.entry\s+(\S+)\(.*?\)\s*\{(.*?)\n\}", ptx, re.S):
        entries[m.group(1)] = m.group(2).splitlines()
    return entries


def basic_blocks(lines):
    """Blocks as (label, [Instr]) in program order, and the successor lists."""
    blocks = [["<entry>", []]]
    for raw in lines:
        line = raw.split("//")[0].strip()
        if not line or line.startswith((".reg", ".local", ".shared", ".pragma", "{", "}")):
            continue
        label = re.match(r"^(\$?[\w$]+):$", line)
        if label:
            blocks.append([label.group(1), []])
            continue
        guarded = line.startswith("@")
        body = line.split(None, 1)[1] if guarded else line
        opcode = body.split()[0].rstrip(";")
        blocks[-1][1].append(Instr(body, opcode, guarded))
        if opcode.startswith(("bra", "ret", "exit")):
            blocks.append([None, []])  # what follows a branch starts a block
    blocks = [b for b in blocks if b[1] or b[0] is not None]
    index = {label: i for i, (label, _) in enumerate(blocks) if label}
    succ = []
    for i, (_, instrs) in enumerate(blocks):
        last = instrs[-1] if instrs else None
        out = []
        if last and last.opcode.startswith("bra"):
            out.append(index[last.text.split()[-1].rstrip(";")])
            if last.guarded and i + 1 < len(blocks):
                out.append(i + 1)
        elif not (last and last.opcode.startswith(("ret", "exit"))) and i + 1 < len(blocks):
            out.append(i + 1)
        succ.append(out)
    return blocks, succ


def dominators(succ):
    n = len(succ)
    pred = [[] for _ in range(n)]
    for i, out in enumerate(succ):
        for j in out:
            pred[j].append(i)
    dom = [set(range(n)) for _ in range(n)]
    dom[0] = {0}
    changed = True
    while changed:
        changed = False
        for i in range(1, n):
            new = {i} | (set.intersection(*(dom[p] for p in pred[i])) if pred[i] else set())
            if new != dom[i]:
                dom[i], changed = new, True
    return dom, pred


def natural_loops(succ):
    """{header: (set of blocks, set of latches)}, loops with one header merged."""
    dom, pred = dominators(succ)
    loops = {}
    for src, out in enumerate(succ):
        for dst in out:
            if dst in dom[src]:  # back edge
                body, stack = {dst, src}, ([src] if src != dst else [])
                while stack:
                    for p in pred[stack.pop()]:
                        if p not in body:
                            body.add(p)
                            stack.append(p)
                blocks, latches = loops.setdefault(dst, (set(), set()))
                blocks |= body
                latches.add(src)
    return loops, dom


# ---------------------------------------------------------------- classification

def classify(instr):
    parts = instr.opcode.rstrip(";").split(".")
    op, mods = parts[0], parts[1:]
    if op in ("bra", "ret", "exit", "call", "brx"):
        return "branch"
    if op in ("ld", "st", "ldu", "atom", "red"):
        space = next((m for m in mods if m in ("global", "local", "shared", "param", "const")),
                     "generic")
        return f"{op if op != 'ldu' else 'ld'}.{space}"
    if op == "shfl":
        return "shfl"
    if op == "mov":
        return "mov"
    if "f32" in mods or "ftz" in mods:
        if op in MUFU_APPROX and "approx" in mods:
            return "mufu"
        if op in ("rcp", "div", "sqrt") and "rn" in mods:
            return "mufu (IEEE rcp/div/sqrt)"
        if op in ("add", "sub", "mul", "fma", "mad"):
            return "fp32 add/mul/fma"
        return "fp32 other"
    return "integer/predicate/other"


def flops(instr):
    op = instr.opcode.split(".")[0]
    if classify(instr) != "fp32 add/mul/fma":
        return 0
    return 2 if op in ("fma", "mad") else 1


def per_epoch_counts(name, lines):
    """Instruction counts per network-epoch from the probe's loop structure (see the header)."""
    blocks, succ = basic_blocks(lines)
    loops, dom = natural_loops(succ)
    tree = {h: [g for g in loops if g != h and loops[g][0] < loops[h][0]] for h in loops}
    top = [h for h in loops if not any(h in loops[g][0] and g != h for g in loops)]

    def describe():
        rows = []
        for h in sorted(loops):
            inner = ", ".join(blocks[g][0] for g in tree[h]) or "none"
            size = sum(len(blocks[b][1]) for b in loops[h][0])
            rows.append(f"  loop at {blocks[h][0]}: {size} instructions, inner loops: {inner}")
        return "\n".join(rows) or "  (no loops)"

    epoch = [h for h in top if len(tree[h]) == 1]
    tail = [h for h in top if not tree[h]]
    if len(epoch) != 1 or len(tail) != 1 or len(top) != 2 or tree[tree[epoch[0]][0]]:
        sys.exit(f"gpu-static-analysis: {name}: expected an epoch loop holding one sample loop and "
                 f"an evaluation loop after it; found:\n{describe()}\n"
                 "The attribution needs updating.")
    epoch_loop, sample_loop = epoch[0], tree[epoch[0]][0]
    weight = {b: 1 for b in loops[epoch_loop][0]}
    for b in loops[sample_loop][0]:
        weight[b] = SAMPLES

    counts, conditional = collections.Counter(), 0
    executed_flops = 0
    for b, w in weight.items():
        header = epoch_loop if b not in loops[sample_loop][0] else sample_loop
        always = all(b in dom[latch] for latch in loops[header][1])
        for instr in blocks[b][1]:
            counts[classify(instr)] += w
            executed_flops += w * flops(instr)
            if not always:
                conditional += w
    return counts, conditional, executed_flops, describe()


def ptxas_resources(report, mangled_part):
    """Registers, stack and spills ptxas -v reports for the function named like mangled_part."""
    lines = report.splitlines()
    for i, line in enumerate(lines):
        if "Function properties for" in line and mangled_part in line:
            props = lines[i + 1]
            used = next((l for l in lines[i + 1:i + 4] if "Used" in l), "")
            stack = re.search(r"(\d+) bytes stack frame", props)
            stores = re.search(r"(\d+) bytes spill stores", props)
            loads = re.search(r"(\d+) bytes spill loads", props)
            regs = re.search(r"Used (\d+) registers", used)
            return {"registers": int(regs.group(1)) if regs else None,
                    "stack": int(stack.group(1)), "spill stores": int(stores.group(1)),
                    "spill loads": int(loads.group(1))}
    sys.exit(f"gpu-static-analysis: no ptxas report for {mangled_part}")


def ceiling(per_second, count):
    """Network-epochs per second that `count` instructions per network-epoch allow."""
    return per_second / count if count else math.inf


def fmt_rate(x):
    if math.isinf(x):
        return "no ceiling (none counted)"
    for unit, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6)):
        if x >= scale:
            return f"{x / scale:.3g} {unit} network-epochs/s"
    return f"{x:.3g} network-epochs/s"


def resident_warps(registers):
    """Warps per SM that registers allow (sm_90: 64K registers, allocated per warp in units of 256,
    at most 64 warps), in whole blocks of 128 threads as both kernels launch."""
    per_warp = -(-registers * 32 // 256) * 256
    return min(64, 65536 // per_warp) // 4 * 4


def describe_resources(label, res):
    return (f"ptxas -v, {label}: {res['registers']} registers (at most "
            f"{resident_warps(res['registers'])} of 64 warps per SM), {res['stack']} bytes stack, "
            f"{res['spill stores']}/{res['spill loads']} bytes spill stores/loads")


def git_commit():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "kernels",
                                "scripts"], capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes to kernels/ or scripts/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true",
                        help="compile only the probe (skip the real kernels' ptxas report)")
    parser.add_argument("--keep", metavar="DIR", help="keep the PTX and reports in DIR")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"),
                        help="configured build tree whose nvcc flags to use "
                             "(default build/release)")
    args = parser.parse_args()
    from_cmake = cmake_flags(args.build_dir)
    # This checkout's sources first, whichever tree the build directory was configured from.
    if from_cmake is not None:
        flags = [f"-I{ROOT}", *(f for f in from_cmake if f != f"-I{ROOT}")]
    else:
        flags = BUILT_IN_FLAGS

    nvcc = find_nvcc()
    if not nvcc:
        print("gpu-static-analysis: nvcc not found (set NVCC or install CUDA in /usr/local/cuda); "
              "skipped")
        return 77
    work = args.keep or tempfile.mkdtemp(prefix="symbreak-static-")
    os.makedirs(work, exist_ok=True)
    bin_dir = os.path.dirname(nvcc)
    tools = [t for t in ("cuobjdump", "nvdisasm") if os.path.exists(os.path.join(bin_dir, t))]

    version = subprocess.run([nvcc, "--version"], capture_output=True, text=True).stdout
    release = re.search(r"release [\d.]+", version)
    sass = ", ".join(tools) or f"none in {bin_dir} (counts are PTX)"
    print(f"commit {git_commit()}; {nvcc} ({release.group(0) if release else 'unknown release'}), "
          f"PTX for {ARCH}; SASS tools: {sass}")
    origin = (f"from {args.build_dir}" if from_cmake is not None
              else "built-in copy: no configured build tree")
    print(f"nvcc flags ({origin}): {' '.join(flags)} -arch={ARCH}")
    print(f"standard workload: xor ({SAMPLES} samples, {INPUTS} inputs), depth 1, width {WIDTH}, "
          f"tanh, bce, full batch; counted work 6 x {SAMPLES} samples x {WEIGHTS} weights = "
          f"{COUNTED_FLOPS} FLOPs per network-epoch")

    probe_ptx = os.path.join(work, "probe.ptx")
    run_nvcc(nvcc, flags, ["-ptx", PROBE, "-o", probe_ptx])
    probe_report = run_nvcc(nvcc, flags, ["-cubin", "-Xptxas=-v", PROBE,
                                          "-o", os.path.join(work, "probe.cubin")])
    with open(probe_ptx) as f:
        entries = ptx_entries(f.read())

    real_reports = {}
    if not args.fast:
        for kind, (source, _, _) in REAL_KERNELS.items():
            cubin = os.path.join(work, os.path.basename(source) + ".cubin")
            real_reports[kind] = run_nvcc(nvcc, flags, ["-cubin", "-Xptxas=-v",
                                                        os.path.join(ROOT, source), "-o", cubin])
    if args.keep:
        with open(os.path.join(work, "ptxas-probe.txt"), "w") as f:
            f.write(probe_report)

    roofline = SMS * FP32_LANES * 2 * CLOCK_HZ / COUNTED_FLOPS
    print(f"roofline: {SMS} SMs x {FP32_LANES} lanes x 2 FLOP x {CLOCK_HZ / 1e9:.2f} GHz / "
          f"{COUNTED_FLOPS} FLOPs = {fmt_rate(roofline)}\n")

    categories = ["fp32 add/mul/fma", "fp32 other", "mufu", "mufu (IEEE rcp/div/sqrt)", "shfl",
                  "branch", "ld.global", "st.global", "ld.local", "st.local", "ld.generic",
                  "st.generic", "ld.param", "integer/predicate/other", "mov"]
    for kind, probe in PROBES.items():
        name = next(n for n in entries if probe in n)
        counts, conditional, executed_flops, loop_tree = per_epoch_counts(probe, entries[name])
        total = sum(counts.values())
        fp32 = counts["fp32 add/mul/fma"]
        mufu = counts["mufu"] + counts["mufu (IEEE rcp/div/sqrt)"]
        issued = total - counts["mov"]
        print(f"== fused {kind} ({probe}) ==")
        print(f"loops found:\n{loop_tree}")
        unit = "thread" if kind == "per thread" else "warp"
        print(f"PTX instructions per network-epoch (per {unit}; sample loop x {SAMPLES}):")
        for c in categories + sorted(set(counts) - set(categories)):
            if counts[c] or c in ALWAYS_SHOWN:
                print(f"  {c:<28}{counts[c]:>6}")
        print(f"  {'total':<28}{total:>6}   ({conditional} in conditional blocks, counted as run)")
        per = "" if kind == "per thread" else ", per lane"
        print(f"executed FP32 FLOPs per network-epoch{per}: {executed_flops} (fma = 2) against "
              f"{COUNTED_FLOPS} counted")
        clk = SMS * CLOCK_HZ
        # Per SM and clock, in the unit the counts are in: thread instructions or warp instructions.
        lanes = 1 if kind == "per thread" else 32
        ceilings = {"FP32": ceiling(clk * FP32_LANES / lanes, fp32),
                    "MUFU": ceiling(clk * MUFU_LANES / lanes, mufu),
                    "issue (all but mov)": ceiling(clk * ISSUE_WARPS * 32 / lanes, issued)}
        if kind == "per warp":
            ceilings["SHFL"] = ceiling(clk * SHFL_LANES / lanes, counts["shfl"])
        for label, value in ceilings.items():
            print(f"  ceiling {label:<22}{fmt_rate(value)}")
        bound_label = min(("FP32", "MUFU"), key=lambda k: ceilings[k])
        bound = ceilings[bound_label]
        print(f"predicted bound ({bound_label} binds): {fmt_rate(bound)} = "
              f"{bound / roofline:.3f} of the roofline")
        print(describe_resources("probe", ptxas_resources(probe_report, probe)))
        if kind in real_reports:
            source, mangled, pretty = REAL_KERNELS[kind]
            resources = ptxas_resources(real_reports[kind], mangled)
            print(describe_resources(f"{pretty} ({source})", resources))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
