"""List every parameter of the network from eager_model.py, and count them.

Run it:  python model_params.py   (eager_model.py must sit beside it)
"""

# --8<-- [start:imports]
import torch

from eager_model import NeuralNetwork
# --8<-- [end:imports]

# --8<-- [start:structure]
torch.manual_seed(0)  # the same weights as in eager_model.py
model = NeuralNetwork()
print(model)
# --8<-- [end:structure]

# --8<-- [start:parameters]
for name, param in model.named_parameters():
    first = [round(value, 4) for value in param.flatten()[:2].tolist()]
    print(f"{name}: size {tuple(param.shape)}, first values {first}")
# --8<-- [end:parameters]

# --8<-- [start:count]
total = sum(param.numel() for param in model.parameters())
print(f"Total parameters: {total:,}")
# --8<-- [end:count]
