"""Train the network from eager_model.py on FashionMNIST: the loss, one optimizer step, the training and evaluation loops, saving and predicting.

Run it:  python training_loop.py          (a quick run: 2,000 training and 500 test images, 5 epochs)
         python training_loop.py --full   (all 60,000 training and 10,000 test images, 10 epochs)
(eager_model.py must sit beside it; the first run downloads FashionMNIST, about 30 MB, into ./data;
it also needs matplotlib.)
"""

# --8<-- [start:imports]
import argparse
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets
from torchvision.transforms import v2

from eager_model import NeuralNetwork, pick_device
# --8<-- [end:imports]


# --8<-- [start:device]
device = pick_device()  # from eager_model.py: the accelerator PyTorch finds, else the CPU
print(f"Using {device.type} device")
# --8<-- [end:device]

# --8<-- [start:loss]
torch.manual_seed(0)  # the same weights and the same synthetic batch on every run
model = NeuralNetwork().to(device)
loss_fn = nn.CrossEntropyLoss()  # takes logits (raw scores) and class indices

X = torch.rand(64, 1, 28, 28).to(device)  # a batch of 64 random "images"...
y = torch.randint(0, 10, (64,)).to(device)  # ...and a class in 0..9 for each
logits = model(X)
loss = loss_fn(logits, y)  # one number: the mean over the batch

log_probabilities = torch.log_softmax(logits, dim=1)
by_hand = -log_probabilities[torch.arange(len(y), device=device), y].mean()  # each row's entry at its class
print(f"loss: {loss.item():.2f}, ln 10 = {math.log(10):.4f}")
print(f"equals -mean log-softmax at the targets: {torch.allclose(loss, by_hand)}")
# --8<-- [end:loss]

# --8<-- [start:one-step]
learning_rate = 1e-1
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

before = [p.detach().clone() for p in model.parameters()]
optimizer.zero_grad()  # clear the gradients of the previous step (here: there are none yet)
loss = loss_fn(model(X), y)
loss.backward()  # fills p.grad for every parameter p
optimizer.step()  # p <- p - learning_rate * p.grad

moved_as_sgd = all(
    torch.allclose(p, p0 - learning_rate * p.grad) for p, p0 in zip(model.parameters(), before)
)
with torch.no_grad():
    loss_after = loss_fn(model(X), y)
print(f"every parameter is now p - lr * grad: {moved_as_sgd}")
print(f"same-batch loss lower after one step: {loss_after.item() < loss.item()}")
# --8<-- [end:one-step]

# --8<-- [start:options]
parser = argparse.ArgumentParser(description="Train the network from eager_model.py on FashionMNIST.", allow_abbrev=False)
parser.add_argument("--full", action="store_true", help="all 60,000 training and 10,000 test images, 10 epochs")
args, _ = parser.parse_known_args()  # "known": a notebook's kernel passes arguments of its own
epochs = 10 if args.full else 5
# --8<-- [end:options]

# --8<-- [start:data]
to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])  # 1×28×28 floats in [0, 1]
training_data = datasets.FashionMNIST(root="data", train=True, download=True, transform=to_tensor)
test_data = datasets.FashionMNIST(root="data", train=False, download=True, transform=to_tensor)
classes = training_data.classes  # the 10 class names; a Subset does not carry them

if not args.full:  # a quick run: the first 2,000 training and the first 500 test images
    training_data = Subset(training_data, range(min(len(training_data), 2000)))
    test_data = Subset(test_data, range(min(len(test_data), 500)))
# --8<-- [end:data]

# --8<-- [start:loaders]
batch_size = 64
train_dataloader = DataLoader(
    training_data, batch_size=batch_size, shuffle=True,  # a new order every epoch...
    generator=torch.Generator().manual_seed(0),  # ...the same orders on every run
)
test_dataloader = DataLoader(test_data, batch_size=batch_size)

X, y = next(iter(test_dataloader))
print(f"X: shape {tuple(X.shape)}, y: shape {tuple(y.shape)}, dtype {y.dtype}")
# --8<-- [end:loaders]

# --8<-- [start:train-loop]
def train(dataloader, model, loss_fn, optimizer):
    """One pass over the training data; returns the mean of the batch losses."""
    size = len(dataloader.dataset)  # images
    num_batches = len(dataloader)
    report_every = max(1, num_batches // 3)
    model.train()  # training mode (matters for layers such as dropout and batch norm)
    total_loss, seen = 0.0, 0
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)

        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        total_loss += loss.item()  # a plain float: no graph kept alive
        seen += len(X)  # not (batch + 1) * batch_size: the last batch may be short
        if (batch + 1) % report_every == 0 or batch + 1 == num_batches:
            print(f"  batch {batch + 1:>3}/{num_batches}: loss {loss.item():.4f}  [{seen:>5}/{size} images]")
    return total_loss / num_batches
