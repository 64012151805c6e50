"""Assignment 3, using PyTorch's building blocks where I could."""
import torch
from torch import nn
import torch.nn.functional as F


def gate(x, h_prev, W_x, W_h, b, activation):
    return activation(x.matmul(W_x.transpose(0, 1)) + h_prev.matmul(W_h.transpose(0, 1)) + b)


def cell_state(g, i, f, c_prev):
    return torch.addcmul(c_prev * f, g, i)


def hidden_state(c, o):
    return torch.tanh(c).mul(o)


def prediction(h, W_ph, b_p):
    return torch.addmm(b_p, h, W_ph.t())


def softmax_cross_entropy(p, labels):
    log_p = F.log_softmax(p, dim=1)
    return F.nll_loss(log_p, labels), log_p.exp()


def rnn_hidden_state(x, h_prev, W_hx, W_hh, b_h):
    return torch.tanh(x @ W_hx.t() + h_prev @ W_hh.t() + b_h)


class LSTM(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes):
        super().__init__()
        self.lstm = nn.LSTM(input_dim, hidden_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, num_classes)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        last = out[:, -1, :]
        return self.fc(last), last


class RNN(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes):
        super().__init__()
        self.rnn = nn.RNN(input_dim, hidden_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, num_classes)

    def forward(self, x):
        out, h = self.rnn(x)
        return self.fc(out[:, -1]), out[:, -1]


class Linear(nn.Linear):
    pass


LeakyReLU, ReLU, Tanh, Sigmoid, BatchNorm1d = nn.LeakyReLU, nn.ReLU, nn.Tanh, nn.Sigmoid, nn.BatchNorm1d
SGD, RMSprop, Adam = torch.optim.SGD, torch.optim.RMSprop, torch.optim.Adam
bce = nn.BCEWithLogitsLoss()


def discriminator_loss(real_logits, fake_logits):
    real = bce(real_logits, torch.ones_like(real_logits))
    fake = bce(fake_logits, torch.zeros_like(fake_logits))
    return real + fake, real, fake


def generator_loss_saturating(fake_logits):
    return -bce(fake_logits, torch.zeros_like(fake_logits))


def generator_loss_non_saturating(fake_logits):
    return bce(fake_logits, torch.ones_like(fake_logits))


def build_generator(noise_size, widths, image_size, slope, momentum, eps):
    net, previous = nn.Sequential(), noise_size
    for k, width in enumerate(widths):
        net.append(nn.Linear(previous, width))
        if k > 0:
            net.append(nn.BatchNorm1d(width, eps=eps, momentum=momentum))
        net.append(nn.LeakyReLU(slope))
        previous = width
    net.append(nn.Linear(previous, image_size))
    net.append(nn.Tanh())
    return net


def build_discriminator(image_size, widths, slope):
    net, previous = nn.Sequential(), image_size
    for width in widths:
        net.extend([nn.Linear(previous, width), nn.LeakyReLU(slope)])
        previous = width
    net.append(nn.Linear(previous, 1))
    return net
