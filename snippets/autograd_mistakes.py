"""Seven mistakes readers make with autograd, each with the error or wrong result it gives, and the fix.

Run it:  python autograd_mistakes.py
"""

# --8<-- [start:imports]
import torch
# --8<-- [end:imports]

# --8<-- [start:backward-twice]
w = torch.tensor(2.0, requires_grad=True)
loss = torch.log(w) + w * 5
loss.backward()
try:
    loss.backward()  # the graph behind `loss` was freed by the first call
except RuntimeError as error:
    print(f"RuntimeError: {error}")

w.grad = None
# run the forward pass again: a fresh graph for the next backward
loss = torch.log(w) + w * 5
loss.backward()
print(f"forward again, then backward: w.grad = {w.grad.item():.4f}")

w.grad = None
loss = torch.log(w) + w * 5
loss.backward(retain_graph=True)  # on the FIRST call: keep the graph
loss.backward()  # so a second call can run (and adds up: 5.5 + 5.5)
print(f"retain_graph=True, then backward: w.grad = {w.grad.item():.4f}")
# --8<-- [end:backward-twice]

# --8<-- [start:non-scalar]
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = w * 2  # three numbers, not one
try:
    out.backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

out.sum().backward()  # reduce to one number first (a loss is a mean or a sum)
print("after out.sum().backward():", w.grad)
# --8<-- [end:non-scalar]

# --8<-- [start:no-requires-grad]
w = torch.tensor(3.0)  # requires_grad forgotten: nothing is recorded
loss = (w * 2) ** 2
try:
    loss.backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

w = torch.tensor(3.0, requires_grad=True)
loss = (w * 2) ** 2
loss.backward()
print(f"with requires_grad=True: d(loss)/dw = {w.grad.item():.4f}")
# --8<-- [end:no-requires-grad]

# --8<-- [start:in-place-leaf]
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()  # w.grad = 2 * w = [2, 4]
try:
    w -= 0.1 * w.grad  # a gradient-descent step, written naively
except RuntimeError as error:
    print(f"RuntimeError: {error}")

with torch.no_grad():  # an update is not part of any graph
    w -= 0.1 * w.grad
print("after the step under no_grad:", w)
# --8<-- [end:in-place-leaf]

# --8<-- [start:numpy]
w = torch.tensor([1.0, 2.0], requires_grad=True)
out = w * 3
try:
    out.numpy()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

print("out.detach().numpy():", out.detach().numpy())
# --8<-- [end:numpy]

# --8<-- [start:never-zeroed]
w = torch.tensor(2.0, requires_grad=True)
for step in range(1, 4):
    loss = w * w  # d(loss)/dw = 2 * w = 4 on every step
    loss.backward()  # ...but .grad adds it to what is already there
    print(f"step {step}, never zeroed: w.grad = {w.grad.item():.4f}")

for step in range(1, 4):
    w.grad = None  # zero first (optimizer.zero_grad() in a training loop)
    loss = w * w
    loss.backward()
    print(f"step {step}, zeroed first: w.grad = {w.grad.item():.4f}")
# --8<-- [end:never-zeroed]

# --8<-- [start:detach-in-place]
x = torch.tensor([1.0, 2.0], requires_grad=True)
e = torch.exp(x)  # exp saves its result: d exp(x)/dx = exp(x)
shown = e.detach()  # shares e's memory and its version counter
shown.zero_()  # changes e too: its version goes from 0 to 1
try:
    e.sum().backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

x.grad = None
e = torch.exp(x)
shown = e.detach().clone()  # a copy of its own: change it freely
shown.zero_()
e.sum().backward()
print("with .detach().clone():", x.grad)
# --8<-- [end:detach-in-place]
