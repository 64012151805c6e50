import os

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms as transforms
from torchvision import datasets
from torchvision.utils import save_image

os.makedirs("images", exist_ok=True)

latent_dim = 100
img_shape = (1, 28, 28)
cuda = torch.cuda.is_available()

Linear, LeakyReLU, ReLU, Tanh, Sigmoid, BatchNorm1d = (nn.Linear, nn.LeakyReLU, nn.ReLU, nn.Tanh, nn.Sigmoid,
                                                       nn.BatchNorm1d)
SGD, RMSprop, Adam = torch.optim.SGD, torch.optim.RMSprop, torch.optim.Adam


class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()

        def block(in_feat, out_feat, normalize=True):
            layers = [nn.Linear(in_feat, out_feat)]
            if normalize:
                layers.append(nn.BatchNorm1d(out_feat, 0.8))
            layers.append(nn.LeakyReLU(0.2, inplace=True))
            return layers

        self.model = nn.Sequential(
            *block(latent_dim, 128, normalize=False),
            *block(128, 256),
            *block(256, 512),
            *block(512, 1024),
            nn.Linear(1024, int(np.prod(img_shape))),
            nn.Tanh()
        )

    def forward(self, z):
        img = self.model(z)
        img = img.view(img.size(0), *img_shape)
        return img


class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.model = nn.Sequential(
            nn.Linear(int(np.prod(img_shape)), 512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Dropout(0.4),
            nn.Linear(512, 256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Dropout(0.4),
            nn.Linear(256, 1),
            nn.Sigmoid(),
        )

    def forward(self, img):
        img_flat = img.view(img.size(0), -1)
        validity = self.model(img_flat)
        return validity


adversarial_loss = torch.nn.BCELoss()


def discriminator_loss(real_pred, fake_pred):
    real_loss = adversarial_loss(real_pred, torch.ones_like(real_pred))
    fake_loss = adversarial_loss(fake_pred, torch.zeros_like(fake_pred))
    d_loss = (real_loss + fake_loss) / 2
    return d_loss, real_loss, fake_loss


def generator_loss_saturating(fake_pred):
    return -adversarial_loss(fake_pred, torch.zeros_like(fake_pred))


def generator_loss_non_saturating(fake_pred):
    return adversarial_loss(fake_pred, torch.ones_like(fake_pred))


generator = Generator()
discriminator = Discriminator()
if cuda:
    generator.cuda()
    discriminator.cuda()

dataloader = torch.utils.data.DataLoader(
    datasets.MNIST("../../data/mnist", train=True, download=True,
                   transform=transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])),
    batch_size=64, shuffle=True)

optimizer_G = torch.optim.Adam(generator.parameters(), lr=0.0002, betas=(0.5, 0.999))
optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))

for epoch in range(200):
    for i, (imgs, _) in enumerate(dataloader):
        real_imgs = imgs.type(torch.FloatTensor)
        optimizer_G.zero_grad()
        z = torch.randn(imgs.shape[0], latent_dim)
        gen_imgs = generator(z)
        g_loss = generator_loss_non_saturating(discriminator(gen_imgs))
        g_loss.backward()
        optimizer_G.step()

        optimizer_D.zero_grad()
        d_loss, _, _ = discriminator_loss(discriminator(real_imgs), discriminator(gen_imgs.detach()))
        d_loss.backward()
        optimizer_D.step()
        batches_done = epoch * len(dataloader) + i
        if batches_done % 400 == 0:
            save_image(gen_imgs.data[:25], "images/%d.png" % batches_done, nrow=5, normalize=True)
