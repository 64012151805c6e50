#!/usr/bin/env python
# coding: utf-8

# # Assignment 2: an MLP on moons and circles, a vanilla RNN on palindromes
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
from sklearn.datasets import make_moons, make_circles
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


# ## Part III, task 1: the vanilla RNN

# In[9]:


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

# In[10]:


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
