"""Assignment 3 — LSTM and vanilla RNN on palindromes, GAN pieces at the end.

Run: python a_training_script.py --input_length 10 --train_steps 10000
"""

import argparse
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


################################################################################
# Task 1: the equations, one by one

def gate(x, h_prev, W_x, W_h, b, activation):
    return activation(torch.mm(x, W_x.t()) + torch.mm(h_prev, W_h.t()) + b)


def cell_state(g, i, f, c_prev):
    return g * i + c_prev * f


def hidden_state(c, o):
    return torch.tanh(c) * o


def prediction(h, W_ph, b_p):
    return torch.mm(h, W_ph.t()) + b_p


def softmax_cross_entropy(p, labels):
    log_probs = p - torch.logsumexp(p, dim=1, keepdim=True)
    loss = -log_probs.gather(1, labels.view(-1, 1)).mean()
    return loss, log_probs.exp()


def rnn_hidden_state(x, h_prev, W_hx, W_hh, b_h):
    return torch.tanh(torch.mm(x, W_hx.t()) + torch.mm(h_prev, W_hh.t()) + b_h)


################################################################################
# Task 2: the models

class LSTM(nn.Module):

    def __init__(self, seq_length, input_dim, hidden_dim, output_dim, batch_size, device):
        super(LSTM, self).__init__()
        self.seq_length = seq_length
        self.hidden_dim = hidden_dim
        self.batch_size = batch_size
        self.device = device

        # one linear layer per weight matrix
        self.Wgx = nn.Linear(input_dim, hidden_dim)
        self.Wgh = nn.Linear(hidden_dim, hidden_dim)
        self.Wix = nn.Linear(input_dim, hidden_dim)
        self.Wih = nn.Linear(hidden_dim, hidden_dim)
        self.Wfx = nn.Linear(input_dim, hidden_dim)
        self.Wfh = nn.Linear(hidden_dim, hidden_dim)
        self.Wox = nn.Linear(input_dim, hidden_dim)
        self.Woh = nn.Linear(hidden_dim, hidden_dim)
        self.Wph = nn.Linear(hidden_dim, output_dim)
        self.softmax = nn.Softmax(dim=1)
        self.to(device)

    def forward(self, x):
        h = torch.zeros(self.batch_size, self.hidden_dim, device=self.device)
        c = torch.zeros(self.batch_size, self.hidden_dim, device=self.device)
        for t in range(self.seq_length):
            x_t = x[:, t, :]
            g = torch.tanh(self.Wgx(x_t) + self.Wgh(h))
            i = torch.sigmoid(self.Wix(x_t) + self.Wih(h))
            f = torch.sigmoid(self.Wfx(x_t) + self.Wfh(h))
            o = torch.sigmoid(self.Wox(x_t) + self.Woh(h))
            c = g * i + c * f
            h = torch.tanh(c) * o
        p = self.Wph(h)
        return self.softmax(p)


class VanillaRNN(nn.Module):

    def __init__(self, seq_length, input_dim, num_hidden, num_classes, batch_size, device):
        super(VanillaRNN, self).__init__()
        self.seq_length = seq_length
        self.num_hidden = num_hidden
        self.batch_size = batch_size
        self.device = device
        self.Whx = nn.Linear(input_dim, num_hidden)
        self.Whh = nn.Linear(num_hidden, num_hidden)
        self.Wph = nn.Linear(num_hidden, num_classes)

    def forward(self, x):
        h = torch.zeros(self.batch_size, self.num_hidden, device=self.device)
        for t in range(self.seq_length):
            h = torch.tanh(self.Whx(x[:, t, :]) + self.Whh(h))
        return self.Wph(h)


################################################################################
# Part II pieces (torch's own layers and optimisers are allowed for these)

Linear, LeakyReLU, ReLU, Tanh, Sigmoid = nn.Linear, nn.LeakyReLU, nn.ReLU, nn.Tanh, nn.Sigmoid
BatchNorm1d = nn.BatchNorm1d
SGD, RMSprop, Adam = torch.optim.SGD, torch.optim.RMSprop, torch.optim.Adam


def discriminator_loss(real_logits, fake_logits):
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake, real, fake


def generator_loss_saturating(fake_logits):
    return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))


def generator_loss_non_saturating(fake_logits):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def build_generator(noise_size, widths, image_size, slope, momentum, eps):
    layers = []
    for k, (a, b) in enumerate(zip([noise_size] + widths[:-1], widths)):
        layers.append(nn.Linear(a, b))
        if k > 0:
            layers.append(nn.BatchNorm1d(b, eps=eps, momentum=momentum))
        layers.append(nn.LeakyReLU(slope))
    return nn.Sequential(*layers, nn.Linear(widths[-1], image_size), nn.Tanh())


def build_discriminator(image_size, widths, slope):
    layers = []
    for a, b in zip([image_size] + widths[:-1], widths):
        layers += [nn.Linear(a, b), nn.LeakyReLU(slope)]
    return nn.Sequential(*layers, nn.Linear(widths[-1], 1))


################################################################################
# Training

class PalindromeDataset(torch.utils.data.Dataset):

    def __init__(self, seq_length):
        self.seq_length = seq_length

    def __len__(self):
        return 10 ** 6

    def __getitem__(self, idx):
        half = np.random.randint(10, size=(self.seq_length + 1) // 2)
        full = np.concatenate((half, half[::-1][self.seq_length % 2:]))
        return full[:-1], full[-1]


def train(config):
    dataset = PalindromeDataset(config.input_length + 1)
    data_loader = DataLoader(dataset, config.batch_size, num_workers=1)
    model = LSTM(config.input_length, 10, config.num_hidden, 10, config.batch_size, device)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=config.learning_rate)
    criterion = nn.NLLLoss()
    for step, (batch_inputs, batch_targets) in enumerate(data_loader):
        t1 = time.time()
        x = F.one_hot(batch_inputs, 10).float().to(device)
        probabilities = model(x)
        loss = criterion(torch.log(probabilities), batch_targets.to(device))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=config.max_norm)
        optimizer.step()
        accuracy = (probabilities.argmax(1).cpu() == batch_targets).float().mean().item()
        if step % 100 == 0:
            print(f"step {step}: loss {loss.item():.3f}, accuracy {accuracy:.3f}, "
                  f"{config.batch_size / (time.time() - t1):.0f} examples/s")
        if step == config.train_steps:
            break
    print("Done training.")


def main(config):
    mnist = torchvision.datasets.MNIST("data", download=True)  # for Part II
    train(config)


parser = argparse.ArgumentParser()
parser.add_argument("--input_length", type=int, default=10)
parser.add_argument("--num_hidden", type=int, default=128)
parser.add_argument("--batch_size", type=int, default=128)
parser.add_argument("--learning_rate", type=float, default=0.001)
parser.add_argument("--train_steps", type=int, default=10000)
parser.add_argument("--max_norm", type=float, default=10.0)
config = parser.parse_args()

main(config)
