"""The standard workload in NumPy, batched float32, as a NumPy user would write it: every array
carries all N networks; the input is shared, so the first layer's products of all networks are one
matrix product. Layout: activations [sample][network][neuron]."""
import numpy as np

import workload as w


def train(networks, epochs, seed):
    """Trains `networks` networks for `epochs` epochs; returns a bool array, solved per network."""
    rng = np.random.default_rng(seed)
    f32 = np.float32
    x = np.array(w.X, dtype=f32)                        # [s][j]
    y = np.array(w.Y, dtype=f32)[:, None]               # [s][1]
    w1 = rng.uniform(-w.BOUND_HIDDEN, w.BOUND_HIDDEN, (networks, w.WIDTH, w.INPUTS)).astype(f32)
    b1 = np.zeros((networks, w.WIDTH), f32)
    w2 = rng.uniform(-w.BOUND_OUTPUT, w.BOUND_OUTPUT, (networks, w.WIDTH)).astype(f32)
    b2 = np.zeros(networks, f32)
    lr, inv_n = f32(w.LR), f32(1.0 / w.SAMPLES)

    def forward():
        z1 = (x @ w1.reshape(-1, w.INPUTS).T).reshape(w.SAMPLES, networks, w.WIDTH) + b1
        a1 = np.tanh(z1)
        z = np.einsum("snh,nh->sn", a1, w2) + b2        # output logits [s][n]
        return a1, z

    for _ in range(epochs):
        a1, z = forward()
        dz = (f32(1) / (f32(1) + np.exp(-z)) - y) * inv_n   # d(mean bce)/dz
        g_w2 = np.einsum("sn,snh->nh", dz, a1)
        g_b2 = dz.sum(axis=0)
        dz1 = dz[:, :, None] * w2 * (f32(1) - a1 * a1)  # [s][n][h]
        g_w1 = (dz1.reshape(w.SAMPLES, -1).T @ x).reshape(networks, w.WIDTH, w.INPUTS)
        g_b1 = dz1.sum(axis=0)
        w1 -= lr * g_w1
        b1 -= lr * g_b1
        w2 -= lr * g_w2
        b2 -= lr * g_b2
    _, z = forward()
    return ((z > 0) == (y > 0.5)).all(axis=0)
