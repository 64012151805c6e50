#!/usr/bin/env python
# coding: utf-8

# # Assignment 2: an MLP on moons and circles, a small CNN on digits, a vanilla RNN on palindromes
#
# Everything by hand on torch tensors: the layers, the loss, the optimisers. Autograd
# only checks our gradients.

# In[1]:


get_ipython().system('pip install scikit-learn matplotlib')
get_ipython().run_line_magic('matplotlib', 'inline')
!nvidia-smi


# In[2]:


import numpy as np
import torch
import torch.nn as nn
import matplotlib.pyplot as plt
from sklearn.datasets import make_moons, make_circles, load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(42)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


# ## Part I, task 1: the building blocks

# In[3]:


def linear(x, W, b):
    """y = x W^T + b  (W is out x in, like nn.Linear)"""
    return x @ W.t() + b


def relu(x):
    return torch.clamp(x, min=0)


def softmax_cross_entropy(scores, y):
    """mean cross-entropy of softmax(scores) and the probabilities.
    subtract the max first, otherwise exp() overflows!!"""
    scores = scores - scores.max(dim=1, keepdim=True)[0]
    log_probs = scores - torch.log(torch.exp(scores).sum(dim=1, keepdim=True))
    loss = -log_probs[torch.arange(scores.shape[0]), y].mean()
    return loss, torch.exp(log_probs)


# In[4]:


# quick check against pytorch
s = torch.randn(4, 3)
t = torch.tensor([0, 2, 1, 1])
print(softmax_cross_entropy(s, t)[0], torch.nn.functional.cross_entropy(s, t))


# In[5]:


class LinearLayer(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n_out, n_in) * np.sqrt(2.0 / n_in))  # He init
        self.b = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return linear(x, self.W, self.b)


class MLP(nn.Module):
    """n_hidden is a list, e.g. [64, 64] for two hidden layers"""

    def __init__(self, n_inputs, n_hidden, n_classes):
        super().__init__()
        sizes = [n_inputs] + list(n_hidden) + [n_classes]
        self.layers = nn.ModuleList()
        for i in range(len(sizes) - 1):
            self.layers.append(LinearLayer(sizes[i], sizes[i + 1]))

    def forward(self, x):
        out = x
        for i, layer in enumerate(self.layers):
            out = layer(out)
            if i < len(self.layers) - 1:  # no relu on the scores
                out = relu(out)
        return out


# In[6]:


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "v" not in state:
                    state["v"] = torch.zeros_like(p)
                state["v"] = group["momentum"] * state["v"] + p.grad
                p -= group["lr"] * state["v"]


# ## Part I, task 2: moons and circles

# In[7]:


def accuracy(scores, y):
    return (scores.argmax(dim=1) == y).float().mean().item()