# --8<-- [end:train-loop]

# --8<-- [start:test-loop]
def test(dataloader, model, loss_fn):
    """Mean batch loss and accuracy on data the model never trains on."""
    size = len(dataloader.dataset)  # images
    num_batches = len(dataloader)
    model.eval()  # evaluation mode
    total_loss, correct = 0.0, 0
    with torch.no_grad():  # no graph: nothing here is differentiated
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            total_loss += loss_fn(logits, y).item()
            correct += (logits.argmax(dim=1) == y).sum().item()
    return total_loss / num_batches, correct / size  # loss per batch, accuracy per image
# --8<-- [end:test-loop]

# --8<-- [start:train]
torch.manual_seed(0)
model = NeuralNetwork().to(device)  # a fresh, untrained network
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
print(f"training on {len(training_data)} images, testing on {len(test_data)}, batch size {batch_size}")

test_loss, accuracy = test(test_dataloader, model, loss_fn)
history = {"train loss": [], "test loss": [test_loss], "test accuracy": [accuracy]}  # epoch 0: untrained
print(f"untrained: test loss {test_loss:.4f}, test accuracy {100 * accuracy:.1f}%")
for epoch in range(1, epochs + 1):
    train_loss = train(train_dataloader, model, loss_fn, optimizer)
    test_loss, accuracy = test(test_dataloader, model, loss_fn)
    for key, value in zip(history, (train_loss, test_loss, accuracy)):
        history[key].append(value)
    print(f"epoch {epoch}: train loss {train_loss:.4f}, test loss {test_loss:.4f}, test accuracy {100 * accuracy:.1f}%")
# --8<-- [end:train]

# --8<-- [start:curves]
import matplotlib.pyplot as plt

figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(9, 3.2))
loss_axis.plot(range(1, epochs + 1), history["train loss"], marker="o", label="training (mean over the epoch)")
loss_axis.plot(range(0, epochs + 1), history["test loss"], marker="o", label="test (after the epoch)")
loss_axis.set(xlabel="epoch", ylabel="cross-entropy loss", title="Loss")
loss_axis.legend(loc="upper right")
accuracy_axis.plot(range(0, epochs + 1), [100 * a for a in history["test accuracy"]], marker="o", color="tab:green")
accuracy_axis.axhline(10, color="gray", linestyle="--", label="guessing (10%)")
accuracy_axis.set(xlabel="epoch", ylabel="test accuracy (%)", title="Test accuracy", ylim=(0, 100))
accuracy_axis.legend()
figure.savefig("training_curves.png", dpi=100, bbox_inches="tight")
print("saved training_curves.png")
# --8<-- [end:curves]

# --8<-- [start:save-load]
torch.save(model.state_dict(), "model.pth")  # the parameters only, by name

reloaded = NeuralNetwork().to(device)  # a new network with fresh random weights...
state_dict = torch.load("model.pth", map_location=device, weights_only=True)
print(reloaded.load_state_dict(state_dict))  # ...now holding the saved ones

model.eval()
reloaded.eval()
with torch.no_grad():
    same = torch.equal(model(X.to(device)), reloaded(X.to(device)))
print(f"same logits after reload: {same}")
# --8<-- [end:save-load]

# --8<-- [start:predict]
images = torch.stack([test_data[i][0] for i in range(8)])  # the first 8 test images: 8×1×28×28, on the CPU
actual = [test_data[i][1] for i in range(8)]

model.eval()
with torch.no_grad():
    logits = model(images.to(device))  # the input goes to the model's device
predicted = logits.argmax(dim=1).tolist()  # plain ints, back on the CPU
print(f"logits: shape {tuple(logits.shape)}, on {logits.device.type}")
# --8<-- [end:predict]

# --8<-- [start:predictions-figure]
figure, axes = plt.subplots(1, 8, figsize=(12, 2.4))
for axis, image, guess, truth in zip(axes, images, predicted, actual):
    color = "black" if guess == truth else "red"
    axis.imshow(image.squeeze(0).numpy(), cmap="gray")
    axis.set_title(f"{classes[guess]} /\n{classes[truth]}", color=color, fontsize=9)
    axis.set_xticks([])
    axis.set_yticks([])
    for spine in axis.spines.values():  # a thick red frame round a wrong prediction
        spine.set(color=color, linewidth=1 if guess == truth else 4)
figure.suptitle("predicted / actual (wrong ones in red)")
figure.savefig("test_predictions.png", dpi=100, bbox_inches="tight")
print("saved test_predictions.png")
# --8<-- [end:predictions-figure]
