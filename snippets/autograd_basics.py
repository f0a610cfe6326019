"""Autograd on a small function and a network: answers checked by hand, the graph and descent drawn.

Run it:  python autograd_basics.py   (eager_model.py must sit beside it; the
figures need matplotlib)
"""

# --8<-- [start:imports]
import math

import torch
import torch.nn.functional as F
from torch import nn
# --8<-- [end:imports]

# --8<-- [start:leaves]
# record every operation that uses x1 or x2
x1 = torch.tensor(2.0, requires_grad=True)
x2 = torch.tensor(5.0, requires_grad=True)
print(f"x1: requires_grad={x1.requires_grad}, is_leaf={x1.is_leaf}, "
      f"grad_fn={x1.grad_fn}, grad={x1.grad}")
# --8<-- [end:leaves]

# --8<-- [start:forward]
def f(x1, x2):
    return torch.log(x1) + x1 * x2 - torch.sin(x2)


y = f(x1, x2)
print(f"y = {y.item():.4f}")
print(f"y: requires_grad={y.requires_grad}, is_leaf={y.is_leaf}, "
      f"grad_fn={y.grad_fn.name()}")
# --8<-- [end:forward]

# --8<-- [start:next-functions]
# (node, input_nr) pairs: the nodes of the subtraction's two inputs
print([type(node).__name__ for node, _ in y.grad_fn.next_functions])
# --8<-- [end:next-functions]

# --8<-- [start:graph]
def show_graph(node, names, depth=0, seen=None):
    """Print the backward graph below `node`, one node per line.

    A node met again is printed once more, marked, without its inputs;
    a leaf is shown by its name in `names` ({id(tensor): name}).
    """
    seen = set() if seen is None else seen
    label = type(node).__name__
    # an AccumulateGrad node writes into a leaf's .grad
    if hasattr(node, "variable"):
        name = names.get(id(node.variable), "(unnamed leaf)")
        label += f" -> {name}.grad"
    if node in seen:
        print("    " * depth + label + "  (the same node as above)")
        return
    seen.add(node)
    print("    " * depth + label)
    for child, _ in node.next_functions:  # (node, input_nr) pairs
        if child is not None:
            show_graph(child, names, depth + 1, seen)


show_graph(y.grad_fn, {id(x1): "x1", id(x2): "x2"})
# --8<-- [end:graph]

# --8<-- [start:backward]
y.backward()  # fills x1.grad and x2.grad with dy/dx1 and dy/dx2
print(f"dy/dx1 = {x1.grad.item():.4f}")
print(f"dy/dx2 = {x2.grad.item():.4f}")
# --8<-- [end:backward]

# --8<-- [start:graph-figure]
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch


def draw_graph(out, names):
    """Run out.backward() and draw its graph: a box per node, an arrow per
    input, each arrow labelled with the gradient backward() sent along it.

    Leaves' boxes show their name in `names` ({id(tensor): name}) and .grad.
    """
    height, order = {}, []  # a leaf's height is 0, any other node's is one
    # more than its highest input's; `order` puts each node after its parents

    def visit(node):  # each node once
        if node not in height:
            inputs = [c for c, _ in node.next_functions if c is not None]
            height[node] = 1 + max(map(visit, inputs[::-1]), default=-1)
            order.insert(0, node)
        return height[node]

    visit(out.grad_fn)
    sent = {}  # node: the gradients it passes to its inputs, in their order

    def keep(node):  # a hook's arguments: (to the inputs, from the output)
        return lambda to_inputs, _: sent.update({node: to_inputs})

    hooks = [n.register_hook(keep(n)) for n in order if n.next_functions]
    out.backward()  # runs the hooks, and fills the leaves' .grad
    for hook in hooks:
        hook.remove()
    rows = [[n for n in order if height[n] == h]
            for h in range(height[out.grad_fn], -1, -1)]  # root's row first
    figure, ax = plt.subplots(figsize=(6, 1.2 * len(rows)))
    ax.set(xlim=(0, 1), ylim=(0.5 - len(rows), 0.5))
    ax.set_title(f"arrows: the way backward() runs, from "
                 f"{names.get(id(out), 'the output')} to the leaves")
    box = {}
    for row, nodes in enumerate(rows):
        for i, node in enumerate(nodes):
            label, leaf = type(node).__name__, hasattr(node, "variable")
            if node is out.grad_fn:
                label += f"\n= {names.get(id(out), 'out')}.grad_fn"
            if leaf:  # the leaf's AccumulateGrad node
                name = names.get(id(node.variable), "(unnamed leaf)")
                label += f"\n{name}.grad = {shown(node.variable.grad, 4)}"
            box[node] = ax.text(
                (i + 0.5) / len(nodes), -row, label, ha="center",
                va="center", fontsize=11,
                bbox=dict(boxstyle="round", fc="#dbe8fb" if leaf else "w"))
    for node in order:
        edges = zip(node.next_functions, sent.get(node, ()))
        for (child, _), grad in edges:
            if child is None:
                continue
            start, end = box[node].get_position(), box[child].get_position()
            rad = -0.3 * (start[1] - end[1] - 1)  # bend around rows skipped
            ax.add_patch(FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=14,
                patchA=box[node].get_bbox_patch(),  # from box edge to box edge
                patchB=box[child].get_bbox_patch(), zorder=4,  # after boxes
                connectionstyle=f"arc3,rad={rad}"))
            # the label at the curve's middle, worked out in pixels
            (x1, y1), (x2, y2) = ax.transData.transform([start, end])
            middle = ((x1 + x2) / 2 + rad * (y2 - y1) / 2,
                      (y1 + y2) / 2 - rad * (x2 - x1) / 2)
            ax.text(*ax.transData.inverted().transform(middle), shown(grad),
                    ha="center", va="center", fontsize=10, color="tab:red",
                    zorder=5, bbox=dict(fc="w", ec="none", pad=1))
    ax.axis("off")
    return figure


