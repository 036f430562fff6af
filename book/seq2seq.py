"""Networks that write a sequence: padded batches of strings, teacher forcing, greedy decoding.

A network that emits a sequence (one-to-many, or an encoder–decoder) writes one token at a time
and ends with ``<eos>``. Batches of strings of different lengths are padded with ``<pad>``, and
the decoder's first input is ``<bos>``. The chapters use these helpers like this::

    vocabulary = character_vocabulary(targets)                  # <unk>, <pad>, <bos>, <eos>, then characters
    Y = encode_padded(targets, vocabulary, add_eos=True)        # (n, longest + 1) token ids
    X = teacher_forcing_inputs(Y, vocabulary.token_to_index[BOS])   # what the decoder reads in training
    ...
    tokens = greedy_decode(step, state, batch_size=n, bos_id=..., eos_id=..., max_length=20)
    predictions = decode_until_eos(tokens, vocabulary)          # back to strings

``step(previous_tokens, state) -> (logits, state)`` is the model's decoder run for one time step,
so the same loop serves a plain decoder and one with attention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Sequence, TypeVar

import numpy as np

from .text import Vocabulary

if TYPE_CHECKING:
    import torch

__all__ = ["PAD", "BOS", "EOS", "SPECIAL_TOKENS", "character_vocabulary", "encode_padded",
           "teacher_forcing_inputs", "decode_until_eos", "greedy_decode"]

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SPECIAL_TOKENS = (PAD, BOS, EOS)

State = TypeVar("State")


def character_vocabulary(texts: Iterable[str]) -> Vocabulary:
    """A vocabulary of the characters of ``texts``: ``<unk>`` = 0, ``<pad>`` = 1, ``<bos>`` = 2,
    ``<eos>`` = 3, then the characters, most frequent first."""
    return Vocabulary((character for text in texts for character in text), reserved=SPECIAL_TOKENS)


def _special_id(vocabulary: Vocabulary, token: str) -> int:
    if token not in vocabulary:
        raise ValueError(f"the vocabulary has no {token}; build it with character_vocabulary().")
    return vocabulary.token_to_index[token]


def encode_padded(texts: Sequence[str], vocabulary: Vocabulary, *, add_eos: bool = False,
                  length: int | None = None, pad_side: str = "right") -> np.ndarray:
    """The characters of each text as ids, one row per text, padded with ``<pad>`` to ``length``.

    ``add_eos`` ends every row's text with ``<eos>`` (for targets). ``length`` defaults to the
    longest row. ``pad_side="left"`` puts the padding before the text, so that the last time step
    of every row is its last character (a recurrent encoder's final state then summarises the
    text, not the padding). Returns an int64 array of shape ``(len(texts), length)``.
    """
    if pad_side not in ("left", "right"):
        raise ValueError(f"pad_side must be 'left' or 'right', got {pad_side!r}.")
    if isinstance(texts, str):
        raise TypeError("encode_padded takes a sequence of texts; wrap a single text in a list.")
    pad_id = _special_id(vocabulary, PAD)
    rows = [list(vocabulary.encode(text)) + ([_special_id(vocabulary, EOS)] if add_eos else []) for text in texts]
    longest = max((len(row) for row in rows), default=0)
    length = longest if length is None else length
    if longest > length:
        raise ValueError(f"a text needs {longest} positions{' with <eos>' if add_eos else ''}, more than length={length}.")
    padded = np.full((len(rows), length), pad_id, dtype=np.int64)
    for i, row in enumerate(rows):
        start = 0 if pad_side == "right" else length - len(row)
        padded[i, start:start + len(row)] = row
    return padded


def teacher_forcing_inputs(targets: np.ndarray, bos_id: int) -> np.ndarray:
    """What a decoder reads in training under teacher forcing: ``<bos>``, then the targets
    shifted one step right (the true previous token at every step, not the decoder's own guess).

    ``targets`` has shape ``(n, T)``; the result has the same shape and dtype.
    """
    targets = np.asarray(targets)
    if targets.ndim != 2:
        raise ValueError(f"targets must have shape (n, T), got {targets.shape}.")
    first = np.full((len(targets), 1), bos_id, dtype=targets.dtype)
    return np.concatenate([first, targets[:, :-1]], axis=1)


def decode_until_eos(ids: "np.ndarray | torch.Tensor", vocabulary: Vocabulary) -> list[str]:
    """One string per row of ``ids``: its tokens joined, up to (not including) the first ``<eos>``.

    ``<pad>`` at the end of a row is dropped; any other token, ``<pad>`` in the middle or a stray
    ``<bos>`` included, is kept as written, so that a wrong output reads as wrong.
    """
    ids = np.asarray(ids)
    if ids.ndim != 2:
        raise ValueError(f"ids must have shape (n, T), got {ids.shape}.")
    eos_id, pad_id = _special_id(vocabulary, EOS), _special_id(vocabulary, PAD)
    texts = []
    for row in ids.tolist():
        if eos_id in row:
            row = row[:row.index(eos_id)]
        while row and row[-1] == pad_id:
            row.pop()
        texts.append("".join(vocabulary.decode(row)))
    return texts


def greedy_decode(step: Callable[["torch.Tensor", State], "tuple[torch.Tensor, State]"], state: State, *,
                  batch_size: int, bos_id: int, eos_id: int, max_length: int) -> "torch.Tensor":
    """Generate by feeding each step's likeliest token back in as the next step's input.

    ``step(previous_tokens, state)`` runs the decoder for one time step: ``previous_tokens`` is an
    int64 tensor of shape ``(batch_size,)`` (``<bos>`` at the first step) and it returns the
    logits of the next token, shape ``(batch_size, V)``, and the new state (any object: a hidden
    state, or a tuple holding what attention needs). Stops after ``max_length`` steps, or sooner
    once every row has produced ``<eos>``. Returns the tokens, int64 of shape
    ``(batch_size, steps)``, without the ``<bos>``; read them with :func:`decode_until_eos`.
    Runs without building a graph (``torch.no_grad``).
    """
    import torch

    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}.")
    tokens = torch.full((batch_size,), bos_id, dtype=torch.int64)
    finished = torch.zeros(batch_size, dtype=torch.bool)
    generated = []
    with torch.no_grad():
        for _ in range(max_length):
            logits, state = step(tokens, state)
            if logits.shape[0] != batch_size or logits.dim() != 2:
                raise ValueError(f"step must return logits of shape ({batch_size}, V), got {tuple(logits.shape)}.")
            tokens = logits.argmax(dim=-1)
            generated.append(tokens)
            finished |= tokens == eos_id
            if bool(finished.all()):
                break
    return torch.stack(generated, dim=1)
