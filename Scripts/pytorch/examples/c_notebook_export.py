#!/usr/bin/env python
# coding: utf-8

# # Assignment 3: LSTMs and GANs
# Run all cells top to bottom.

# In[1]:


get_ipython().system('pip install torchvision tqdm')
get_ipython().run_line_magic('matplotlib', 'inline')
!nvidia-smi


# In[2]:


import math
import torch
import torch.nn as nn
import torch.nn.functional as F
import matplotlib.pyplot as plt
from tqdm import tqdm


# ## Part I, task 1

# In[3]:


def gate(x, h_prev, W_x, W_h, b, activation):
    return activation(F.linear(x, W_x) + F.linear(h_prev, W_h) + b)

def cell_state(g, i, f, c_prev):
    return g * i + f * c_prev

def hidden_state(c, o):
    return o * torch.tanh(c)

def prediction(h, W_ph, b_p):
    return F.linear(h, W_ph, b_p.reshape(-1))

def softmax_cross_entropy(p, labels):
    return F.cross_entropy(p, labels), F.softmax(p, dim=1)

def rnn_hidden_state(x, h_prev, W_hx, W_hh, b_h):
    return torch.tanh(F.linear(x, W_hx) + F.linear(h_prev, W_hh) + b_h)


# In[4]:


gate(torch.randn(2, 3), torch.randn(2, 4), torch.randn(4, 3), torch.randn(4, 4), torch.zeros(4), torch.tanh)


# ## Part I, task 2

# In[5]:


class LSTMModel(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.hidden_size = hidden_size
        def P(*shape):
            return nn.Parameter(torch.randn(*shape) / math.sqrt(shape[-1]))
        self.W_gx, self.W_gh, self.b_g = P(hidden_size, input_size), P(hidden_size, hidden_size), P(hidden_size)
        self.W_ix, self.W_ih, self.b_i = P(hidden_size, input_size), P(hidden_size, hidden_size), P(hidden_size)
        self.W_fx, self.W_fh, self.b_f = P(hidden_size, input_size), P(hidden_size, hidden_size), P(hidden_size)
        self.W_ox, self.W_oh, self.b_o = P(hidden_size, input_size), P(hidden_size, hidden_size), P(hidden_size)
        self.W_ph, self.b_p = P(num_classes, hidden_size), P(num_classes)

    def forward(self, x):
        h = torch.zeros(x.size(0), self.hidden_size)
        c = torch.zeros(x.size(0), self.hidden_size)
        for t in range(x.size(1)):
            xt = x[:, t]
            g = gate(xt, h, self.W_gx, self.W_gh, self.b_g, torch.tanh)
            i = gate(xt, h, self.W_ix, self.W_ih, self.b_i, torch.sigmoid)
            f = gate(xt, h, self.W_fx, self.W_fh, self.b_f, torch.sigmoid)
            o = gate(xt, h, self.W_ox, self.W_oh, self.b_o, torch.sigmoid)
            c = cell_state(g, i, f, c)
            h = hidden_state(c, o)
        return h @ self.W_ph.T + self.b_p


class RNNModel(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super().__init__()
        self.hidden_size = hidden_size
        self.W_hx = nn.Parameter(torch.randn(hidden_size, input_size) * 0.1)
        self.W_hh = nn.Parameter(torch.randn(hidden_size, hidden_size) * 0.1)
        self.b_h = nn.Parameter(torch.zeros(hidden_size))
        self.W_ph = nn.Parameter(torch.randn(num_classes, hidden_size) * 0.1)
        self.b_p = nn.Parameter(torch.zeros(num_classes))

    def forward(self, x):
        h = torch.zeros(x.size(0), self.hidden_size)
        for t in range(x.size(1)):
            h = rnn_hidden_state(x[:, t], h, self.W_hx, self.W_hh, self.b_h)
        return prediction(h, self.W_ph, self.b_p), h


# In[6]:


model = LSTMModel(10, 128, 10)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in tqdm(range(2000)):
    digits = torch.randint(0, 10, (64, 5))
    x = F.one_hot(torch.cat([digits, digits.flip(1)[:, 1:]], 1)[:, :-1], 10).float()
    loss = F.cross_entropy(model(x), digits[:, 0])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
plt.plot([loss.item()])


# ## Part II

# In[7]:


Linear = nn.Linear
class LeakyReLU(nn.Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope
    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)
ReLU, Tanh, Sigmoid, BatchNorm1d = nn.ReLU, nn.Tanh, nn.Sigmoid, nn.BatchNorm1d
SGD, RMSprop, Adam = torch.optim.SGD, torch.optim.RMSprop, torch.optim.Adam

def discriminator_loss(real_logits, fake_logits):
    real = -F.logsigmoid(real_logits).mean()
    fake = -F.logsigmoid(-fake_logits).mean()
    return real + fake, real, fake

def generator_loss_saturating(fake_logits):
    return F.logsigmoid(-fake_logits).mean()

def generator_loss_non_saturating(fake_logits):
    return -F.logsigmoid(fake_logits).mean()

def build_generator(noise_size, widths, image_size, slope, momentum, eps):
    sizes = [noise_size] + list(widths)
    layers = []
    for k in range(len(widths)):
        layers.append(nn.Linear(sizes[k], sizes[k + 1]))
        if k:
            layers.append(nn.BatchNorm1d(sizes[k + 1], eps=eps, momentum=momentum))
        layers.append(nn.LeakyReLU(slope))
    layers += [nn.Linear(sizes[-1], image_size), nn.Tanh()]
    return nn.Sequential(*layers)

def build_discriminator(image_size, widths, slope):
    sizes = [image_size] + list(widths)
    layers = []
    for k in range(len(widths)):
        layers += [nn.Linear(sizes[k], sizes[k + 1]), nn.LeakyReLU(slope)]
    return nn.Sequential(*layers, nn.Linear(sizes[-1], 1))


# In[8]:


G = build_generator(100, [128, 256, 512, 1024], 784, 0.2, 0.1, 1e-5)
samples = G(torch.randn(25, 100)).detach()
plt.imshow(samples[0].view(28, 28), cmap="gray")
plt.show()