def shown(grad, decimals=None):
    """A gradient as the figure writes it: a number, or else its shape."""
    if grad is None:
        return "None"
    if grad.numel() > 1:
        return f"shape {tuple(grad.shape)}"
    return f"{grad.item():.{decimals}f}" if decimals else f"{grad.item():.4g}"


x1.grad, x2.grad = None, None  # draw_graph runs backward() again
y = f(x1, x2)  # a new graph: backward() freed the first one's values
figure = draw_graph(y, {id(y): "y", id(x1): "x1", id(x2): "x2"})
figure.savefig("autograd_graph.png", dpi=100, bbox_inches="tight")
print("saved autograd_graph.png")
# --8<-- [end:graph-figure]

# --8<-- [start:by-hand]
a, b = 2.0, 5.0
dy_dx1 = 1 / a + b  # the partial derivatives worked out on paper
dy_dx2 = a - math.cos(b)
print(f"by hand: dy/dx1 = {dy_dx1:.4f}, dy/dx2 = {dy_dx2:.4f}")
print("autograd agrees:",
      math.isclose(x1.grad.item(), dy_dx1, rel_tol=1e-6)
      and math.isclose(x2.grad.item(), dy_dx2, rel_tol=1e-6))
# --8<-- [end:by-hand]

# --8<-- [start:accumulate]
u = x1 ** 2  # a second function of x1: du/dx1 = 2 * x1 = 4
u.backward()
# 5.5 + 4: added to what y.backward() left there
print(f"x1.grad after y.backward() and u.backward(): {x1.grad.item():.4f}")
# --8<-- [end:accumulate]

# --8<-- [start:zero]
# what model.zero_grad() and optimizer.zero_grad() do to every parameter
x1.grad = None
x2.grad = None
u = x1 ** 2
u.backward()
print(f"x1.grad after zeroing, then u.backward(): {x1.grad.item():.4f}")
print(f"x2.grad: {x2.grad}")  # u does not depend on x2: no gradient reached it
# --8<-- [end:zero]

# --8<-- [start:cross-entropy]
generator = torch.Generator().manual_seed(0)
# 4 samples, 3 classes
logits = torch.randn(4, 3, generator=generator, requires_grad=True)
targets = torch.tensor([0, 2, 1, 2])  # the true class of each sample
loss = F.cross_entropy(logits, targets)  # the mean over the 4 samples
loss.backward()

N, C = logits.shape
one_hot = F.one_hot(targets, C)
formula = (torch.softmax(logits.detach(), dim=1) - one_hot) / N
print(f"logits.grad: shape {tuple(logits.grad.shape)}")
print(logits.grad)
difference = (logits.grad - formula).abs().max().item()
print("max abs difference from (softmax - one_hot) / N < 1e-6:",
      difference < 1e-6)
print("negative exactly at the targets:",
      torch.equal(logits.grad < 0, one_hot.bool()))
# --8<-- [end:cross-entropy]

# --8<-- [start:model-grads]
# the previous page's network: save eager_model.py beside this script
from eager_model import NeuralNetwork

torch.manual_seed(0)  # the same weights as in eager_model.py
model = NeuralNetwork()
# a batch of 4 random "images", N×C×H×W: 1 channel of 28×28 pixels
X = torch.rand(4, 1, 28, 28)
labels = torch.randint(0, 10, (4,))  # and a class for each
params = list(model.parameters())
print("parameters require grad:", all(p.requires_grad for p in params),
      "| X requires grad:", X.requires_grad)
print("before backward, every .grad is None:",
      all(p.grad is None for p in params))

loss = F.cross_entropy(model(X), labels)
loss.backward()
for name, param in model.named_parameters():
    print(f"{name}: parameter {tuple(param.shape)}, "
          f"grad {tuple(param.grad.shape)}")
