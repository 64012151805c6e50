"""Assignment 3 in PyTorch: a worked example of every piece learn_answers.py grades.

Part I: the LSTM's equations (1)–(9), the LSTM and a vanilla RNN on the palindrome task.
Part II: the GAN's layers, losses, networks and optimisers. Weights are out×in, as in
nn.Linear (y = x·Wᵀ + b), one example per row.

It holds Assignment 2's pieces too (the layers, softmax–CE, SGD, the RNN, RMSprop, Adam,
and the MLP and the CNN's layers at the end), so `--assignment 2` answers every case of
that assignment as well.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


# --- Part I, task 1: equations (1)–(9) ----------------------------------------------------

def gate(x, h_prev, W_x, W_h, b, activation):
    """(1)–(4): activation(W_x x(t) + W_h h(t−1) + b) — tanh for g, σ for i, f, o."""
    return activation(x @ W_x.T + h_prev @ W_h.T + b)


def cell_state(g, i, f, c_prev):
    """(5): c(t) = g(t) ⊙ i(t) + c(t−1) ⊙ f(t)."""
    return g * i + c_prev * f


def hidden_state(c, o):
    """(6): h(t) = tanh(c(t)) ⊙ o(t)."""
    return torch.tanh(c) * o


def prediction(h, W_ph, b_p):
    """(7): p(t) = W_ph h(t) + b_p, the scores before the softmax."""
    return h @ W_ph.T + b_p


def softmax_cross_entropy(p, labels):
    """(8)–(9): the mean cross-entropy of softmax(p), and the probabilities.

    The row maximum is subtracted first: exp(1000) overflows, exp(1000 − 1000) does not.
    """
    shifted = p - p.max(dim=1, keepdim=True).values
    exp = shifted.exp()
    total = exp.sum(dim=1, keepdim=True)
    log_probabilities = shifted - total.log()
    loss = -log_probabilities[torch.arange(len(labels)), labels].mean()
    return loss, exp / total


def rnn_hidden_state(x, h_prev, W_hx, W_hh, b_h):
    """The vanilla RNN: h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h)."""
    return torch.tanh(x @ W_hx.T + h_prev @ W_hh.T + b_h)


# --- Part I, task 2: the models -----------------------------------------------------------

def weight(rows, columns):
    """A rows×columns weight, uniform in ±1/√columns (as torch.nn.LSTM)."""
    bound = 1 / math.sqrt(columns)
    return nn.Parameter(torch.empty(rows, columns).uniform_(-bound, bound))


def bias(size):
    return nn.Parameter(torch.zeros(size))


class LSTM(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes):
        super().__init__()
        D, H, K = input_dim, hidden_dim, num_classes
        self.hidden_dim = H
        self.W_gx, self.W_gh, self.b_g = weight(H, D), weight(H, H), bias(H)
        self.W_ix, self.W_ih, self.b_i = weight(H, D), weight(H, H), bias(H)
        self.W_fx, self.W_fh, self.b_f = weight(H, D), weight(H, H), bias(H)
        self.W_ox, self.W_oh, self.b_o = weight(H, D), weight(H, H), bias(H)
        self.W_ph, self.b_p = weight(K, H), bias(K)

    def step(self, x, h, c):
        """One time step, equations (1)–(6): (h(t), c(t)) from x(t), h(t−1), c(t−1)."""
        g = gate(x, h, self.W_gx, self.W_gh, self.b_g, torch.tanh)
        i = gate(x, h, self.W_ix, self.W_ih, self.b_i, torch.sigmoid)
        f = gate(x, h, self.W_fx, self.W_fh, self.b_f, torch.sigmoid)
        o = gate(x, h, self.W_ox, self.W_oh, self.b_o, torch.sigmoid)
        c = cell_state(g, i, f, c)
        return hidden_state(c, o), c

    def forward(self, x):
        """x is N×T×D. Returns p(T), the last step's scores (N×K), and h(T)."""
        N, T, _ = x.shape
        h = c = x.new_zeros(N, self.hidden_dim)
        for t in range(T):
            h, c = self.step(x[:, t], h, c)
        return prediction(h, self.W_ph, self.b_p), h


