"""Build a small classifier in eager mode, run one image through it and read
off a prediction.

Run it:  python eager_model.py
"""

# --8<-- [start:imports]
import torch
from torch import nn
# --8<-- [end:imports]


# --8<-- [start:device]
def pick_device() -> torch.device:
    """An accelerator (CUDA: an NVIDIA or AMD GPU; MPS: Apple silicon; XPU:
    an Intel GPU; ...) if this torch build supports one and one is there
    when the code runs, else the CPU.
    """
    # is_available() looks at the machine; current_accelerator() names the
    # kind this build supports, e.g. device(type='cuda')
    return (torch.accelerator.current_accelerator()
            if torch.accelerator.is_available() else torch.device("cpu"))
# --8<-- [end:device]


# --8<-- [start:model]
class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        # N×1×28×28 (N images) -> N×784: keeps dim 0, the batch
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),  # 10 raw scores, the logits: one per class
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits
# --8<-- [end:model]


# Importing this file (model_params.py does) runs none of what follows
if __name__ == "__main__":
    # --8<-- [start:use-device]
    device = pick_device()
    print(f"Using {device.type} device")
    # --8<-- [end:use-device]

    # --8<-- [start:instantiate]
    torch.manual_seed(0)  # the same starting weights on every run
    model = NeuralNetwork().to(device)
    print(model)
    # --8<-- [end:instantiate]

    # --8<-- [start:input]
    # A batch of one 1-channel 28×28 image (N×C×H×W), drawn on the CPU, then
    # moved: the same seed gives the same image on every device. Tensor.to
    # returns a tensor on `device` (a copy, unless the tensor is already
    # there) and never moves the original: keep the result.
    X = torch.rand(1, 1, 28, 28).to(device)
    # model(X) calls forward() through nn.Module.__call__
    logits = model(X)  # 10 raw scores per image, the logits
    print(f"logits: shape {tuple(logits.shape)}")
    print(logits)
    # --8<-- [end:input]

    # --8<-- [start:predict]
    model.eval()  # evaluation mode (it changes nothing in this network)
    with torch.inference_mode():  # no graph recorded: nothing here is trained
        logits = model(X)
        # dim=1: across the 10 classes of each image
        probabilities = logits.softmax(dim=1)
    print(f"logits: grad_fn={logits.grad_fn}")  # None: no graph was recorded
    print(f"probabilities sum to {probabilities.sum(dim=1).item():.4f}")
    predicted_class = probabilities.argmax(dim=1)
    print(f"Predicted class: {predicted_class.item()}")
    # Softmax keeps the order of the values: the same class
    print(f"argmax of the logits: {logits.argmax(dim=1).item()}")
    # --8<-- [end:predict]
