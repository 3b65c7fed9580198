"""The question in a Slack message. People write a greeting, who they are and why they ask before the
question; only the question is searched:

    「学務課の山田です。議会答弁の準備をしています。熊本県内の自治体との交流を全部出してもらえますか。」
        → read: 熊本県内の自治体との交流を全部出してもらえますか。 (学務課 is who asks, not what)

- Sentences that ask — ？, a question word, 〜ますか; when none does, a request (教えて, ください, 知りたい) —
  are the question; greetings and introductions (お疲れさまです, 広報課です) are context.
- Inside a question, a clause that gives a reason or a purpose and ends so (〜を作っていて、〜の参考にしたくて、
  〜用に、〜ので、) is context too: 「来年度の予算要求の参考にしたくて、物産展を何件やったか教えてください」 asks about
  物産展, not about 来年度.
- うちの課 / 当課 in the question is the department the asker named in the context.

The caller reads the question alone first and falls back to more of the message when the question alone
names nothing to look for (「金沢市の物産展について。いつでしたか？」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")
CLAUSE_END = re.compile(r"(?<=[、，,])")
# a sentence that asks: a question (？, a question word, 〜ますか) — or, when no sentence is one, a request
QUESTION = re.compile(
    r"[？?]\s*$|ますか|ですか|ませんか|でしょうか|っけ|かな|いつ(?!も|でも)|どこ|何|なに|どの|どんな|どう(?!ぞ|も|か)|誰|どれ|いくつ"
)  # not いつも (いつもお世話になっております), どうぞ, どうも, どうか
REQUEST = re.compile(r"教えて|知りたい|確認したい|調べて|出して|見せて|ください|下さい|ほしい|欲しい|もらえ|いただけ|頂け")
# a clause that ends so gives a reason or a purpose: 〜を作っていて、〜したくて、〜用に、〜ので、
CONTEXT_CLAUSE = re.compile(
    r"(ていて|でいて|ていまして|でいまして|ておりまして|ており|たくて|たく|ので|ため|ために|用に|向けに|向けて|参考に|にあたり|にあたって|際に)[、，,]\s*$"
)
# a sentence that introduces the asker: 経済課の渡辺です。 / 森鷗外記念館の中村です。 — whose place or department
# is who asks, not what is asked about (unless the question says うちの課)
INTRODUCTION = re.compile(r"^\s*[^。！？!?\n]{1,30}の\s*[^\s。！？!?\n、の]{1,8}(?:です|と申します|でございます)[。！!]?\s*$")
# a question clause that asks for something *together with* what its reason named (出展内容とあわせて教えて):
# the reason is the subject, not context
ALONG = re.compile(r"^[^、，,]{0,20}(?:と|も)(?:あわせて|併せて|合わせて|一緒に|いっしょに|ともに|共に)")
# a reason that names the topic the question is about (夏目漱石に関する交流事業をまとめておりまして、): the topic is kept
ABOUT = re.compile(r"([^、，,。\s]{2,20}?(?:に関する|に関係する|に関連する|にまつわる|に関わる|関連の|ゆかりの))")
OUR_DEPARTMENT = re.compile(r"うちの課|当課|弊課|私たちの課|自分の課|うちの部署|うちの係")


@dataclass(frozen=True)
class Message:
    """A message split for reading. question: the text to read first; sentences: the asking sentences
    whole (their reasons too), to read when the question alone names nothing; context: what was set aside
    (the asker's greeting, introduction, reasons); ours: the question says うちの課 (the context's department)."""

    question: str
    sentences: str
    context: str
    ours: bool

    @property
    def trimmed(self) -> bool:
        return bool(self.context.strip())


def without_introductions(text: str) -> str:
    """The message without the sentences that introduce the asker (`INTRODUCTION`): what is left to read when
    no sentence alone asks for something to look for."""
    return "".join(s for s in SENTENCE_END.split(text) if not INTRODUCTION.match(s))


def split_message(text: str) -> Message:
    """Split a message into its question and its context (see module docstring). Never raises; a message
    of one plain sentence is all question."""
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    asking = [s for s in sentences if QUESTION.search(s.strip())] or [s for s in sentences if REQUEST.search(s.strip())]
    if asking and QUESTION.search(asking[0].strip()):  # …ありますでしょうか。本日以降で2月中のものを教えてください。
        first = sentences.index(asking[0])
        asking = [s for k, s in enumerate(sentences) if s in asking or (k > first and REQUEST.search(s.strip()))]
    if not asking:
        return Message(text, text, "", bool(OUR_DEPARTMENT.search(text)))
    context = [s for s in sentences if s not in asking]
    kept: list[str] = []
    for s in asking:
        clauses = [c for c in CLAUSE_END.split(s) if c]
        along = bool(ALONG.search(clauses[-1]))
        for c in clauses[:-1]:
            if CONTEXT_CLAUSE.search(c) and not along:
                context.append(c)
                kept.extend(m.group(1) + " " for m in ABOUT.finditer(c))
            else:
                kept.append(c)
        kept.append(clauses[-1])
    question = "".join(kept)
    return Message(question, "".join(asking), "".join(context), bool(OUR_DEPARTMENT.search("".join(asking))))
