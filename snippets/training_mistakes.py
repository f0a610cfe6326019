"""Mistakes readers make when training, saving and loading the network from eager_model.py, each with the error or wrong result it gives.

Run it:  python training_mistakes.py   (eager_model.py must sit beside it)
"""

# --8<-- [start:imports]
import torch
from torch import nn

from eager_model import NeuralNetwork
# --8<-- [end:imports]

# --8<-- [start:setup]
torch.manual_seed(0)
model = NeuralNetwork()
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-1)

X = torch.rand(4, 1, 28, 28)  # a batch of 4 random "images"
# their classes: integers in 0..9, dtype torch.int64
y = torch.tensor([9, 0, 3, 7])
logits = model(X)
# --8<-- [end:setup]

# --8<-- [start:softmax-first]
# logits sure of the right class
certain = 20 * nn.functional.one_hot(y, num_classes=10).float()
print(f"logits into the loss:        {loss_fn(certain, y).item():.4f}")
# softmax applied twice: once here, once inside the loss
probabilities = certain.softmax(dim=1)
print(f"probabilities into the loss: {loss_fn(probabilities, y).item():.4f}")
# --8<-- [end:softmax-first]

# --8<-- [start:target-dtype]
# class labels stored as floats, as when read from a CSV file
labels = y.float()
try:
    loss_fn(logits, labels)
except RuntimeError as error:
    print(f"RuntimeError: {error}")
print(f"with labels.long(): loss {loss_fn(logits, labels.long()).item():.2f}")
# --8<-- [end:target-dtype]

# --8<-- [start:target-range]
y_from_1 = y + 1  # classes numbered 1..10, as some files store them
try:
    loss_fn(logits, y_from_1)
except IndexError as error:
    print(f"IndexError: {error}")
print(f"with y_from_1 - 1: loss {loss_fn(logits, y_from_1 - 1).item():.2f}")
# --8<-- [end:target-range]

# --8<-- [start:batch-mismatch]
try:
    loss_fn(logits, y[:3])  # 4 rows of logits, 3 labels
except ValueError as error:
    print(f"ValueError: {error}")
# --8<-- [end:batch-mismatch]

# --8<-- [start:no-zero-grad]
bias = model.linear_relu_stack[4].bias  # one parameter to watch
optimizer.zero_grad()
loss_fn(model(X), y).backward()
first = bias.grad.clone()
# the same batch again, without optimizer.zero_grad() in between
loss_fn(model(X), y).backward()
print(f"gradient doubled: {torch.allclose(bias.grad, 2 * first)}")
optimizer.zero_grad()  # once per step: after step(), before backward()
print(f"after zero_grad: {bias.grad}")
# --8<-- [end:no-zero-grad]

# --8<-- [start:sum-loss]
total = 0.0
for _ in range(3):  # three "batches"
    # adds the tensor: total keeps every batch's graph alive
    total += loss_fn(model(X), y)
print(f"total += loss:        {type(total).__name__}, "
      f"requires_grad={total.requires_grad}, "
      f"grad_fn={type(total.grad_fn).__name__}")

total = 0.0
for _ in range(3):
    total += loss_fn(model(X), y).item()  # adds a Python float
print(f"total += loss.item(): {type(total).__name__}")
# --8<-- [end:sum-loss]

# --8<-- [start:load-path]
# not model.pth, which holds the trained network
torch.save(model.state_dict(), "untrained.pth")
try:
    # a file name, not the dictionary inside it
    model.load_state_dict("untrained.pth")
except TypeError as error:
    print(f"TypeError: {error}")
print(model.load_state_dict(torch.load("untrained.pth", weights_only=True)))
# --8<-- [end:load-path]

# --8<-- [start:missing-keys]
# A training checkpoint: more than the weights.
# torch.save(checkpoint, "checkpoint.pth") would write it, and
# torch.load("checkpoint.pth", weights_only=True) give back this dictionary.
checkpoint = {
    "epoch": 5,
    "model": model.state_dict(),
    "optimizer": optimizer.state_dict(),
}

restored = NeuralNetwork()
try:
    # the whole checkpoint, not its "model" entry
    restored.load_state_dict(checkpoint)
except RuntimeError as error:
    # The message has three lines, the last two indented with a tab:
    # print them without the indents.
    lines = [line.strip() for line in str(error).splitlines()]
    print("RuntimeError:", "\n".join(lines))
print(restored.load_state_dict(checkpoint["model"]))
# --8<-- [end:missing-keys]

# --8<-- [start:map-location]
# Tensors are saved with their device. Loading a checkpoint saved on a GPU
# puts them back on the GPU, which fails on a machine without one;
# map_location says where they should go instead.
state_dict = torch.load("untrained.pth", map_location="cpu", weights_only=True)
on_cpu = all(t.device.type == "cpu" for t in state_dict.values())
print(f"every tensor on the CPU: {on_cpu}")
# --8<-- [end:map-location]
