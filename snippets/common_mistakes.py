"""Four mistakes readers make with the network from eager_model.py, each with the error or wrong result it gives.

Run it:  python snippets/common_mistakes.py   (eager_model.py must sit beside it)
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
image = torch.rand(28, 28)  # one image, but no batch dimension
try:
    model(image)
except RuntimeError as error:
    print(f"RuntimeError: {error}")

logits = model(image.unsqueeze(0))  # add the batch dimension: 1×28×28
print(f"with a batch dimension: logits of shape {tuple(logits.shape)}")
# --8<-- [end:no-batch]

# --8<-- [start:wrong-device]
# A model whose weights live on another device than its input. The "meta" device (shapes, no data)
# stands in for a GPU here, so this runs on any machine.
elsewhere = NeuralNetwork().to("meta")
try:
    elsewhere(torch.rand(1, 28, 28))
except RuntimeError as error:
    print(f"RuntimeError: {error}")
# --8<-- [end:wrong-device]

# --8<-- [start:softmax-dim]
logits = model(torch.rand(1, 28, 28))
wrong = nn.Softmax(dim=0)(logits)  # across the batch: each column is normalised on its own
right = nn.Softmax(dim=1)(logits)  # across the 10 classes of each image
print("dim=0:", wrong)
print(f"dim=1 sums to {right.sum(dim=1).item():.4f}")
# --8<-- [end:softmax-dim]

# --8<-- [start:forward-call]
handle = model.register_forward_hook(lambda module, inputs, output: print(f"hook saw output {tuple(output.shape)}"))
x = torch.rand(1, 28, 28)
print("model(x):")
model(x)  # nn.Module.__call__ runs the hooks, then forward()
print("model.forward(x):")
model.forward(x)  # skips every hook: nothing is printed
handle.remove()
# --8<-- [end:forward-call]
