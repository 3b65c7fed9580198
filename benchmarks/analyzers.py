"""Other morphological analysers behind koryu's tokenizer seam (store.query.tokenizer.Tokenizer), for
benchmarks/compare_analyzers.py only — the product answers with SudachiPy + sudachidict_small.

Each adapter maps its analyser's output to `Morpheme` with UniDic-style parts of speech, so the parser's
stages see the same shapes whichever analyser ran: fugashi + unidic-lite speaks UniDic already; Janome
speaks IPADIC (名詞,固有名詞,地域 → 名詞,固有名詞,地名; 名詞,接尾 → 接尾辞,名詞的; 接頭詞 → 接頭辞).
"""

from __future__ import annotations

import threading

from store.query.tokenizer import Morpheme, ScriptTokenizer, SudachiTokenizer, Tokenizer, hiragana


class FugashiTokenizer:
    """fugashi (MeCab) with unidic-lite. Lemmas carry an English gloss after a hyphen (イベント-event):
    the gloss is dropped. No synonym groups."""

    name = "fugashi-unidic-lite"

    def __init__(self) -> None:
        import fugashi

        self._fugashi = fugashi
        self._local = threading.local()

    def tokenize(self, text: str) -> list[Morpheme]:
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = self._local.tagger = self._fugashi.Tagger()
        out, pos = [], 0
        for w in tagger(text):
            start = text.find(w.surface, pos)
            start = pos if start < 0 else start
            f = w.feature
            parts = tuple(p for p in (f.pos1, f.pos2, f.pos3, f.pos4) if p and p != "*")
            lemma = (f.lemma or w.surface).split("-")[0]
            out.append(Morpheme(w.surface, start, start + len(w.surface), parts, lemma, hiragana(f.kana or "")))
            pos = start + len(w.surface)
        return out


_IPADIC = {
    ("名詞", "固有名詞", "地域"): ("名詞", "固有名詞", "地名"),
    ("名詞", "固有名詞", "人名"): ("名詞", "固有名詞", "人名"),
    ("名詞", "固有名詞"): ("名詞", "固有名詞", "一般"),
    ("名詞", "接尾"): ("接尾辞", "名詞的"),
    ("名詞", "数"): ("名詞", "数詞"),
    ("名詞", "代名詞"): ("代名詞",),
    ("名詞", "非自立"): ("名詞", "普通名詞", "一般"),
    ("名詞", "形容動詞語幹"): ("形状詞", "一般"),
    ("名詞", "サ変接続"): ("名詞", "普通名詞", "サ変可能"),
    ("接頭詞",): ("接頭辞",),
    ("記号",): ("補助記号",),
    ("フィラー",): ("感動詞",),
}


class JanomeTokenizer:
    """Janome (pure Python, IPADIC), with IPADIC parts of speech mapped to UniDic's. No synonym groups."""

    name = "janome"

    def __init__(self) -> None:
        from janome.tokenizer import Tokenizer as Janome

        self._janome = Janome
        self._local = threading.local()

    def tokenize(self, text: str) -> list[Morpheme]:
        tok = getattr(self._local, "tok", None)
        if tok is None:
            tok = self._local.tok = self._janome()
        out, pos = [], 0
        for t in tok.tokenize(text):
            levels = tuple(p for p in t.part_of_speech.split(",") if p != "*")
            mapped = next((v for k, v in _IPADIC.items() if levels[: len(k)] == k), levels)
            start = text.find(t.surface, pos)
            start = pos if start < 0 else start
            base = t.base_form if t.base_form != "*" else t.surface
            out.append(
                Morpheme(t.surface, start, start + len(t.surface), mapped, base, hiragana(t.reading if t.reading != "*" else ""))
            )
            pos = start + len(t.surface)
        return out


MAKERS = {
    "sudachi-small": (lambda: SudachiTokenizer("small"), ("sudachipy", "sudachidict-small")),
    "sudachi-core": (lambda: SudachiTokenizer("core"), ("sudachipy", "sudachidict-core")),
    "fugashi-unidic-lite": (FugashiTokenizer, ("fugashi", "unidic-lite")),
    "janome": (JanomeTokenizer, ("janome",)),
    "none (script runs)": (ScriptTokenizer, ()),
}


def make(name: str) -> Tokenizer:
    """One analyser by name (MAKERS), ready: its dictionary loaded by a first call. Raises when not installed."""
    tok = MAKERS[name][0]()
    tok.tokenize("金沢の物産展")
    return tok


def available() -> list[str]:
    """The analysers of MAKERS installed here (the others are reported and skipped)."""
    import importlib.util

    modules = {
        "sudachi-small": "sudachidict_small",
        "sudachi-core": "sudachidict_core",
        "fugashi-unidic-lite": "unidic_lite",
        "janome": "janome",
    }
    out = []
    for name in MAKERS:
        module = modules.get(name)
        if module is None or importlib.util.find_spec(module) is not None:
            out.append(name)
        else:
            print(f"({name} not installed: pip install -e '.[bench]' to include it)")
    return out
