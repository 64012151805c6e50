"""Part II: the GAN's layers, losses and networks."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from lstm import MyLSTM  # noqa: F401  (the report compares the two models)


class Linear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        bound = in_features ** -0.5
        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound))

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)


LeakyReLU, ReLU, Tanh, Sigmoid, BatchNorm1d = nn.LeakyReLU, nn.ReLU, nn.Tanh, nn.Sigmoid, nn.BatchNorm1d
SGD, RMSprop, Adam = torch.optim.SGD, torch.optim.RMSprop, torch.optim.Adam


def discriminator_loss(real_logits, fake_logits):
    real = F.softplus(-real_logits).mean()   # -log σ(ℓ)
    fake = F.softplus(fake_logits).mean()    # -log(1 - σ(ℓ))
    return real + fake, real, fake


def generator_loss_saturating(fake_logits):
    return -F.softplus(fake_logits).mean()


def generator_loss_non_saturating(fake_logits):
    return F.softplus(-fake_logits).mean()


def build_generator(noise_size, widths, image_size, slope, momentum, eps):
    layers = [Linear(noise_size, widths[0]), nn.LeakyReLU(slope)]
    for a, b in zip(widths, widths[1:]):
        layers += [Linear(a, b), nn.BatchNorm1d(b, eps=eps, momentum=0.8), nn.LeakyReLU(slope)]
    return nn.Sequential(*layers, Linear(widths[-1], image_size), nn.Tanh())


def build_discriminator(image_size, widths, slope):
    layers, width = [], image_size
    for w in widths:
        layers += [Linear(width, w), nn.LeakyReLU(slope)]
        width = w
    return nn.Sequential(*layers, Linear(width, 1))
