"""Six mistakes readers make with the network from eager_model.py, each with
the error or wrong result it gives.

Run it:  python common_mistakes.py   (eager_model.py must sit beside it)
"""

# --8<-- [start:imports]
import torch
from torch import nn

from eager_model import NeuralNetwork
# --8<-- [end:imports]

# --8<-- [start:setup]
torch.manual_seed(0)
model = NeuralNetwork()
# --8<-- [end:setup]

# --8<-- [start:no-batch]
image = torch.rand(28, 28)  # H×W: no batch, no channel dimension
try:
    model(image)  # nn.Flatten keeps dim 0: 28 rows of 28 values
except RuntimeError as error:
    print(f"RuntimeError: {error}")

sample = torch.rand(1, 28, 28)  # C×H×W: what one FashionMNIST sample is
# It runs: its one channel is read as a batch of one
logits = model(sample)
print(f"C×H×W {tuple(sample.shape)}: logits of shape {tuple(logits.shape)}")
# N×C×H×W: a batch of one image, as a DataLoader makes it
batch = sample.unsqueeze(0)
logits = model(batch)
print(f"N×C×H×W {tuple(batch.shape)}: logits of shape {tuple(logits.shape)}")
# --8<-- [end:no-batch]

# --8<-- [start:wrong-device]
# The "meta" device (shapes, no data) stands in for a GPU here, so this runs
# on any machine. Module.to changes the module in place (its parameters and
# buffers) and returns it.
elsewhere = NeuralNetwork().to("meta")
x = torch.rand(1, 1, 28, 28)
x.to("meta")  # Tensor.to returns a moved copy, and this line throws it away
print(f"after x.to('meta'): x is on {x.device}")
try:
    elsewhere(x)
except RuntimeError as error:
    print(f"RuntimeError: {error}")

x = x.to("meta")  # keep the moved tensor
print(f"after x = x.to('meta'): logits on {elsewhere(x).device}")
# --8<-- [end:wrong-device]

# --8<-- [start:softmax-dim]
logits = model(torch.rand(1, 1, 28, 28))
# Across the batch: each column is normalised on its own
wrong = logits.softmax(dim=0)
right = logits.softmax(dim=1)  # across the 10 classes of each image
print("dim=0:", wrong)
# Ties: argmax gives the first index, whatever the image
print(f"dim=0 argmax: class {wrong.argmax(dim=1).item()}")
print(f"dim=1 sums to {right.sum(dim=1).item():.4f}")
# --8<-- [end:softmax-dim]

# --8<-- [start:forward-call]
def report(name):
    """A forward hook: called as hook(module, inputs, output) after forward."""
    def hook(module, inputs, output):
        print(f"  hook on {name} saw output {tuple(output.shape)}")
    return hook


first_layer = model.linear_relu_stack[0]
handles = [
    model.register_forward_hook(report("model")),
    first_layer.register_forward_hook(report("linear_relu_stack[0]")),
]
x = torch.rand(1, 1, 28, 28)
print("model(x):")
model(x)  # nn.Module.__call__ runs the model's hooks around forward()
print("model.forward(x):")
# Skips the model's own hooks; its layers are still called through __call__
model.forward(x)
for handle in handles:
    handle.remove()
# --8<-- [end:forward-call]

# --8<-- [start:no-super-init]
class Forgetful(nn.Module):
    def __init__(self):
        # Before super().__init__(): nothing to register the layer in yet
        self.layer = nn.Linear(28 * 28, 10)
        super().__init__()


try:
    Forgetful()
except AttributeError as error:
    print(f"AttributeError: {error}")
# --8<-- [end:no-super-init]

# --8<-- [start:plain-list]
class PlainList(nn.Module):
    def __init__(self):
        super().__init__()
        # A Python list: the layers in it are not registered
        self.layers = [nn.Linear(28 * 28, 512), nn.Linear(512, 10)]


class Registered(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList(
            [nn.Linear(28 * 28, 512), nn.Linear(512, 10)]
        )


def count(module):
    return sum(p.numel() for p in module.parameters())


print(f"plain list: {count(PlainList())} parameters")
print(f"nn.ModuleList: {count(Registered()):,} parameters")
try:
    torch.optim.SGD(PlainList().parameters(), lr=0.1)
except ValueError as error:
    print(f"ValueError: {error}")
# --8<-- [end:plain-list]