# --8<-- [end:model-grads]

# --8<-- [start:model-zero]
model.zero_grad()  # every .grad becomes None again
print("after model.zero_grad(), every .grad is None:",
      all(p.grad is None for p in model.parameters()))
# --8<-- [end:model-zero]

# --8<-- [start:descent]
def descend(loss_fn, start, lr, steps):
    """Take `steps` steps p <- p - lr * dloss/dp from `start`; return all p."""
    p = torch.tensor(start, requires_grad=True)
    path = [p.item()]
    for _ in range(steps):
        loss_fn(p).backward()  # fills p.grad
        with torch.no_grad():  # the update itself is not recorded
            p -= lr * p.grad
        p.grad = None  # cleared, or the next backward() adds to it
        path.append(p.item())
    return path


def parabola(p):
    return p ** 2  # like u = x1 ** 2: its gradient is 2 * p


for lr in (0.1, 0.9, 1.1):
    path = descend(parabola, 2.0, lr, steps=4)
    print(f"lr = {lr}: p =", [round(p, 3) for p in path])
# --8<-- [end:descent]

# --8<-- [start:descent-figure]
def draw_descent(loss_fn, start, learning_rates, steps):
    """Draw descend()'s steps on the loss curve, one panel per learning rate,
    stacked, all with the same axes."""
    paths = [descend(loss_fn, start, lr, steps) for lr in learning_rates]
    n, widest = len(paths), max(abs(p) for path in paths for p in path)
    figure, axes = plt.subplots(n, 1, figsize=(4.5, 2.6 * n), squeeze=False,
                                sharex=True, sharey=True)
    for ax, lr, path in zip(axes[:, 0], learning_rates, paths):
        losses = [loss_fn(torch.tensor(p)).item() for p in path]
        curve = torch.linspace(-1.1, 1.1, 200) * widest
        ax.plot(curve, loss_fn(curve), color="gray")
        ax.plot(path, losses, "o-", color="tab:red")
        for k, point in enumerate(zip(path, losses)):  # number each step
            ax.annotate(k, point, (6, -12), textcoords="offset points")
        trend = "falls" if losses[-1] < losses[0] else "rises"
        ax.set(title=f"η = {lr}: the loss {trend}", ylabel="loss")
    axes[-1, 0].set_xlabel("p")
    return figure


figure = draw_descent(parabola, 2.0, [0.1, 0.9, 1.1], steps=4)
figure.savefig("gradient_descent.png", dpi=100, bbox_inches="tight")
print("saved gradient_descent.png")
# --8<-- [end:descent-figure]

# --8<-- [start:no-grad]
w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():  # compute without recording a graph
    y_plain = f(x1, x2)  # a new result: it requires no gradients
    w -= 0.1  # changed in place: w keeps its requires_grad
    # asked for here: a tensor with requires_grad=True, a layer's Parameters
    made = torch.zeros(3, requires_grad=True)
    layer = nn.Linear(2, 2)
print(f"under no_grad: y = {y_plain.item():.4f}, "
      f"requires_grad={y_plain.requires_grad}, grad_fn={y_plain.grad_fn}")
print("still require grad: w", w.requires_grad, "| made", made.requires_grad,
      "| layer.weight", layer.weight.requires_grad)

y = f(x1, x2)
y_detached = y.detach()  # the same numbers, cut off from the graph
print(f"detached: y = {y_detached.item():.4f}, "
      f"requires_grad={y_detached.requires_grad}, "
      f"grad_fn={y_detached.grad_fn}")
print("detach shares y's memory:", y_detached.data_ptr() == y.data_ptr())
# --8<-- [end:no-grad]

# --8<-- [start:inference-mode]
with torch.inference_mode():  # records nothing, like no_grad...
    y_inference = f(x1, x2)  # ...and makes an inference tensor
print("inference tensor:", y_inference.is_inference(),
      "| no_grad result:", y_plain.is_inference())

later = y_plain * x1  # a no_grad result can enter a recorded operation
print(f"y_plain * x1: grad_fn={later.grad_fn.name()}")
try:
    later = y_inference * x1  # a product keeps its inputs: refused
except RuntimeError as error:
    first_sentence = str(error).split(". ")[0]  # the rest: how to avoid it
    print(f"RuntimeError: {first_sentence}.")
# --8<-- [end:inference-mode]

# --8<-- [start:eval]
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 6), nn.Dropout(p=0.5))
batch = torch.rand(2, 4)

net.train()  # training mode (the default): dropout zeroes random outputs
print("train: two calls agree:", torch.equal(net(batch), net(batch)))
net.eval()  # evaluation mode: dropout passes everything through
print("eval: two calls agree:", torch.equal(net(batch), net(batch)))
print(f"eval: still recorded, grad_fn={net(batch).grad_fn.name()}")
net.train()  # back to training mode before training again
# --8<-- [end:eval]
