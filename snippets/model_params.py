"""List every parameter of the network from eager_model.py, count them, and
draw its layers with the shape of the tensor between each pair.

Run it:  python model_params.py   (eager_model.py must sit beside it; the
figure needs matplotlib)
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

# --8<-- [start:layers-figure]
# Imported here, not with the others: only this figure needs matplotlib, and
# the page shows this section alone
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch


def draw_layers(model, batch):
    """Run `batch` through `model` and draw its layers top to bottom, in the
    order they ran: one box per layer (name, type, a Linear's sizes in and
    out, parameter count), and on each arrow the shape of the tensor it
    carries, from the input's (with its batch size N) to the logits'.
    Returns the matplotlib Figure."""
    ran = []  # (layer, shape of its output), filled in by the hook

    def record(layer, inputs, output):  # a forward hook: runs after the layer
        ran.append((layer, tuple(output.shape)))

    # The layers are the modules with no modules inside: not the Sequential
    layers = [m for m in model.modules() if not list(m.children())]
    handles = [layer.register_forward_hook(record) for layer in layers]
    with torch.no_grad():  # only the shapes are needed
        model(batch)
    for handle in handles:
        handle.remove()  # leave the model as it was

    names = {module: name for name, module in model.named_modules()}
    shapes = [tuple(batch.shape)] + [shape for _, shape in ran]
    step, half = 3, 0.8  # from box to box; half a box's height
    figure, axis = plt.subplots(figsize=(4, 0.3 * step * len(shapes)))
    axis.set_xlim(0, 1)
    axis.set_ylim(-step * len(ran) + half, step - half)
    axis.axis("off")
    for i, shape in enumerate(shapes):
        # Arrow i goes down from box i - 1 (or the top) into box i (or out)
        top, bottom = -step * (i - 1) - half, -step * i + half
        axis.add_patch(FancyArrowPatch((0.5, top), (0.5, bottom),
                                       arrowstyle="-|>", mutation_scale=14))
        label = "×".join(str(size) for size in shape)
        if i == 0:
            label = f"input, N = {shape[0]}: {label}"
        elif i == len(ran):
            label = f"logits {label}"
        axis.text(0.54, (top + bottom) / 2, label, va="center", fontsize=10,
                  color="tab:blue")
        if i < len(ran):  # box i: the layer that made shape i + 1
            layer = ran[i][0]
            count = sum(p.numel() for p in layer.parameters())
            kind = type(layer).__name__
            if isinstance(layer, torch.nn.Linear):  # its sizes in and out
                kind += f" {layer.in_features} → {layer.out_features}"
            axis.text(0.5, -step * i,
                      f"{names[layer]}: {kind}\n{count:,} parameters",
                      ha="center", va="center", fontsize=10,
                      bbox=dict(boxstyle="round", facecolor="whitesmoke"))
    return figure


torch.manual_seed(0)
# A batch of three 1×28×28 images (N×C×H×W), like network_components.py's
batch = torch.rand(3, 1, 28, 28)
figure = draw_layers(model, batch)
figure.savefig("layer_shapes.png", dpi=100, bbox_inches="tight")
plt.close(figure)  # saved: free its memory
print("saved layer_shapes.png")
# --8<-- [end:layers-figure]