results = {}
for name, make in [("moons", make_moons), ("circles", make_circles)]:
    X, Y = make(n_samples=1000, noise=0.1, random_state=0) if name == "moons" else make(
        n_samples=1000, noise=0.05, factor=0.5, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, Y, test_size=0.2, random_state=0)
    X_train, X_test = torch.tensor(X_train).float(), torch.tensor(X_test).float()
    y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)
    model = MLP(2, [32, 32], 2)
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    for epoch in range(300):
        loss, _ = softmax_cross_entropy(model(X_train), y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
    results[name] = accuracy(model(X_test), y_test)
    print(name, "test accuracy", results[name])


# In[8]:


plt.bar(list(results), list(results.values()))
plt.show()


# ## Part II, task 1: the CNN's layers by hand (and Adam)

# In[9]:


class ConvLayer(nn.Module):
    """2d convolution (really cross-correlation, same as pytorch). k is an int or (kh, kw)"""

    def __init__(self, c_in, c_out, k, stride=1, padding=0):
        super().__init__()
        self.kh, self.kw = (k, k) if isinstance(k, int) else k
        self.stride, self.padding = stride, padding
        fan_in = c_in * self.kh * self.kw
        self.weight = nn.Parameter(torch.randn(c_out, c_in, self.kh, self.kw) * np.sqrt(2.0 / fan_in))  # He init
        self.bias = nn.Parameter(torch.zeros(c_out))

    def forward(self, x):
        N, C, H, W = x.shape
        s, p = self.stride, self.padding
        H_out = (H + 2 * p - self.kh) // s + 1
        W_out = (W + 2 * p - self.kw) // s + 1
        x = nn.functional.pad(x, (p, p, p, p))  # zeros around
        out = self.bias.view(1, -1, 1, 1)
        # one kernel offset (a, b) at a time: the pixels it sees in every window
        for a in range(self.kh):
            for b in range(self.kw):
                patch = x[:, :, a:a + s * (H_out - 1) + 1:s, b:b + s * (W_out - 1) + 1:s]
                out = out + torch.einsum("nchw,oc->nohw", patch, self.weight[:, :, a, b])
        return out


class MaxPool2D(nn.Module):
    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kh, self.kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
        self.stride = stride if stride is not None else self.kh
        self.padding = padding

    def forward(self, x):
        s, p = self.stride, self.padding
        x = nn.functional.pad(x, (p, p, p, p), value=float("-inf"))  # NOT zeros: all inputs may be negative
        H_out = (x.shape[2] - self.kh) // s + 1
        W_out = (x.shape[3] - self.kw) // s + 1
        best = None
        for a in range(self.kh):
            for b in range(self.kw):
                patch = x[:, :, a:a + s * (H_out - 1) + 1:s, b:b + s * (W_out - 1) + 1:s]
                # strictly greater: on a tie the earlier one stays (and gets the gradient), like pytorch
                best = patch if best is None else torch.where(patch > best, patch, best)
        return best


class SpatialBatchNorm(nn.Module):
    """batchnorm for images: one mean/var per channel, over the batch and all pixels"""

    def __init__(self, num_channels, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.gamma = nn.Parameter(torch.ones(num_channels))
        self.beta = nn.Parameter(torch.zeros(num_channels))
        self.register_buffer("running_mean", torch.zeros(num_channels))
        self.register_buffer("running_var", torch.ones(num_channels))

    def forward(self, x):
        if self.training:
            mean = x.mean(dim=(0, 2, 3))
            var = ((x - mean.view(1, -1, 1, 1)) ** 2).mean(dim=(0, 2, 3))
            m = x.numel() // x.shape[1]  # numbers per channel
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var * m / (m - 1)
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean.view(1, -1, 1, 1)) / torch.sqrt(var.view(1, -1, 1, 1) + self.eps)
        return self.gamma.view(1, -1, 1, 1) * x_hat + self.beta.view(1, -1, 1, 1)


# In[10]:


# check against pytorch
img = torch.randn(2, 3, 7, 6)
conv = ConvLayer(3, 4, (2, 3), stride=2, padding=1)
ref = nn.Conv2d(3, 4, (2, 3), stride=2, padding=1)
ref.weight.data, ref.bias.data = conv.weight.data, conv.bias.data
print((conv(img) - ref(img)).abs().max(), (MaxPool2D(3, 2, 1)(img) - nn.MaxPool2d(3, 2, 1)(img)).abs().max())


# In[11]:


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["t"], state["m"], state["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                state["t"] += 1
                state["m"] = beta1 * state["m"] + (1 - beta1) * p.grad
                state["v"] = beta2 * state["v"] + (1 - beta2) * p.grad ** 2
                m_hat = state["m"] / (1 - beta1 ** state["t"])  # bias correction
                v_hat = state["v"] / (1 - beta2 ** state["t"])
                p -= group["lr"] * m_hat / (torch.sqrt(v_hat) + group["eps"])  # eps outside the sqrt


# ## Part II, task 2: a small CNN on sklearn's 8x8 digits

# In[12]:


class SmallCNN(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.conv1, self.bn1 = ConvLayer(1, 16, 3, padding=1), SpatialBatchNorm(16)
        self.conv2, self.bn2 = ConvLayer(16, 32, 3, padding=1), SpatialBatchNorm(32)
        self.pool = MaxPool2D(2, stride=2)
        self.fc = LinearLayer(32 * 2 * 2, n_classes)

    def forward(self, x):
        x = self.pool(relu(self.bn1(self.conv1(x))))  # 8x8 -> 4x4
        x = self.pool(relu(self.bn2(self.conv2(x))))  # 4x4 -> 2x2
        return self.fc(x.reshape(x.shape[0], -1))


digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(digits.images / 16.0, digits.target, test_size=0.2,
                                                    random_state=0)
X_train, X_test = torch.tensor(X_train).float().unsqueeze(1), torch.tensor(X_test).float().unsqueeze(1)
y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)
cnn = SmallCNN()
opt = Adam(cnn.parameters(), lr=1e-3)
for epoch in range(20):
    cnn.train()
    for i in range(0, len(X_train), 64):
        loss, _ = softmax_cross_entropy(cnn(X_train[i:i + 64]), y_train[i:i + 64])
        opt.zero_grad()
        loss.backward()
        opt.step()
cnn.eval()
print("digits test accuracy", accuracy(cnn(X_test), y_test))


# ## Part III, task 1: the vanilla RNN

# In[13]:


def rnn_hidden_state(x, h_prev, W_hx, W_hh, b_h):
    return torch.tanh(x @ W_hx.t() + h_prev @ W_hh.t() + b_h)


def prediction(h, W_ph, b_o):
    return linear(h, W_ph, b_o)


class VanillaRNN(nn.Module):
    # names as in Karpathy's min-char-rnn
    def __init__(self, seq_length, input_dim, num_hidden, num_classes, batch_size, device="cpu"):
        super().__init__()
        self.seq_length = seq_length
        self.num_hidden = num_hidden
        self.batch_size = batch_size
        self.device = device
        self.Wxh = nn.Parameter(torch.randn(num_hidden, input_dim) * 0.01)
        self.Whh = nn.Parameter(torch.randn(num_hidden, num_hidden) * 0.01)
        self.bh = nn.Parameter(torch.zeros(num_hidden))
        self.Why = nn.Parameter(torch.randn(num_classes, num_hidden) * 0.01)
        self.by = nn.Parameter(torch.zeros(num_classes))

    def forward(self, x):
        # x: batch x time x input_dim
        h = torch.zeros(x.shape[0], self.num_hidden, device=self.device)
        for t in range(x.shape[1]):
            h = rnn_hidden_state(x[:, t, :], h, self.Wxh, self.Whh, self.bh)
        return prediction(h, self.Why, self.by)


class RMSProp(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, alpha=0.99, eps=1e-8):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "sq" not in state:
                    state["sq"] = torch.zeros_like(p)
                state["sq"] = group["alpha"] * state["sq"] + (1 - group["alpha"]) * p.grad ** 2
                p -= group["lr"] * p.grad / (torch.sqrt(state["sq"]) + group["eps"])


# ## Part III, task 2: palindromes

# In[14]:


def palindromes(batch_size, length):
    half = torch.randint(0, 10, (batch_size, (length + 1) // 2))
    full = torch.cat([half, half.flip(1)[:, length % 2:]], dim=1)
    return nn.functional.one_hot(full[:, :-1], 10).float(), full[:, -1]


rnn = VanillaRNN(5, 10, 128, 10, 128, device).to(device)
opt = RMSProp(rnn.parameters(), lr=1e-3)
for step in range(3000):
    x, y = palindromes(128, 5)
    loss, _ = softmax_cross_entropy(rnn(x.to(device)), y.to(device))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(rnn.parameters(), max_norm=10)
    opt.step()
    if step % 500 == 0:
        print(step, loss.item())
