"""n-gram language models: counts, smoothing, log-probabilities, perplexity and sampling.

An n-gram model predicts each token from the n − 1 tokens before it (the Markov assumption)::

    corpus = book.text.chinese_fortunes()
    model = NGramLanguageModel(order=3, smoothing="kneser-ney").fit(tokenize(corpus.train))
    model.perplexity(tokenize(corpus.validation))   # exp of the mean negative log-likelihood
    model.sample(40, context="春", seed=0)            # a list of 40 tokens

Tokens and vocabulary are those a recurrent network would use. :meth:`NGramLanguageModel.fit`
numbers the tokens with a :class:`book.text.Vocabulary` built on the training tokens (or one it
is given, to share it with another model); a token outside the vocabulary, in training or
later, counts as ``<unk>`` (index 0), which is a token like any other. Methods that score or
continue text take tokens as strings (a string is read as its characters, as in
:meth:`~book.text.Vocabulary.encode`) or ids of that vocabulary as an integer NumPy array.

How a text is read, in training and in evaluation:

- **One stream.** A text (``corpus.train``, ``corpus.test``) is one sequence of tokens. Where
  the corpus joins two documents, the separator (``"\\n"`` between poems, ``"\\n\\n"`` between
  fortunes) is ordinary tokens at character level, so n-grams across it are counted and scored
  like any others and the model learns what tends to start a document. (Word-level tokens drop
  whitespace, so there the documents simply follow one another.)
- **Every token is scored.** :meth:`~NGramLanguageModel.token_log_probs` returns one
  log-probability per token of the sequence, and the perplexity is the exponential of minus
  their mean. Tokens passed as ``context`` precede the sequence and are not scored.
- **The first n − 1 tokens** have fewer than n − 1 tokens before them. Token t (counting from
  0, after the context) is predicted by the model of order t + 1 with the same smoothing: the
  first token by the unigram model, the second by the bigram model, and so on. The same holds
  for :meth:`~NGramLanguageModel.log_prob` with a short context; a long context is cut to its
  last n − 1 tokens.
- **Comparing with a network** that reads token 0 and predicts tokens 1 … T − 1 (inputs
  ``ids[:-1]``, targets ``ids[1:]``): score the same tokens with
  ``model.perplexity(ids[1:], context=ids[:1])``. Over tens of thousands of tokens the two
  conventions differ in the third significant digit at most.
- **Unknown tokens.** With a vocabulary built on all training tokens, ``<unk>`` never occurs in
  training, and an unknown held-out token gets only the probability that smoothing keeps for
  unseen tokens (1/V at the bottom of the interpolation). A vocabulary with ``min_freq=2`` turns
  the rarest training tokens into ``<unk>``, which is then learned like any token.

Smoothing (probabilities of a token w after a context h, with c(·) the training counts and
c(h·) the number of times h is followed by a token, so that the last tokens of the training text
count as n-grams but not as contexts):

- ``"mle"``: maximum likelihood, c(hw) / c(h·). An n-gram never seen gets probability 0 (log
  −∞), and so does every token after a context never seen (the maximum-likelihood estimate is
  0/0 there).
- ``"add-k"``: (c(hw) + k) / (c(h·) + k·V) over a vocabulary of V tokens; ``k=1`` is Laplace
  smoothing. A context never seen gives the uniform 1/V.
- ``"absolute"``: interpolated absolute discounting. Each count loses ``discount`` D (0 ≤ D ≤ 1),
  and the mass freed, D·N₁₊(h·)/c(h·), goes to the model of the next lower order:
  P(w|h) = max(c(hw) − D, 0)/c(h·) + D·N₁₊(h·)/c(h·) · P(w|h′), with h′ the context without its
  first token, down to the uniform 1/V below the unigrams. N₁₊(h·) is the number of distinct
  tokens seen after h. A context never seen passes its whole mass to the lower order.
- ``"kneser-ney"``: interpolated Kneser–Ney. As ``"absolute"``, but every order below the
  highest counts *continuations* instead of occurrences: c(hw) is replaced by N₁₊(·hw), the
  number of distinct tokens seen before hw.

``discount`` is one number for every order, a sequence of one number per order (unigrams
first), or ``None`` for the estimate D = n₁/(n₁ + 2n₂) of each order, where n₁ and n₂ are the
numbers of n-grams of that order seen once and twice (or with one and two continuations).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from .text import Vocabulary

__all__ = ["SMOOTHINGS", "NGramLanguageModel", "perplexity"]

SMOOTHINGS = ("mle", "add-k", "absolute", "kneser-ney")
_SAME = object()  # with_options: keep the discount (None is a value: Ney's estimate)


def perplexity(log_probs: Sequence[float] | np.ndarray) -> float:
    """exp(−mean log-probability): the perplexity of per-token natural-log probabilities."""
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.ndim != 1 or log_probs.size == 0:
        raise ValueError(f"perplexity needs a non-empty one-dimensional array, got shape {log_probs.shape}.")
    return float(np.exp(-log_probs.mean()))


@dataclass(frozen=True)
class _Level:
    """The distinct m-grams of one order m, with their counts, and the statistics of their contexts.

    An m-gram is numbered by its place in ``keys``, which is sorted; its key is
    ``(number of its first m − 1 tokens among the (m − 1)-grams) · V + last token``, and the
    empty 0-gram is number 0, so the m-grams that follow one context are a contiguous run of keys.
    """

    keys: np.ndarray  # int64, sorted
    counts: np.ndarray  # occurrences in the training text
    continuations: np.ndarray | None  # distinct tokens seen before the m-gram (None at the top)
    context_total: np.ndarray  # per (m − 1)-gram: the sum of counts of the m-grams it starts
    context_types: np.ndarray  # per (m − 1)-gram: how many distinct m-grams it starts
    continuation_total: np.ndarray | None
    continuation_types: np.ndarray | None
    count_discount: float  # n1 / (n1 + 2 n2) of the counts
    continuation_discount: float | None

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The numbers of the m-grams with these keys; −1 where the key is not one of them."""
        if len(self.keys) == 0:
            return np.full(np.shape(keys), -1, dtype=np.int64)
        places = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[places] == keys, places, -1)


