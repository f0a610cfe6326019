"""Train the network from eager_model.py on FashionMNIST, judge it on a validation split, test it once.

The loss, one optimizer step, the learning rate, the training and evaluation loops, then saving,
reloading and predicting.

Run it:  python training_loop.py          (a quick run: 800 training and 100 test images, 5 epochs)
         python training_loop.py --full   (all of FashionMNIST: its 60,000 training images split into
                                           50,000 to train on and 10,000 to validate, its 10,000 test
                                           images; 10 epochs, 40 to 50 minutes on a 2-core CPU)
(eager_model.py must sit beside it; the first run downloads FashionMNIST, about 30 MB, into ./data;
it also needs matplotlib.)
"""

# --8<-- [start:imports]
import argparse
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, Subset, random_split
from torchvision import datasets
from torchvision.transforms import v2

from eager_model import NeuralNetwork, pick_device
# --8<-- [end:imports]


# --8<-- [start:train-loop]
def train(dataloader, model, loss_fn, optimizer, device):
    """One pass over the training data: one optimizer step per batch."""
    size = len(dataloader.dataset)  # images
    num_batches = len(dataloader)
    report_every = max(1, num_batches // 3)
    model.train()  # training mode
    seen = 0
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)

        loss = loss_fn(model(X), y)
        optimizer.zero_grad()  # after the last step(), before this backward()
        loss.backward()
        optimizer.step()

        seen += len(X)  # not (batch + 1) * len(X): the last batch may be short
        if (batch + 1) % report_every == 0 or batch + 1 == num_batches:
            print(f"  batch {batch + 1}/{num_batches}: "
                  f"loss {loss.item():.3f}, {seen}/{size} images")
# --8<-- [end:train-loop]


# --8<-- [start:evaluate-loop]
def evaluate(dataloader, model, loss_fn, device):
    """Mean loss per image and accuracy on a dataset; changes nothing."""
    size = len(dataloader.dataset)  # images
    model.eval()  # evaluation mode
    total_loss, correct = 0.0, 0
    with torch.no_grad():  # no graph: nothing here calls backward()
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            # loss_fn returns the batch's mean: times len(X), the batch's sum
            total_loss += loss_fn(logits, y).item() * len(X)
            correct += (logits.argmax(dim=1) == y).sum().item()
    return total_loss / size, correct / size  # both per image
# --8<-- [end:evaluate-loop]