class RNN(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes):
        super().__init__()
        D, H, K = input_dim, hidden_dim, num_classes
        self.hidden_dim = H
        self.W_hx, self.W_hh, self.b_h = weight(H, D), weight(H, H), bias(H)
        self.W_ph, self.b_p = weight(K, H), bias(K)

    def forward(self, x):
        N, T, _ = x.shape
        h = x.new_zeros(N, self.hidden_dim)
        for t in range(T):
            h = rnn_hidden_state(x[:, t], h, self.W_hx, self.W_hh, self.b_h)
        return prediction(h, self.W_ph, self.b_p), h


# --- Part II, task 1: layers --------------------------------------------------------------

class Linear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = weight(out_features, in_features)
        self.bias = bias(out_features)

    def forward(self, x):
        return x @ self.weight.T + self.bias


class LeakyReLU(nn.Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return torch.where(x > 0, x, self.negative_slope * x)


class ReLU(LeakyReLU):
    def __init__(self):
        super().__init__(0.0)


class Tanh(nn.Module):
    def forward(self, x):
        return torch.tanh(x)


class Sigmoid(nn.Module):
    def forward(self, x):
        return torch.sigmoid(x)


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))   # γ
        self.bias = nn.Parameter(torch.zeros(num_features))    # β
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if self.training:
            mean = x.mean(dim=0)
            var = ((x - mean) ** 2).mean(dim=0)   # biased: divided by N
            self.update_running_statistics(mean, var, len(x))
        else:
            mean, var = self.running_mean, self.running_var
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias

    @torch.no_grad()
    def update_running_statistics(self, mean, var, n):
        """running ← (1 − momentum)·running + momentum·batch, the variance unbiased."""
        m = self.momentum
        self.running_mean.mul_(1 - m).add_(m * mean)
        self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))


# --- Part II, task 1: the GAN's losses, from D's logits ℓ (D = σ(ℓ)) ------------------------
# log D = logsigmoid(ℓ) and log(1 − D) = logsigmoid(−ℓ) stay finite when σ(ℓ) rounds to 0 or 1.

def discriminator_loss(real_logits, fake_logits):
    """(10): L_D = −mean log D(x) − mean log(1 − D(G(z))), and its two terms."""
    real = -F.logsigmoid(real_logits).mean()
    fake = -F.logsigmoid(-fake_logits).mean()
    return real + fake, real, fake


def generator_loss_saturating(fake_logits):
    """The original L_G = mean log(1 − D(G(z))), which G minimises."""
    return F.logsigmoid(-fake_logits).mean()


def generator_loss_non_saturating(fake_logits):
    """L_G = −mean log D(G(z)): strong gradients while D still rejects the samples."""
    return -F.logsigmoid(fake_logits).mean()


# --- Part II, task 1: the networks ----------------------------------------------------------

def build_generator(noise_size, widths, image_size, slope, momentum, eps):
    """Linear → [BatchNorm, on all but the first] → LeakyReLU per hidden width, then Linear → tanh."""
    layers, width = [], noise_size
    for k, next_width in enumerate(widths):
        layers.append(Linear(width, next_width))
        if k > 0:
            layers.append(BatchNorm1d(next_width, eps=eps, momentum=momentum))
        layers.append(LeakyReLU(slope))
        width = next_width
    layers += [Linear(width, image_size), Tanh()]
    return nn.Sequential(*layers)


def build_discriminator(image_size, widths, slope):
    """Linear → LeakyReLU per hidden width, then Linear to one logit (no sigmoid)."""
    layers, width = [], image_size
    for next_width in widths:
        layers += [Linear(width, next_width), LeakyReLU(slope)]
        width = next_width
    layers.append(Linear(width, 1))
    return nn.Sequential(*layers)


# --- Assignment 2, Part I: the MLP ----------------------------------------------------------

