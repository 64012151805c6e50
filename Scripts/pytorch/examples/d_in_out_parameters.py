"""LSTM and RNN, written from the equations with weights stored input x output (x @ W)."""
import torch
import torch.nn as nn


class LSTM(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes):
        super().__init__()
        self.hidden_dim = hidden_dim
        init = lambda *shape: nn.Parameter(torch.randn(*shape) * 0.01)
        self.W_gx, self.W_gh = init(input_dim, hidden_dim), init(hidden_dim, hidden_dim)
        self.W_ix, self.W_ih = init(input_dim, hidden_dim), init(hidden_dim, hidden_dim)
        self.W_fx, self.W_fh = init(input_dim, hidden_dim), init(hidden_dim, hidden_dim)
        self.W_ox, self.W_oh = init(input_dim, hidden_dim), init(hidden_dim, hidden_dim)
        self.W_ph = init(hidden_dim, num_classes)
        # biases as plain tensors
        self.b_g = torch.zeros(hidden_dim, requires_grad=True)
        self.b_i = torch.zeros(hidden_dim, requires_grad=True)
        self.b_f = torch.ones(hidden_dim, requires_grad=True)
        self.b_o = torch.zeros(hidden_dim, requires_grad=True)
        self.b_p = torch.zeros(num_classes, requires_grad=True)

    def forward(self, x):
        h = torch.zeros(self.hidden_dim, self.hidden_dim)
        c = torch.zeros(self.hidden_dim, self.hidden_dim)
        for t in range(x.shape[1]):
            x_t = x[:, t, :]
            g = torch.tanh(x_t @ self.W_gx + h @ self.W_gh + self.b_g)
            i = torch.sigmoid(x_t @ self.W_ix + h @ self.W_ih + self.b_i)
            f = torch.sigmoid(x_t @ self.W_fx + h @ self.W_fh + self.b_f)
            o = torch.sigmoid(x_t @ self.W_ox + h @ self.W_oh + self.b_o)
            c = g * i + c * f
            h = torch.tanh(c) * o
        p = h @ self.W_ph + self.b_p
        return p, h


class RNN(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.W_hx = nn.Parameter(torch.randn(input_dim, hidden_dim) * 0.01)
        self.W_hh = nn.Parameter(torch.randn(hidden_dim, hidden_dim) * 0.01)
        self.W_ph = nn.Parameter(torch.randn(hidden_dim, num_classes) * 0.01)
        self.b_h = torch.zeros(hidden_dim, requires_grad=True)
        self.b_p = torch.zeros(num_classes, requires_grad=True)

    def forward(self, x):
        h = torch.zeros(x.shape[0], self.hidden_dim)
        for t in range(x.shape[1]):
            h = torch.tanh(x[:, t, :] @ self.W_hx + h @ self.W_hh + self.b_h)
        return h @ self.W_ph + self.b_p, h
