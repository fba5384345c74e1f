"""The standard workload in PyTorch, as a PyTorch user would write it: parameters as batched
tensors [network][rows][cols], the layers as torch.bmm, trained either with autograd and
torch.optim.SGD or with the backward pass written out by hand (also torch.bmm)."""
import torch
import torch.nn.functional as F

import workload as w


def _setup(networks, seed, device):
    gen = torch.Generator(device="cpu").manual_seed(seed)

    def uniform(bound, *shape):
        return ((torch.rand(*shape, generator=gen) * 2 - 1) * bound).to(device)

    x = torch.tensor(w.X, device=device).expand(networks, w.SAMPLES, w.INPUTS)   # shared, no copy
    y = torch.tensor(w.Y, device=device).reshape(1, w.SAMPLES, 1).expand(networks, -1, -1)
    w1 = uniform(w.BOUND_HIDDEN, networks, w.WIDTH, w.INPUTS)
    b1 = torch.zeros(networks, 1, w.WIDTH, device=device)
    w2 = uniform(w.BOUND_OUTPUT, networks, 1, w.WIDTH)
    b2 = torch.zeros(networks, 1, 1, device=device)
    return x, y, [w1, b1, w2, b2]


def _logits(x, w1, b1, w2, b2):
    a1 = torch.tanh(torch.bmm(x, w1.transpose(1, 2)) + b1)   # [n][s][h]
    return a1, torch.bmm(a1, w2.transpose(1, 2)) + b2          # [n][s][1]


def _solved(x, y, params):
    with torch.no_grad():
        _, z = _logits(x, *params)
    return ((z > 0) == (y > 0.5)).all(dim=1).flatten().cpu().numpy()


def train_autograd(networks, epochs, seed, device):
    x, y, params = _setup(networks, seed, device)
    for p in params:
        p.requires_grad_(True)
    opt = torch.optim.SGD(params, lr=w.LR)
    for _ in range(epochs):
        opt.zero_grad(set_to_none=True)
        _, z = _logits(x, *params)
        # Each network's loss is its mean over the samples; summing over networks keeps them apart.
        loss = F.binary_cross_entropy_with_logits(z, y, reduction="sum") / w.SAMPLES
        loss.backward()
        opt.step()
    return _solved(x, y, params)


def train_manual(networks, epochs, seed, device):
    x, y, params = _setup(networks, seed, device)
    w1, b1, w2, b2 = params
    with torch.no_grad():
        for _ in range(epochs):
            a1, z = _logits(x, w1, b1, w2, b2)
            dz = (torch.sigmoid(z) - y) / w.SAMPLES                    # [n][s][1]
            dz1 = torch.bmm(dz, w2) * (1 - a1 * a1)                    # [n][s][h]
            w2.sub_(torch.bmm(dz.transpose(1, 2), a1), alpha=w.LR)
            b2.sub_(dz.sum(dim=1, keepdim=True), alpha=w.LR)
            w1.sub_(torch.bmm(dz1.transpose(1, 2), x), alpha=w.LR)
            b1.sub_(dz1.sum(dim=1, keepdim=True), alpha=w.LR)
    return _solved(x, y, params)


def synchronize(device):
    if device == "cuda":
        torch.cuda.synchronize()