class MLP(nn.Sequential):
    """Linear → ReLU → … → Linear from widths = [inputs, hidden…, classes]. The last
    layer's outputs are the class scores: no ReLU after it (softmax–CE takes them)."""

    def __init__(self, widths):
        layers = []
        for width, next_width in zip(widths, widths[1:]):
            layers += [Linear(width, next_width), ReLU()]
        super().__init__(*layers[:-1])


# --- Assignment 2, Part II: the CNN's layers, on N×C×H×W images ------------------------------

def pair(size):
    """A kernel size as (K_h, K_w): an int is a square kernel."""
    return (size, size) if isinstance(size, int) else tuple(size)


class Conv2d(nn.Module):
    """y[n,o,i,j] = b[o] + Σ_c,a,b W[o,c,a,b]·x[n,c,i·S−P+a,j·S−P+b], a cross-correlation over
    the zero-padded image, as im2col: every window a column, then one matrix product."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        super().__init__()
        self.kernel_size, self.stride, self.padding = pair(kernel_size), stride, padding
        kh, kw = self.kernel_size
        bound = 1 / math.sqrt(in_channels * kh * kw)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, kh, kw).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_channels).uniform_(-bound, bound))

    def forward(self, x):
        n, _, h, w = x.shape
        (kh, kw), s, p = self.kernel_size, self.stride, self.padding
        columns = F.unfold(x, (kh, kw), padding=p, stride=s)   # N × (C·K_h·K_w) × windows
        y = self.weight.reshape(len(self.weight), -1) @ columns + self.bias[:, None]
        return y.reshape(n, -1, (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1)


class MaxPool2d(nn.Module):
    """The largest number of each window, each channel on its own. The padding is −∞, so
    an all-negative window at the border keeps its own maximum; of tied maxima the first
    in row-major order gets the gradient (torch.max returns its index)."""

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = pair(kernel_size)
        self.stride = stride or self.kernel_size[0]
        self.padding = padding

    def forward(self, x):
        (kh, kw), s, p = self.kernel_size, self.stride, self.padding
        padded = F.pad(x, (p, p, p, p), value=-math.inf)
        windows = padded.unfold(2, kh, s).unfold(3, kw, s)   # N×C×H₂×W₂×K_h×K_w
        return windows.reshape(*windows.shape[:4], -1).max(dim=-1).values


class BatchNorm2d(BatchNorm1d):
    """BatchNorm1d per channel: each pixel a row, so the statistics are over N, H and W
    (M = N·H·W numbers, the running variance unbiased by M/(M − 1))."""

    def forward(self, x):
        n, c, h, w = x.shape
        rows = x.permute(0, 2, 3, 1).reshape(-1, c)
        return super().forward(rows).reshape(n, h, w, c).permute(0, 3, 1, 2)


# --- Optimisers, with torch.optim's protocol -------------------------------------------------

class SGD(torch.optim.Optimizer):
    """v ← μv + g, θ ← θ − ηv (v starts at 0)."""

    def __init__(self, params, lr, momentum=0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                v = self.state[p].setdefault("velocity", torch.zeros_like(p))
                v.mul_(group["momentum"]).add_(p.grad)
                p.sub_(group["lr"] * v)


class RMSprop(torch.optim.Optimizer):
    """s ← αs + (1 − α)g², θ ← θ − ηg/(√s + ε) (s starts at 0, no bias correction)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g, alpha = p.grad, group["alpha"]
                s = self.state[p].setdefault("square_average", torch.zeros_like(p))
                s.mul_(alpha).add_((1 - alpha) * g * g)
                p.sub_(group["lr"] * g / (s.sqrt() + group["eps"]))


class Adam(torch.optim.Optimizer):
    """m, v: moving averages of g and g², bias-corrected; θ ← θ − η m̂/(√v̂ + ε)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g, state = p.grad, self.state[p]
                if not state:
                    state.update(t=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                state["t"] += 1
                m, v, t = state["m"], state["v"], state["t"]
                m.mul_(beta1).add_((1 - beta1) * g)
                v.mul_(beta2).add_((1 - beta2) * g * g)
                m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
                p.sub_(group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
