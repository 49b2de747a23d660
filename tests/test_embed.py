"""The numpy MiniLM encoder: reference values, an independent pure-Python layer, paraphrases; claim matching."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from claimgraph.extract import claims as C
from claimgraph.extract import embed as E
from claimgraph.model import Claim

needs_model = pytest.mark.skipif(not E.available(), reason=f"embedding model not installed ({E.INSTALL_HINT})")


@needs_model
def test_reference_vector() -> None:
    # sentence-transformers' documented output for all-MiniLM-L6-v2 on this sentence (first 8 of 384)
    ref = [6.76568598e-02, 6.34959415e-02, 4.87130992e-02, 7.93049559e-02,
           3.74480858e-02, 2.65275552e-03, 3.93749885e-02, -7.09843636e-03]
    v = E.embed(["This is an example sentence"])
    assert v.shape == (1, E.DIM) and v.dtype == np.float32
    assert np.allclose(v[0, :8], ref, atol=2e-5)
    assert abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-5


def _ln(x: list[float], w: np.ndarray, b: np.ndarray) -> list[float]:
    mu = sum(x) / len(x)
    var = sum((a - mu) ** 2 for a in x) / len(x)
    return [(a - mu) / math.sqrt(var + 1e-12) * float(w[i]) + float(b[i]) for i, a in enumerate(x)]


def _lin(x: list[float], w: np.ndarray, b: np.ndarray) -> list[float]:
    # w as stored by the encoder: (in, out), i.e. y = x @ w + b
    rows = w.tolist()
    out = [float(v) for v in b]
    for i, xi in enumerate(x):
        r = rows[i]
        for j in range(len(out)):
            out[j] += xi * r[j]
    return out


@needs_model
def test_one_layer_against_pure_python() -> None:
    """Embeddings + encoder layer 0 recomputed with floats and math.erf, no numpy arithmetic."""
    enc = E.encoder()
    ids, mask = enc.ids(["Kabul denies it"])
    got = enc.hidden(ids, mask, layers=1)[0]
    w = enc.w
    toks = ids[0].tolist()
    x = [
        _ln([float(a + b + c) for a, b, c in zip(w["embeddings.word_embeddings.weight"][t],
                                                 w["embeddings.position_embeddings.weight"][p],
                                                 w["embeddings.token_type_embeddings.weight"][0], strict=True)],
            w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for p, t in enumerate(toks)
    ]
    p = "encoder.layer.0."
    q = [_lin(t, w[p + "attention.self.query.weight"], w[p + "attention.self.query.bias"]) for t in x]
    k = [_lin(t, w[p + "attention.self.key.weight"], w[p + "attention.self.key.bias"]) for t in x]
    v = [_lin(t, w[p + "attention.self.value.weight"], w[p + "attention.self.value.bias"]) for t in x]
    n, d, h = len(x), 384, 12
    dh = d // h
    ctx = [[0.0] * d for _ in range(n)]
    for head in range(h):
        sl = range(head * dh, (head + 1) * dh)
        for i in range(n):
            s = [sum(q[i][c] * k[j][c] for c in sl) / math.sqrt(dh) for j in range(n)]
            m = max(s)
            e = [math.exp(a - m) for a in s]
            z = sum(e)
            for c in sl:
                ctx[i][c] = sum(e[j] / z * v[j][c] for j in range(n))
    out = []
    for i in range(n):
        a = _lin(ctx[i], w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
        y = _ln([a[c] + x[i][c] for c in range(d)], w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"])
        f = _lin(y, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"])
        f = [0.5 * a * (1 + math.erf(a / math.sqrt(2))) for a in f]
        f = _lin(f, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
        out.append(_ln([f[c] + y[c] for c in range(d)], w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]))
    assert np.allclose(got, np.array(out), atol=1e-4)


@needs_model
def test_padding_does_not_change_a_vector() -> None:
    short = "Islamabad denies the charge."
    alone = E.embed([short])[0]
    batched = E.embed([short, "A much longer sentence that forces the short one to be padded in its batch."])[0]
    assert np.allclose(alone, batched, atol=1e-5)


@needs_model
def test_paraphrases_are_closer_than_unrelated() -> None:
    v = E.embed([
        "Afghan forces turned a blind eye to the insurgents' movements",
        "the government is turning a blind eye to Taliban activity",
        "The weather in Berlin will be sunny tomorrow",
    ])
    sim = v @ v.T
    assert sim[0, 1] > 0.5 > sim[0, 2]


@needs_model
def test_truncation_and_empty() -> None:
    assert E.embed([]).shape == (0, E.DIM)
    ids, _ = E.encoder().ids(["word " * 500])
    assert ids.shape[1] == E.MAX_TOKENS


@needs_model
def test_same_claim_by_meaning_and_structure() -> None:
    m = C.ClaimMatcher()
    a = Claim("a", "the minister leaked the budget to reporters", concerns=["jane-doe"])
    b = Claim("b", "the budget was leaked to the press by the minister", concerns=["jane-doe"])
    c = Claim("c", "the weather in Berlin will be sunny tomorrow")
    assert m.same(a, b) >= m.cut > m.same(a, c)
    r1 = Claim("r1", "", relation="cooperation.afghan-government.taliban")
    r2 = Claim("r2", "", relation="tacit-cooperation.afghan-government.taliban")
    r3 = Claim("r3", "", relation="attack.afghan-government.taliban")
    assert C.same_claim(r1, r2) >= m.cut and C.same_claim(r2, r3) == 0.0


def test_without_the_model_claims_fall_back_to_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(E, "available", lambda: False)
    monkeypatch.setattr(E, "_warned", False)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        m = C.ClaimMatcher()
        assert m.cut == m.lexical_threshold
        C.ClaimMatcher().cut  # noqa: B018 - a second matcher does not warn again
    assert sum("not installed" in str(w.message) for w in seen) == 1
    a = Claim("a", "Pakistan offers safe havens to militants")
    b = Claim("b", "offering safe havens to militants")
    assert m.same(a, b) >= m.cut
    book = C.ClaimBook({}, matcher=m)
    first = book.for_text("Pakistan offers safe havens to militants", ["pakistan"])
    assert book.for_text("that Pakistan offers safe havens to the militants", ["pakistan"]) == first