def _take(values: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """values[numbers] as float64, with 0 where a number is −1 (not seen)."""
    if len(values) == 0:
        return np.zeros(np.shape(numbers))
    return np.where(numbers >= 0, values[np.maximum(numbers, 0)], 0).astype(np.float64)


def _ney_discount(counts: np.ndarray) -> float:
    """n1 / (n1 + 2 n2), the discount Ney, Essen and Kneser estimate from counts of counts."""
    n1, n2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
    return n1 / (n1 + 2 * n2) if n1 + n2 else 0.5


def _count(ids: np.ndarray, max_order: int, vocabulary_size: int) -> list[_Level]:
    """Count every m-gram of ``ids`` for m = 1..max_order (see :class:`_Level`)."""
    n = len(ids)
    previous_numbers = np.zeros(n, dtype=np.int64)  # the 0-gram ending at every position
    previous_size = 1
    numbers_by_order, firsts_by_order, raw = [], [], []
    for m in range(1, max_order + 1):
        # m-grams end at positions m − 1 .. n − 1; their first m − 1 tokens end one position earlier.
        if m == 1:
            keys = ids.astype(np.int64)
        else:
            keys = previous_numbers[m - 2: n - 1] * vocabulary_size + ids[m - 1:]
        unique, first, numbers, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        prefixes = unique // vocabulary_size
        raw.append((unique, counts.astype(np.int64), prefixes, previous_size))
        positions = np.full(n, -1, dtype=np.int64)
        positions[m - 1:] = numbers.reshape(-1)
        numbers_by_order.append(positions)
        firsts_by_order.append(first + (m - 1))  # a position where each m-gram ends
        previous_numbers, previous_size = positions, len(unique)

    levels = []
    for m in range(1, max_order + 1):
        unique, counts, prefixes, contexts = raw[m - 1]
        continuations = continuation_total = continuation_types = continuation_discount = None
        if m < max_order:
            # Each distinct (m + 1)-gram adds one continuation to the m-gram that ends it.
            ends = firsts_by_order[m]
            continuations = np.bincount(numbers_by_order[m - 1][ends], minlength=len(unique)).astype(np.int64)
            continuation_total = np.bincount(prefixes, weights=continuations, minlength=contexts).astype(np.int64)
            continuation_types = np.bincount(prefixes[continuations > 0], minlength=contexts).astype(np.int64)
            continuation_discount = _ney_discount(continuations)
        levels.append(_Level(
            keys=unique,
            counts=counts,
            continuations=continuations,
            context_total=np.bincount(prefixes, weights=counts, minlength=contexts).astype(np.int64),
            context_types=np.bincount(prefixes, minlength=contexts).astype(np.int64),
            continuation_total=continuation_total,
            continuation_types=continuation_types,
            count_discount=_ney_discount(counts),
            continuation_discount=continuation_discount,
        ))
    return levels


class NGramLanguageModel:
    """An n-gram language model over the tokens of a :class:`~book.text.Vocabulary`.

    ``order`` is n (1 for unigrams, 2 for bigrams, …); ``smoothing`` is one of
    :data:`SMOOTHINGS`, ``k`` the pseudo-count of ``"add-k"`` and ``discount`` that of
    ``"absolute"`` and ``"kneser-ney"`` (see the module's documentation for the formulas, for
    how the first n − 1 tokens and document boundaries are handled, and for ``<unk>``).
    Log-probabilities are natural logarithms.

    ``fit`` counts; nothing else depends on the smoothing, so :meth:`with_options` gives a model
    of another order (up to the fitted one) or smoothing from the same counts, for tuning.
    """

    def __init__(self, order: int, smoothing: str = "kneser-ney", *, k: float = 1.0,
                 discount: float | Sequence[float] | None = None) -> None:
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
            raise ValueError(f"order must be an integer of at least 1, got {order!r}.")
        if smoothing not in SMOOTHINGS:
            raise ValueError(f"unknown smoothing {smoothing!r}; choose one of {', '.join(SMOOTHINGS)}.")
        if smoothing == "add-k" and not (np.isfinite(k) and k > 0):
            raise ValueError(f"add-k smoothing needs k > 0, got {k!r} (k = 0 is smoothing='mle').")
        if discount is not None:
            discounts = np.atleast_1d(np.asarray(discount, dtype=np.float64))
            if discounts.ndim != 1 or len(discounts) not in (1, order):
                raise ValueError(f"discount must be one number or one per order ({order}), got {discount!r}.")
            if np.any(~np.isfinite(discounts)) or np.any(discounts < 0) or np.any(discounts > 1):
                raise ValueError(f"discounts must lie in [0, 1], got {discount!r}.")
        self.order = int(order)
        self.smoothing = smoothing
        self.k = float(k)
        self.discount = discount
        self.vocabulary: Vocabulary | None = None
        self._levels: list[_Level] | None = None

    def __repr__(self) -> str:
        options = {"add-k": f", k={self.k:g}", "absolute": f", discount={self.discount!r}",
                   "kneser-ney": f", discount={self.discount!r}"}.get(self.smoothing, "")
        fitted = f", vocabulary of {len(self.vocabulary)}" if self.vocabulary is not None else ", not fitted"
        return f"NGramLanguageModel(order={self.order}, smoothing={self.smoothing!r}{options}{fitted})"

    # -- Training -------------------------------------------------------------------------------

    def fit(self, tokens: Iterable[str] | np.ndarray, vocabulary: Vocabulary | None = None) -> "NGramLanguageModel":
        """Count the n-grams of ``tokens``, the training text as one sequence; returns ``self``.

        Without ``vocabulary``, the model numbers tokens with ``Vocabulary(tokens)``. Given one
        (to share it with a neural model), tokens outside it count as ``<unk>``; ``tokens`` may
        then also be ids of that vocabulary. An empty sequence gives a model that has seen
        nothing: every smoothing but ``"mle"`` is then the uniform distribution over the vocabulary.
        """
        if isinstance(tokens, np.ndarray) and np.issubdtype(tokens.dtype, np.integer):
            if vocabulary is None:
                raise ValueError("ids need the vocabulary they belong to: pass vocabulary=.")
            ids = self._checked_ids(tokens, len(vocabulary))
        else:
            tokens = list(tokens)
            if vocabulary is None:
                if not tokens:
                    raise ValueError("cannot build a vocabulary from no tokens: pass vocabulary=.")
                vocabulary = Vocabulary(tokens)
            ids = vocabulary.encode(tokens)
        self.vocabulary = vocabulary
        self._levels = _count(ids, self.order, len(vocabulary))
        return self

    def with_options(self, order: int | None = None, smoothing: str | None = None, *,
                     k: float | None = None, discount: float | Sequence[float] | None | object = _SAME,
                     ) -> "NGramLanguageModel":
        """A model with another order (at most the fitted one) or smoothing, sharing these counts."""
        self._check_fitted()
        order = self.order if order is None else order
        model = NGramLanguageModel(order, self.smoothing if smoothing is None else smoothing,
                                   k=self.k if k is None else k,
                                   discount=self.discount if discount is _SAME else discount)
        if model.order > self.order:
            raise ValueError(f"these counts go up to order {self.order}; fit a new model for order {model.order}.")
        model.vocabulary = self.vocabulary
        model._levels = self._levels
        return model

    def count(self, ngram: Iterable[str] | np.ndarray) -> int:
        """How often the m tokens ``ngram`` (1 ≤ m ≤ the fitted order) occur in the training text."""
        self._check_fitted()
        ids = self.encode(ngram)
        if not 1 <= len(ids) <= len(self._levels):
            raise ValueError(f"count takes 1 to {len(self._levels)} tokens, got {len(ids)}.")
        number = self._gram_number(ids)
        return int(self._levels[len(ids) - 1].counts[number]) if number >= 0 else 0

    def distinct_ngrams(self) -> list[int]:
        """The number of distinct m-grams in the training text, for m = 1 .. the fitted order."""
        self._check_fitted()
        return [len(level.keys) for level in self._levels]

    # -- Scoring --------------------------------------------------------------------------------

    def token_log_probs(self, tokens: Iterable[str] | np.ndarray,
                        context: Iterable[str] | np.ndarray = ()) -> np.ndarray:
        """log P(token_t | the n − 1 tokens before it) for every token, as a float64 array.

        ``context`` tokens come before ``tokens`` and are not scored. The first n − 1 tokens of
        ``context + tokens`` are scored by the model of the order their history allows (see the
        module's documentation). Vectorised: a few array look-ups per order for the whole sequence.
        """
        self._check_fitted()
        context_ids, ids = self.encode(context), self.encode(tokens)
        sequence = np.concatenate([context_ids, ids])
        probabilities = self._sequence_probabilities(sequence)[len(context_ids):]
        with np.errstate(divide="ignore"):
            return np.log(probabilities)

    def log_prob(self, next_token: str | int, context: Iterable[str] | np.ndarray = ()) -> float:
        """log P(next_token | context), from the last n − 1 tokens of the context."""
        index = self._token_index(next_token)
        with np.errstate(divide="ignore"):
            return float(np.log(self.distribution(context)[index]))

    def total_log_prob(self, tokens: Iterable[str] | np.ndarray, context: Iterable[str] | np.ndarray = ()) -> float:
        """log P(tokens | context): the sum of :meth:`token_log_probs`."""
        return float(self.token_log_probs(tokens, context).sum())

    def perplexity(self, tokens: Iterable[str] | np.ndarray, context: Iterable[str] | np.ndarray = ()) -> float:
        """exp(−mean log P) over the tokens: ``inf`` if the model gives any of them probability 0."""
        log_probs = self.token_log_probs(tokens, context)
        if log_probs.size == 0:
            raise ValueError("perplexity needs at least one token.")
        return perplexity(log_probs)

    def distribution(self, context: Iterable[str] | np.ndarray = ()) -> np.ndarray:
        """P(w | context) for every token w of the vocabulary, in vocabulary order.

        It sums to 1, except under ``"mle"`` after a context never seen, where it is all zeros.
        """
        self._check_fitted()
        ids = self.encode(context)
        ids = ids[len(ids) - min(len(ids), self.order - 1):]
        vocabulary_size = len(self.vocabulary)
        top = len(ids) + 1
        # The number of the context of each order m (its last m − 1 tokens); −1 if never seen.
        contexts = [0] + [self._gram_number(ids[len(ids) - (m - 1):]) for m in range(2, top + 1)]
        if self.smoothing in ("mle", "add-k"):
            level, context = self._levels[top - 1], contexts[top - 1]
            counts = np.zeros(vocabulary_size)
            total = 0
            if context >= 0:
                tokens, values = self._followers(top, context, "counts")
                counts[tokens] = values
                total = level.context_total[context]
            if self.smoothing == "add-k":
                return (counts + self.k) / (total + self.k * vocabulary_size)
            return counts / total if total > 0 else counts
        probabilities = np.full(vocabulary_size, 1.0 / vocabulary_size)
        for m in range(1, top + 1):
            context = contexts[m - 1]
            statistic = "counts" if m == top or self.smoothing == "absolute" else "continuations"
            level = self._levels[m - 1]
            if context < 0:
                continue
            total, types = self._context_statistics(level, statistic)
            if total[context] == 0:
                continue
            discount = self._discount(m, statistic)
            tokens, values = self._followers(m, context, statistic)
            numerator = np.zeros(vocabulary_size)
            numerator[tokens] = np.maximum(values - discount, 0)
            probabilities = (numerator + discount * types[context] * probabilities) / total[context]
        return probabilities

    # -- Generating -----------------------------------------------------------------------------

    def sample(self, num_tokens: int, context: Iterable[str] | np.ndarray = (), *, temperature: float = 1.0,
               seed: int | np.random.Generator = 0, stop: str | None = None,
               allow_unknown: bool = False) -> list[str]:
        """Draw up to ``num_tokens`` tokens, each from P(w | the n − 1 tokens before it).

        The distribution is raised to the power 1/``temperature`` and renormalised (below 1:
        bolder choices of the likeliest tokens; above 1: flatter). ``<unk>`` is never drawn
        unless ``allow_unknown``. Sampling stops after the token ``stop`` if it is drawn, and
        early if no token has a positive probability (``"mle"`` after a context it never saw).
        Returns the new tokens, without the context.
        """
        self._check_fitted()
        if not temperature > 0:
            raise ValueError(f"temperature must be positive, got {temperature!r}.")
        if num_tokens < 0:
            raise ValueError(f"num_tokens must be at least 0, got {num_tokens}.")
        rng = np.random.default_rng(seed)
        history = list(self.encode(context))
        drawn = []
        for _ in range(num_tokens):
            probabilities = self.distribution(np.array(history[len(history) - min(len(history), self.order - 1):],
                                                       dtype=np.int64))
            if not allow_unknown:
                probabilities[Vocabulary.unknown_index] = 0.0
            positive = probabilities > 0
            if not positive.any():
                break
            weights = np.zeros_like(probabilities)
            logs = np.log(probabilities[positive]) / temperature
            weights[positive] = np.exp(logs - logs.max())
            index = int(rng.choice(len(weights), p=weights / weights.sum()))
            history.append(index)
            drawn.append(self.vocabulary.index_to_token[index])
            if stop is not None and drawn[-1] == stop:
                break
        return drawn

    # -- Helpers --------------------------------------------------------------------------------

    def encode(self, tokens: Iterable[str] | np.ndarray) -> np.ndarray:
        """Ids of ``tokens`` in the model's vocabulary (``<unk>`` for the unknown); ids pass through."""
        self._check_fitted()
        if isinstance(tokens, np.ndarray) and tokens.size == 0:
            return np.zeros(0, dtype=np.int64)
        if isinstance(tokens, np.ndarray) and np.issubdtype(tokens.dtype, np.integer):
            return self._checked_ids(tokens, len(self.vocabulary))
        return self.vocabulary.encode(tokens)

    @staticmethod
    def _checked_ids(ids: np.ndarray, vocabulary_size: int) -> np.ndarray:
        if ids.ndim != 1:
            raise ValueError(f"ids must be one-dimensional, got shape {ids.shape}.")
        if ids.size and (ids.min() < 0 or ids.max() >= vocabulary_size):
            raise ValueError(f"ids must lie in 0..{vocabulary_size - 1}.")
        return ids.astype(np.int64)

    def _check_fitted(self) -> None:
        if self._levels is None:
            raise RuntimeError("the model has not been fitted: call fit(tokens) first.")

    def _token_index(self, token: str | int) -> int:
        if isinstance(token, (int, np.integer)) and not isinstance(token, bool):
            if not 0 <= token < len(self.vocabulary):
                raise ValueError(f"id {token} is outside the vocabulary's 0..{len(self.vocabulary) - 1}.")
            return int(token)
        if not isinstance(token, str):
            raise TypeError(f"next_token must be a token (a string) or an id, got {token!r}.")
        return self.vocabulary.token_to_index.get(token, Vocabulary.unknown_index)

    def _gram_number(self, ids: np.ndarray) -> int:
        """The number of the m-gram ``ids`` (m = len(ids) ≥ 1) among the training m-grams, or −1."""
        number = 0
        for m, token in enumerate(ids, start=1):
            number = int(self._levels[m - 1].find(np.array([number * len(self.vocabulary) + int(token)]))[0])
            if number < 0:
                return -1
        return number

    def _followers(self, m: int, context: int, statistic: str) -> tuple[np.ndarray, np.ndarray]:
        """The tokens seen after an (m − 1)-gram, with their counts or continuation counts."""
        level, size = self._levels[m - 1], len(self.vocabulary)
        start, end = np.searchsorted(level.keys, [context * size, (context + 1) * size])
        values = level.counts if statistic == "counts" else level.continuations
        return level.keys[start:end] - context * size, values[start:end].astype(np.float64)

    @staticmethod
    def _context_statistics(level: _Level, statistic: str) -> tuple[np.ndarray, np.ndarray]:
        if statistic == "counts":
            return level.context_total, level.context_types
        return level.continuation_total, level.continuation_types

    def _discount(self, m: int, statistic: str) -> float:
        if self.discount is None:
            level = self._levels[m - 1]
            return level.count_discount if statistic == "counts" else level.continuation_discount
        discounts = np.atleast_1d(np.asarray(self.discount, dtype=np.float64))
        return float(discounts[0] if len(discounts) == 1 else discounts[m - 1])

    def _sequence_probabilities(self, sequence: np.ndarray) -> np.ndarray:
        """P(sequence[t] | up to n − 1 tokens before it) for every t, all positions at once."""
        length, size = len(sequence), len(self.vocabulary)
        # numbers[m][t]: the number of the m-gram ending at t among the training m-grams (−1: unseen).
        numbers = [np.zeros(length, dtype=np.int64)]
        for m in range(1, self.order + 1):
            current = np.full(length, -1, dtype=np.int64)
            if length >= m:
                before = numbers[m - 1][m - 2: length - 1] if m > 1 else numbers[0]
                keys = np.maximum(before, 0) * size + sequence[m - 1:]
                current[m - 1:] = np.where(before >= 0, self._levels[m - 1].find(keys), -1)
            numbers.append(current)

        def context_numbers(m):  # the (m − 1)-gram before each position; the empty 0-gram is 0
            if m == 1:
                return np.zeros(length, dtype=np.int64)
            result = np.full(length, -1, dtype=np.int64)
            result[1:] = numbers[m - 1][:-1]
            return result

        positions = np.arange(length)
        top = np.minimum(positions + 1, self.order)  # the order that predicts each position
        if self.smoothing in ("mle", "add-k"):
            probabilities = np.empty(length)
            for m in range(1, self.order + 1):
                here = top == m
                if not here.any():
                    continue
                level, contexts, grams = self._levels[m - 1], context_numbers(m)[here], numbers[m][here]
                counts, totals = _take(level.counts, grams), _take(level.context_total, contexts)
                if self.smoothing == "add-k":
                    probabilities[here] = (counts + self.k) / (totals + self.k * size)
                else:
                    with np.errstate(invalid="ignore", divide="ignore"):
                        probabilities[here] = np.where(totals > 0, counts / np.maximum(totals, 1), 0.0)
            return probabilities

        probabilities = np.full(length, 1.0 / size)
        for m in range(1, self.order + 1):
            level, contexts, grams = self._levels[m - 1], context_numbers(m), numbers[m]
            active = (contexts >= 0) & (top >= m)
            for statistic in ("counts", "continuations"):
                if statistic == "counts":
                    where = active & ((top == m) | (self.smoothing == "absolute"))
                else:
                    where = active & (top > m) & (self.smoothing == "kneser-ney")
                if not where.any():
                    continue
                total, types = self._context_statistics(level, statistic)
                values = level.counts if statistic == "counts" else level.continuations
                context, gram = contexts[where], grams[where]
                totals = _take(total, context)
                seen = totals > 0
                discount = self._discount(m, statistic)
                numerators = np.maximum(_take(values, gram) - discount, 0)
                updated = (numerators + discount * _take(types, context) * probabilities[where]) / np.maximum(totals, 1)
                probabilities[where] = np.where(seen, updated, probabilities[where])
        return probabilities
