"""Neural-network layers from scratch: NumPy arrays, an explicit ``forward`` and ``backward`` each.

Every layer follows one contract, in the manner of CS231n's ``layers.py``:

* ``forward(x)`` computes the output for a batch (one example per row) and keeps what the
  backward pass will need;
* ``backward(dy)`` takes the gradient of the loss with respect to that output and returns the
  gradient with respect to the input, storing the gradients of the layer's own parameters.

A :class:`Sequential` network chains layers, :class:`SoftmaxCrossEntropy` turns scores into a
loss, and :class:`SGD` updates the parameters::

    net = mlp([784, 256, 10], seed=0)
    loss_fn = SoftmaxCrossEntropy()
    optimizer = SGD(net, lr=0.1)
    loss = loss_fn.forward(net.forward(x), y)
    net.backward(loss_fn.backward())
    optimizer.step()

Unlike PyTorch, ``backward`` *overwrites* gradients instead of adding to them, so there is no
``zero_grad``. Arrays keep the dtype they are given: train in float32 for speed, check gradients
in float64 (see :mod:`book.gradcheck`).

One module per family of layers:

========================  ============================================================
``base``                  the :class:`Layer` contract and :class:`Sequential`
``dense``                 :class:`Affine`, weight initialisers, :func:`mlp`
``activations``           :class:`ReLU`, :class:`Sigmoid`, :class:`Tanh`
``regularization``        :class:`Dropout`
``normalization``         :class:`BatchNorm1D` (per feature), :class:`BatchNorm2D` (per channel)
``conv``                  :class:`Conv2D`, :func:`im2col` and :func:`col2im`
``pooling``               :class:`MaxPool2D`, :class:`AvgPool2D`, :class:`Flatten`
``recurrent``             :class:`RNN` over a time-major sequence, :func:`clip_gradients`
``gated``                 :class:`LSTM` and :class:`GRU` over a time-major sequence
``losses``                :func:`softmax`, :class:`SoftmaxCrossEntropy`, :class:`SigmoidBinaryCrossEntropy`,
                          :class:`MeanSquaredError`
``optim``                 :class:`SGD`, :class:`Adagrad`, :class:`RMSprop`, :class:`Adadelta`,
                          :class:`Adam`, :class:`AdamW` (one ``Optimizer`` interface)
========================  ============================================================

Images are batches of shape ``(n, channels, height, width)``, as in PyTorch; sequences are
time-major, ``(steps, n, features)``, as in ``torch.nn.RNN``.
"""

from .activations import ReLU, Sigmoid, Tanh
from .base import Layer, Sequential
from .conv import Conv2D, col2im, conv2d, conv_output_size, im2col
from .dense import Affine, affine, he_normal, mlp, xavier_uniform
from .gated import GRU, LSTM
from .losses import MeanSquaredError, SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy, softmax
from .normalization import BatchNorm1D, BatchNorm2D
from .optim import SGD, Adadelta, Adagrad, Adam, AdamW, Optimizer, RMSprop
from .pooling import AvgPool2D, Flatten, MaxPool2D
from .recurrent import RNN, clip_gradients, rnn
from .regularization import Dropout

__all__ = [
    "Layer",
    "Affine",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Dropout",
    "BatchNorm1D",
    "BatchNorm2D",
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
    "Flatten",
    "RNN",
    "LSTM",
    "GRU",
    "SoftmaxCrossEntropy",
    "SigmoidBinaryCrossEntropy",
    "MeanSquaredError",
    "Sequential",
    "Optimizer",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adadelta",
    "Adam",
    "AdamW",
    "softmax",
    "he_normal",
    "xavier_uniform",
    "affine",
    "conv2d",
    "conv_output_size",
    "im2col",
    "col2im",
    "mlp",
    "rnn",
    "clip_gradients",
]