# DataLoader's worker processes (num_workers > 0) import this file anew on
# macOS and Windows: under this guard, they do not rerun what follows.
if __name__ == "__main__":
    # --8<-- [start:device]
    # from eager_model.py: the accelerator PyTorch finds, else the CPU
    device = pick_device()
    print(f"Using {device.type} device")
    # --8<-- [end:device]

    # --8<-- [start:loss]
    torch.manual_seed(0)  # the same weights and the same batch on every run
    model = NeuralNetwork().to(device)
    loss_fn = nn.CrossEntropyLoss()  # takes logits and class indices

    X = torch.rand(64, 1, 28, 28).to(device)  # a batch of 64 random "images"
    y = torch.randint(0, 10, (64,)).to(device)  # and a class in 0..9 for each
    logits = model(X)
    loss = loss_fn(logits, y)  # one number: the mean over the batch

    log_probabilities = torch.log_softmax(logits, dim=1)
    rows = torch.arange(len(y), device=device)
    by_hand = -log_probabilities[rows, y].mean()  # each row's entry at its class
    print(f"loss: {loss.item():.2f}, ln 10 = {math.log(10):.4f}")
    print(f"equals -mean log-softmax at the targets: "
          f"{torch.allclose(loss, by_hand)}")
    # --8<-- [end:loss]

    # --8<-- [start:one-step]
    learning_rate = 0.1
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

    before = [p.detach().clone() for p in model.parameters()]
    optimizer.zero_grad()  # clear the previous step's gradients (none yet)
    loss = loss_fn(model(X), y)
    loss.backward()  # fills p.grad for every parameter p
    optimizer.step()  # p <- p - learning_rate * p.grad

    moved_as_sgd = all(
        torch.allclose(p, p0 - learning_rate * p.grad)
        for p, p0 in zip(model.parameters(), before)
    )
    with torch.no_grad():
        loss_after = loss_fn(model(X), y)
    print(f"every parameter is now p - lr * grad: {moved_as_sgd}")
    print(f"same-batch loss lower after one step: "
          f"{loss_after.item() < loss.item()}")
    # --8<-- [end:one-step]

    # --8<-- [start:learning-rate]
    for lr in (0.1, 1, 3, 10):
        torch.manual_seed(0)  # the weights the loss listing started from
        trial = NeuralNetwork().to(device)
        trial_optimizer = torch.optim.SGD(trial.parameters(), lr=lr)
        loss = loss_fn(trial(X), y)
        trial_optimizer.zero_grad()
        loss.backward()
        trial_optimizer.step()  # one step, on the same batch
        with torch.no_grad():
            after = loss_fn(trial(X), y)
        print(f"lr {lr:>4}: loss {loss.item():.2f} -> {after.item():.2f}")
    # --8<-- [end:learning-rate]

    # --8<-- [start:options]
    parser = argparse.ArgumentParser(
        description="Train the network from eager_model.py on FashionMNIST.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--full", action="store_true",
        help="train on 50,000 images, validate on 10,000, test on 10,000; "
             "10 epochs",
    )
    # "known": Jupyter passes arguments of its own
    args, _ = parser.parse_known_args()
    epochs = 10 if args.full else 5
    # --8<-- [end:options]

    # --8<-- [start:data]
    # each image: 1×28×28 floats in [0, 1]
    to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
    fashion_training = datasets.FashionMNIST(
        root="data", train=True, download=True, transform=to_tensor)
    test_data = datasets.FashionMNIST(
        root="data", train=False, download=True, transform=to_tensor)
    classes = test_data.classes  # the 10 class names; a Subset has none

    if not args.full:  # a quick run: the first 800 training, 100 test images
        fashion_training = Subset(fashion_training, range(800))
        test_data = Subset(test_data, range(100))
    # --8<-- [end:data]

    # --8<-- [start:split]
    # Set aside as many training images as there are test images, at random
    n_validation = len(test_data)
    training_data, validation_data = random_split(
        fashion_training,
        [len(fashion_training) - n_validation, n_validation],
        generator=torch.Generator().manual_seed(0),  # the same split every run
    )
    print(f"{len(training_data)} training, {len(validation_data)} validation, "
          f"{len(test_data)} test images")
    # --8<-- [end:split]

    # --8<-- [start:loaders]
    batch_size = 64
    train_dataloader = DataLoader(
        training_data, batch_size=batch_size, shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    validation_dataloader = DataLoader(validation_data, batch_size=batch_size)
    test_dataloader = DataLoader(test_data, batch_size=batch_size)

    X, y = next(iter(validation_dataloader))
    print(f"X: shape {tuple(X.shape)}, y: shape {tuple(y.shape)}, {y.dtype}")
    # --8<-- [end:loaders]

    # --8<-- [start:train]
    torch.manual_seed(0)
    model = NeuralNetwork().to(device)  # a fresh, untrained network
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

    history = {"train loss": [], "train accuracy": [],
               "validation loss": [], "validation accuracy": []}
    print("         train  loss  acc.  val  loss  acc.")  # the columns
    for epoch in range(epochs + 1):  # epoch 0: the untrained network
        if epoch > 0:
            train(train_dataloader, model, loss_fn, optimizer, device)
        train_loss, train_acc = evaluate(
            train_dataloader, model, loss_fn, device)
        val_loss, val_acc = evaluate(
            validation_dataloader, model, loss_fn, device)
        row = (train_loss, 100 * train_acc, val_loss, 100 * val_acc)
        for key, value in zip(history, row):
            history[key].append(value)
        print(f"epoch {epoch:<2} train {train_loss:.3f} {100 * train_acc:4.1f}%"
              f"  val {val_loss:.3f} {100 * val_acc:4.1f}%")

    # Training is done: now, and only now, the test images
    test_loss, test_acc = evaluate(test_dataloader, model, loss_fn, device)
    print(f"test ({len(test_data)} images): "
          f"loss {test_loss:.3f}, acc. {100 * test_acc:.1f}%")
    # --8<-- [end:train]

    # --8<-- [start:curves]
    import matplotlib.pyplot as plt

    plt.rcParams["font.size"] = 13  # large enough to read on a phone
    # one plot above the other: each as wide as the figure
    figure, (loss_axis, accuracy_axis) = plt.subplots(
        2, 1, figsize=(5.5, 6.5), sharex=True, layout="constrained")
    for name in ("train", "validation"):
        loss_axis.plot(history[f"{name} loss"], marker="o", label=name)
        accuracy_axis.plot(history[f"{name} accuracy"], marker="o", label=name)
    accuracy_axis.axhline(10, color="gray", linestyle="--", label="guessing")
    loss_axis.set(ylabel="cross-entropy loss", title="Loss")
    accuracy_axis.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy",
                      ylim=(0, 100))
    loss_axis.legend()
    accuracy_axis.legend()
    figure.savefig("training_curves.png", dpi=100, bbox_inches="tight")
    print("saved training_curves.png")
    # --8<-- [end:curves]

    # --8<-- [start:save-load]
    torch.save(model.state_dict(), "model.pth")  # the parameters only, by name

    reloaded = NeuralNetwork().to(device)  # a new network, fresh random weights
    state_dict = torch.load("model.pth", map_location=device, weights_only=True)
    print(reloaded.load_state_dict(state_dict))  # now holding the saved ones

    model.eval()
    reloaded.eval()
    with torch.no_grad():
        same = torch.equal(model(X.to(device)), reloaded(X.to(device)))
    print(f"same logits after reload: {same}")
    # --8<-- [end:save-load]

    # --8<-- [start:predict]
    # the first 8 test images, one 8×1×28×28 batch on the CPU
    images = torch.stack([test_data[i][0] for i in range(8)])
    actual = [test_data[i][1] for i in range(8)]

    model.eval()
    with torch.no_grad():
        logits = model(images.to(device))  # the input goes to the model's device
    predicted = logits.argmax(dim=1).tolist()  # plain ints, back on the CPU
    print(f"logits: shape {tuple(logits.shape)}, on {logits.device.type}")
    # --8<-- [end:predict]

    # --8<-- [start:predictions-figure]
    # two rows of four
    figure, axes = plt.subplots(2, 4, figsize=(6.5, 5.2), layout="constrained")
    for axis, image, guess, truth in zip(axes.flat, images, predicted, actual):
        color = "black" if guess == truth else "red"
        axis.imshow(image.squeeze(0).numpy(), cmap="gray")
        axis.set_title(f"{classes[guess]} /\n{classes[truth]}",
                       color=color)
        axis.set_xticks([])
        axis.set_yticks([])
        for spine in axis.spines.values():  # a thick red frame: a wrong guess
            spine.set(color=color, linewidth=1 if guess == truth else 4)
    figure.suptitle("predicted / actual (wrong ones in red)")
    figure.savefig("test_predictions.png", dpi=100, bbox_inches="tight")
    print("saved test_predictions.png")
    # --8<-- [end:predictions-figure]
