"""How fast book.ngram fits and scores: the chapters score held-out text inside tuning sweeps.

Prints the seconds to fit an order-5 Kneser–Ney model on 300,000 Zipf-distributed tokens over
3,000 symbols (a stand-in for Chinese characters) and to score 50,000 of them, median of 5 runs.
"""

import statistics
import time

import numpy as np

from book.ngram import NGramLanguageModel


def median_seconds(work, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rng = np.random.default_rng(0)
    symbols = [chr(0x4E00 + i) for i in range(3000)]
    tokens = [symbols[i] for i in rng.zipf(1.3, 300_000) % len(symbols)]
    model = NGramLanguageModel(5, "kneser-ney").fit(tokens)
    held_out = model.encode(tokens[:50_000])
    fit = median_seconds(lambda: NGramLanguageModel(5, "kneser-ney").fit(tokens))
    score = median_seconds(lambda: model.token_log_probs(held_out))
    print(f"n-gram, order 5, Kneser-Ney: fit 300,000 tokens {fit:.2f} s, score 50,000 tokens {score:.3f} s")


if __name__ == "__main__":
    main()
