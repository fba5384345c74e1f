"""The standard workload every peer trains, stated once: xor, depth 1, width 8, tanh, bce loss,
full batch, lr 0.5, xavier-uniform weights and zero biases. Shapes: N networks, 4 samples, 2 inputs,
8 hidden neurons, 1 output."""
import math

INPUTS, WIDTH, SAMPLES = 2, 8, 4
LR = 0.5

# Sample s has input j = (s >> j) & 1, so xor is (0,0)->0, (1,0)->1, (0,1)->1, (1,1)->0.
X = [[float((s >> j) & 1) for j in range(INPUTS)] for s in range(SAMPLES)]
Y = [float(int(x[0]) ^ int(x[1])) for x in X]

# xavier-uniform: U(±sqrt(6 / (fan_in + fan_out))) for every weight matrix.
BOUND_HIDDEN = math.sqrt(6.0 / (INPUTS + WIDTH))
BOUND_OUTPUT = math.sqrt(6.0 / (WIDTH + 1))

# Work counted per network-epoch: forward, backward and gradient, 2 FLOPs each per weight and
# sample.
WEIGHTS = INPUTS * WIDTH + WIDTH
FLOPS_PER_NETWORK_EPOCH = 6 * SAMPLES * WEIGHTS
