"""Part I: the LSTM and the RNN, and the equations they are made of."""
import torch
import torch.nn as nn


def gate(x, h_prev, W_x, W_h, b, activation):
    return activation(x @ W_x.T + h_prev @ W_h.T + b)


def cell_state(g, i, f, c_prev):
    return g * i + c_prev * f


def hidden_state(c, o):
    return torch.tanh(c) * o


def prediction(h, W_ph, b_p):
    return h @ W_ph.T + b_p


def softmax_cross_entropy(p, labels):
    z = p - p.max(1, keepdim=True).values
    log_q = z - z.exp().sum(1, keepdim=True).log()
    return -log_q[range(len(labels)), labels].mean(), log_q.exp()


def rnn_hidden_state(x, h_prev, W_hx, W_hh, b_h):
    return torch.tanh(x @ W_hx.T + h_prev @ W_hh.T + b_h)


class GateLayer(nn.Module):
    """One gate: its input and recurrent weights and its bias."""
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.x = nn.Linear(n_in, n_hidden, bias=False)
        self.h = nn.Linear(n_hidden, n_hidden)


class MyLSTM(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.n_hidden = n_hidden
        self.input_gate = GateLayer(n_in, n_hidden)
        self.forget_gate = GateLayer(n_in, n_hidden)
        self.output_gate = GateLayer(n_in, n_hidden)
        self.candidate = GateLayer(n_in, n_hidden)
        self.out = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        h = c = x.new_zeros(x.shape[0], self.n_hidden)
        for t in range(x.shape[1]):
            xt = x[:, t]
            g = torch.tanh(self.candidate.x(xt) + self.candidate.h(h))
            i = torch.sigmoid(self.input_gate.x(xt) + self.input_gate.h(h))
            f = torch.sigmoid(self.forget_gate.x(xt) + self.forget_gate.h(h))
            o = torch.sigmoid(self.output_gate.x(xt) + self.output_gate.h(h))
            c = cell_state(g, i, f, c)
            h = hidden_state(c, o)
        return self.out(h), h


class MyRNN(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.n_hidden = n_hidden
        self.input2hidden = nn.Linear(n_in, n_hidden)
        self.hidden2hidden = nn.Linear(n_hidden, n_hidden, bias=False)
        self.hidden2output = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        h = x.new_zeros(x.shape[0], self.n_hidden)
        for t in range(x.shape[1]):
            h = torch.tanh(self.input2hidden(x[:, t]) + self.hidden2hidden(h))
        return self.hidden2output(h), h
