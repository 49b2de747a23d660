"""Find attributed statements in a parsed text: quote fragments, speaker, cue and kind.

Two passes over one spaCy parse, both linear in the number of tokens:

* quote-first: every quotation (paired quote marks, at least a few words) looks for a speech
  verb right after it (``"...," X said`` / ``"...," said X``) or right before it
  (``X said: "..."``); a quotation that follows an attributed one in the same paragraph
  continues it (one statement, several fragments);
* verb-first: every speech verb outside quotation marks with a subject takes its content from
  the parse: the clausal complement (``X said (that) CLAUSE``, ``CLAUSE, X said``), the clause
  it interrupts (``CLAUSE, X said, CLAUSE``), an infinitive (``claimed to have ...``), an
  object (``announced the start of ...``), or ``according to X, CLAUSE``.

Content that is all quotation is `direct`, partly quoted `mixed`, else `indirect`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from .lexicon import EVALUATIVE, FALSE_WORDS, words

Token = Any  # spacy.tokens.Token; spaCy is imported lazily by nlp.py

# the verbs of saying; `cue_lemma` is one of these
SPEECH = words(
    """say tell claim deny reject allege add warn insist state announce confirm accuse underline
    reply note write report explain argue suggest acknowledge admit stress emphasize emphasise
    declare assert maintain recall respond ask predict promise pledge urge contend complain concede
    caution indicate mention reveal tweet testify dismiss welcome criticize criticise condemn
    announce agree vow threaten demand estimate describe observe remark comment recount
    continue joke quip blast charge counter retort answer point cite call praise thank brag boast
    propose recommend repeat applaud slam hail laud lament mock ridicule downplay defend endorse
    denounce decry express voice highlight tout advise assure proclaim forecast question wonder
    blame disclose acknowledge speak talk tweet post publish quote insist concede request decline refuse""")
# verbs whose object is what was said ("denied the charge", "announced the start of ...")
OBJECT_CUES = words("announce deny reject confirm dismiss welcome criticize criticise condemn demand promise pledge"
    " vow threaten acknowledge admit reveal mention blast report describe predict estimate")
# verbs that only count with a quotation next to them ("continued: ...", "he joked")
QUOTE_ONLY = words("continue joke quip point answer counter retort remark comment observe")
# nouns standing for the content: "..., a charge Islamabad denies"
CONTENT_NOUNS = words("charge claim allegation accusation assertion report suggestion")
SUBJ = ("nsubj", "nsubjpass")
# the children of a speech verb that carry what was said, when it has no clausal complement
COMPLEMENTS = ("dobj", "xcomp", "prep", "dative", "oprd", "attr", "acomp")
CONTENT_PREPS = frozenset(["about", "for", "on", "of", "that", "with", "against", "over", "to", "as"])
# verbs that report speech only with a clause or quotation ("wrote that ...", not "wrote letters")
CLAUSE_ONLY = frozenset(["write", "speak", "talk", "add", "respond", "reply", "post", "publish", "tweet",
                         "answer", "admit", "continue"])
RECIPIENT_VERBS = words("tell ask warn assure inform remind")
# refusals report speech only with an infinitive or an object ("declined to comment", not "sales declined")
REFUSALS = words("decline refuse")
# "did not respond to requests for comment": a reply verb with these nouns after "to" is a (refused) answer
REQUEST_NOUNS = words("request question inquiry query email message call")
# documents that carry what somebody says ("issued a statement saying ...")
STATEMENT_NOUNS = words("statement letter tweet post release note message video interview")
# "Trump's claim that ...": a noun of saying with a possessor and a that-clause is a statement
SPEECH_NOUNS = words("claim allegation assertion accusation suggestion statement promise pledge warning denial"
                     " insistence argument contention charge")

# a clause opened by these is no attribution of the quote before it; not "as" ('"...," as X said')
TEMPORAL_MARKS = words("when while whenever because since after before although though if unless")
# verbs whose subject is the subject of their infinitive ("continues to insist", "went on to say")
CONTROL_VERBS = words("continue keep go begin start proceed repeat")
# "under pressure from X to stop ...": pressing someone to stop doing something alleges they do it
PRESSURE_NOUNS = words("pressure")
STOP_VERBS = words("stop end cease halt quit abandon")
# "Ghani's offer for peace talks", "her call for calm", "his promise to cut taxes": a noun of proposing
# with a possessor and what is proposed (for/of/to ...)
PROPOSAL_NOUNS = words("offer proposal call demand plea appeal promise pledge vow threat")

_QMARK = re.compile(r"“|”|\"|«|»|``|''|„")
_CLOSE = {"“": "”", "”": "”“", '"': '"', "«": "»", "``": "''", "''": "''", "„": "“”"}


@dataclass(slots=True)
class Attribution:
    """One statement as character offsets into the parsed text."""

    fragments: list[tuple[int, int]]
    speaker: tuple[int, int] | None
    speaker_head: int | None  # token index
    cue: tuple[int, int] | None
    cue_lemma: str | None
    kind: str
    cue_token: int | None = None
    recipient: int | None = None  # token index
    negated: bool = False
    speakers_conj: list[int] = field(default_factory=list)  # token indices of all speaker heads
    # "..., which Y denied": the content is the clause itself, pointing back at the accusation before it
    points_back: bool = False

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Paired quotation marks, paragraph by paragraph; an unclosed one runs to the paragraph end."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        opened: tuple[int, str] | None = None
        for m in _QMARK.finditer(para):
            mark = m.group()
            if opened is None:
                if mark == "”" and para[:m.start()].strip():
                    continue  # a paragraph may open with a reversed mark (”Fear. ...” ― Name); elsewhere it closes
                before = para[m.start() - 1] if m.start() > 0 else " "
                after = para[m.end()] if m.end() < len(para) else " "
                if mark in ("''", '"') and not before.isspace() and before not in "([—–-:" and \
                        (after.isspace() or after in ".,;:!?)"):
                    continue  # a closing mark whose opening we never saw
                opened = (m.start(), mark)
            elif mark in _CLOSE[opened[1]] or (opened[1] == '"' and mark == "”"):
                out.append((pos + opened[0], pos + m.end()))
                opened = None
            elif mark in ("“", "``"):  # a new opening: the previous one was never closed
                opened = (m.start(), mark)
        if opened is not None:
            end = len(para.rstrip())
            if end - opened[0] > 1:
                out.append((pos + opened[0], pos + end))
        pos += len(para) + 1
    return out


def _continues(text: str, prev: tuple[int, int], cur: tuple[int, int], att: Attribution) -> bool:
    """Does quotation `cur` go on with the statement of the attributed quotation `prev`?

    Yes when only the attribution clause stands between them in one paragraph
    (``"A," said X. "B."``), or when `prev` was left open at a paragraph end and `cur` opens
    the next paragraph (the convention for a quotation running over several paragraphs).
    """
    gap = text[prev[1]:cur[0]]
    if "\n" not in gap:
        cue = att.cue
        return not gap.strip() or (cue is not None and prev[1] <= cue[0] < cur[0] and _words(gap) <= 30)
    return text[prev[1] - 1] not in CLOSING and not gap.strip()


CLOSING = "”\"»'’"
_DASH = re.compile(r"[ \t\xa0]*[―—–][ \t\xa0]*([A-Z][^\n]{1,60}?)[ \t\xa0.]*(?=\n|$)")
# "WALLACE: ..." at a line start (a transcript), also inside the quotation mark opening the paragraph
_LABEL = re.compile(r"(?m)^[\"“]?([A-Z][A-Z.'’ -]{1,30}):[ \t\xa0]+")


def _dash_or_label(doc: Any, ix: _Index, text: str, qs: int, qe: int) -> Attribution | None:
    """ "..." ― Name (a line of reactions) and "NAME: ..." (a transcript) attribute a quotation."""
    m = _DASH.match(text, qe)
    if m:
        spk = (m.start(1), m.end(1))
        cue = (m.start() + m.group().index(m.group().strip()[0]), m.start() + m.group().index(m.group().strip()[0]) + 1)
        return _plain(doc, [(qs, qe)], spk, cue, "―", "direct")
    line = text.rfind("\n", 0, qs) + 1
    m = _LABEL.match(text, line)
    if m and m.end() >= qs - 1 and m.end() <= qs + 2:
        return _plain(doc, [(qs, qe)], (m.start(1), m.end(1)), (m.end(1), m.end(1) + 1), ":", "direct")
    if m and line == qs and m.end() < qe:  # '"PENCE: Well, ...': the mark opens the turn, the label is no speech
        return _plain(doc, [(m.end(), qe)], (m.start(1), m.end(1)), (m.end(1), m.end(1) + 1), ":", "direct")
    return None


# "Pence: Flowers won't be at the debate": a headline whose label is a speaker the article names
_HEAD_LABEL = re.compile(r"[ \t]*([A-Z][\w.'’&-]*(?:[ \t][A-Z][\w.'’&-]*){0,3}):[ \t\xa0]+(\S[^\n]*)")
# labels that are a rubric of the paper, not a speaker
RUBRICS = frozenset(["the latest", "breaking", "breaking news", "exclusive", "analysis", "opinion", "watch",
                     "video", "update", "live", "editorial", "review", "explainer", "interview", "commentary",
                     "photos", "podcast", "fact check", "read more", "related", "listen", "factbox"])
# unnamed sources a headline may give the floor to ("Poll: ...")
SOURCE_NOUNS = words("poll polls survey study report officials sources experts police")


def _headline(doc: Any, ix: _Index, text: str) -> Attribution | None:
    """The first line as "LABEL: PROPOSITION" when LABEL is somebody the article names."""
    m = _HEAD_LABEL.match(text)
    if m is None or m.group(1).lower() in RUBRICS:
        return None
    label = m.group(1)
    body = m.end()
    last = label.split()[-1]
    named = label.lower() in SOURCE_NOUNS or any(
        e.start_char >= body and e.label_ in ("PERSON", "ORG", "NORP", "GPE")
        and (e.text == label or e.text.split()[-1] == last) for e in doc.ents)
    if not named:
        return None
    end = m.end(2)
    while end > m.start(2) and text[end - 1] in ". \t\xa0":
        end -= 1
    if _words(text[m.start(2):end]) < 3:
        return None
    frags, kind = _with_quotes(ix, text, [(m.start(2), end)])
    return _plain(doc, frags, (m.start(1), m.end(1)), (m.end(1), m.end(1) + 1), ":", kind)


def _plain(doc: Any, frags: list[tuple[int, int]], spk: tuple[int, int], cue: tuple[int, int],
           lemma: str, kind: str) -> Attribution:
    span = doc.char_span(spk[0], spk[1], alignment_mode="expand")
    head = span.root.i if span is not None and len(span) else None
    return Attribution(fragments=frags, speaker=spk, speaker_head=head, cue=cue, cue_lemma=lemma,
                       kind=kind, speakers_conj=[head] if head is not None else [])


def _title_like(quoted: str) -> bool:
    """ "Make Your Kid a Millionaire": a title in quotation marks, not a statement."""
    words = re.findall(r"[A-Za-z][\w'’-]*", quoted)
    if not words or len(words) > 10:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 0.75 * len(words) and len(words) > 1


def _too_short(quoted: str, before: str = "") -> bool:
    """Under four words, unless it is a sentence of its own ('"Nothing was leaked," she told')."""
    n = _words(quoted)
    if n >= 4:
        return False
    starts = not before.strip() or before.rstrip()[-1] in ".!?:"
    return n < 3 or not starts or not re.search(r"[,.!?][\"”'’»]*$", quoted)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


class _Index:
    """Char offset <-> token lookups and quotation membership, built once per text."""

    def __init__(self, doc: Any, regions: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self.regions = regions
        self.rstarts = [a for a, _ in regions]

    def region_of(self, char: int) -> int | None:
        i = bisect_right(self.rstarts, char) - 1
        if i >= 0 and self.regions[i][0] <= char < self.regions[i][1]:
            return i
        return None

    def in_quote(self, tok: Token) -> bool:
        return self.region_of(tok.idx) is not None

    def tokens_between(self, a: int, b: int) -> range:
        return range(bisect_left(self.starts, a), bisect_left(self.starts, b))


def token_range(doc: Any, start: int, end: int) -> range:
    """Indices of the tokens starting in [start, end) (the doc's tokens are sorted by offset)."""
    starts = doc.user_data.get("claimgraph_starts")
    if starts is None:
        starts = doc.user_data["claimgraph_starts"] = [t.idx for t in doc]
    return range(bisect_left(starts, start), bisect_left(starts, end))


def is_cue(tok: Token) -> bool:
    if tok.lemma_.lower() not in SPEECH or tok.pos_ not in ("VERB", "AUX"):
        return False
    # "a group called X", "the target it pledged": a bare participle names, it does not report
    return not (tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod") and not any(
        c.dep_ in ("aux", "auxpass") for c in tok.children))


def subject_of(tok: Token) -> Token | None:
    """The speaker token of a speech verb: its subject, or the subject of the verb it hangs on."""
    # a dash or a symbol the parser took for a subject ("― Trump boasted") is none
    subjects = [c for c in tok.children if c.dep_ in SUBJ]
    for c in subjects:
        if c.is_alpha or c.pos_ == "PRON" or c is subjects[-1]:
            return c
    if tok.dep_ in ("xcomp", "advcl") and tok.head.lemma_.lower() in CONTROL_VERBS and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        # "The nominee continues to insist that ...": the one who continues insists
        for c in tok.head.children:
            if c.dep_ == "nsubj":
                return c
    if tok.tag_ == "VBG" and tok.dep_ == "pcomp" and tok.head.dep_ == "prep":
        # "..., aside from saying he wants ...", "by saying that ...": the subject of the clause
        verb = tok.head.head
        for _ in range(3):
            for c in verb.children:
                if c.dep_ == "nsubj":
                    return c
            if verb.dep_ not in ("xcomp", "conj", "advcl", "prep", "pobj") or verb.head is verb:
                break
            verb = verb.head
    if tok.dep_ == "conj" or (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
        head = tok.head
        if head is not tok:
            for c in head.children:
                if c.dep_ in SUBJ:
                    return c
    if tok.dep_ == "relcl" and tok.head.pos_ in ("PROPN", "NOUN"):
        return tok.head
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.lemma_.lower() in SPEECH_NOUNS | STATEMENT_NOUNS:
        # "X released a statement saying ...": the one who issued the statement says it
        verb = tok.head.head
        if verb.pos_ in ("VERB", "AUX") and tok.head.dep_ in ("dobj", "pobj"):
            for c in verb.children:
                if c.dep_ == "nsubj":
                    return c
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.pos_ == "PROPN" and prev.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") and (
        tok.dep_ == "ROOT"
    ):  # "... of the Washington Post Trump said that ...": the parser lost the subject
        return prev
    return None


def speaker_span(subj: Token) -> tuple[int, int]:
    """The speaker mention: the subject's whole phrase (appositions and relative clauses included,
    as annotators mark it), without a leading 'Both'/'Even', a dateline or edge punctuation."""
    doc = subj.doc
    lo, hi = subj.left_edge.i, subj.right_edge.i
    for k in range(subj.i - 1, lo - 1, -1):  # "WASHINGTON -- President Obama": after the separator
        if doc[k].text in ("--", "—", "–", ":", ";") or "\n" in doc[k].text:
            lo = k + 1
            break
    while lo < subj.i and (doc[lo].dep_ in ("predet", "preconj", "advmod", "cc") or doc[lo].is_punct
                           or doc[lo].is_space):
        lo += 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space) and not (
        doc[hi].text == ")" and any(doc[k].text == "(" for k in range(lo, hi))
    ):
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _trim(doc: Any, idx: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of token indices as char fragments, without edge punctuation."""
    runs: list[list[int]] = []
    for i in sorted(set(idx)):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out: list[tuple[int, int]] = []
    for run in runs:
        a, b = run[0], run[-1]
        while a <= b and (doc[a].is_punct and doc[a].text not in "“\"'‘") or (a <= b and doc[a].is_space):
            a += 1
        while b >= a and ((doc[b].is_punct and doc[b].text not in "”\"'’") or doc[b].is_space):
            b -= 1
        if a <= b and any(doc[k].is_alpha or doc[k].like_num for k in range(a, b + 1)):
            out.append((doc[a].idx, doc[b].idx + len(doc[b])))
    return out


def _set_off(tok: Token, subj: Token | None) -> bool:
    """ "CLAUSE, X says": the speech clause stands after a comma at the end of the sentence."""
    if subj is None or subj.i > tok.i:
        return False
    before = tok.doc[subj.left_edge.i - 1] if subj.left_edge.i > 0 else None
    after = [t for t in tok.doc[tok.i + 1: tok.sent.end] if not t.is_punct]
    return before is not None and before.text in (",", "—", "–") and len(after) <= 3


def _subtree(tok: Token) -> list[int]:
    return list(range(tok.left_edge.i, tok.right_edge.i + 1))


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _recipient(tok: Token) -> int | None:
    if tok.lemma_.lower() not in RECIPIENT_VERBS:
        return None
    for c in tok.children:
        if c.dep_ in ("dobj", "dative", "iobj") and c.pos_ in ("PROPN", "NOUN", "PRON"):
            return c.i
    return None


def _content(tok: Token, subj: Token | None) -> tuple[list[int], Token | None]:
    """Token indices of what the speech verb `tok` reports (empty when the parse says nothing)."""
    kids = list(tok.children)
    lemma = tok.lemma_.lower()
    after = [c for c in kids if c.dep_ == "ccomp" and c.i > tok.i]
    if after:  # "X said CLAUSE": the first clause after the verb (later ones are often misattached)
        return _subtree(after[0]), None
    for c in kids:
        if c.dep_ == "ccomp" and not any(k.text == ":" and c.i < k.i < tok.i for k in kids):
            return _subtree(c), None
    for c in kids:
        if c.dep_ == "xcomp" and c.i > tok.i and any(k.dep_ == "aux" and k.lower_ == "to" for k in c.children):
            return _subtree(c), None
    if tok.dep_ == "parataxis" or (tok.dep_ == "ccomp" and tok.head.i < tok.i and _set_off(tok, subj)):
        head = tok.head
        if head.pos_ in ("VERB", "AUX") and head is not tok:
            mine = set(_subtree(tok))
            return [i for i in _subtree(head) if i not in mine], None
    if tok.dep_ == "relcl" and tok.head.lemma_.lower() in CONTENT_NOUNS:
        # "..., a charge Islamabad denies": the content is what the noun stands for, before it
        noun = tok.head
        anchor = noun.head if noun.dep_ in ("appos", "npadvmod", "dobj", "attr") else None
        if anchor is not None and anchor.i < noun.i:
            sent = tok.sent
            stop = noun.left_edge.i
            return [i for i in range(sent.start, stop)], None
    comps = [c for c in kids if c.i > tok.i and c.dep_ in COMPLEMENTS
             and (c.dep_ != "prep" or c.lower_ in CONTENT_PREPS)]
    if lemma in CLAUSE_ONLY:
        comps = [c for c in comps if c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "about") or (
            c.dep_ == "prep" and c.lower_ == "to" and any(
                o.dep_ == "pobj" and o.lemma_.lower() in REQUEST_NOUNS for o in c.children))]
    if lemma in REFUSALS:
        comps = [c for c in comps if c.dep_ in ("xcomp", "dobj") and not c.like_num]
    if lemma in RECIPIENT_VERBS:  # "told Reuters": the object is who was told, not what
        comps = [c for c in comps if c.dep_ not in ("dobj", "dative")]
    if comps and (lemma != "say" or comps[-1].right_edge.i > comps[0].left_edge.i):
        first, last = comps[0], comps[-1]
        lead = first if first.dep_ == "prep" and first.i == tok.i + 1 else None
        lo = first.i + 1 if lead is not None else first.left_edge.i
        if lo <= last.right_edge.i:
            return list(range(lo, last.right_edge.i + 1)), lead
    return [], None


def find(doc: Any, text: str) -> list[Attribution]:
    """Every attributed statement in a parsed text, in text order."""
    regions = quote_regions(text)
    ix = _Index(doc, regions)
    used_cues: set[int] = set()
    out: list[Attribution] = []
    attributed: dict[int, Attribution] = {}

    for r, (qs, qe) in enumerate(regions):
        if _too_short(text[qs:qe], text[max(0, qs - 3):qs]) or _title_like(text[qs:qe]):
            continue
        att = _dash_or_label(doc, ix, text, qs, qe) or _attach_quote(doc, ix, text, qs, qe, used_cues)
        if att is None:
            prev = attributed.get(r - 1)
            if prev is not None and _continues(text, regions[r - 1], (qs, qe), prev):
                prev.fragments.append((qs, qe))
                attributed[r] = prev
            continue
        attributed[r] = att
        out.append(att)

    head = _headline(doc, ix, text)
    if head is not None:
        out.append(head)
    for tok in doc:
        if tok.i in used_cues or not is_cue(tok) or ix.in_quote(tok):
            continue
        att = _attach_verb(doc, ix, text, tok)
        if att is not None:
            used_cues.add(tok.i)
            out.append(att)
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in SPEECH_NOUNS | PROPOSAL_NOUNS and not ix.in_quote(tok):
            att = _nominal(doc, ix, text, tok)
            if att is not None:
                out.append(att)
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in PRESSURE_NOUNS and not ix.in_quote(tok):
            att = _pressure(doc, ix, text, tok)
            if att is not None:
                out.append(att)
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            if ix.in_quote(tok):
                continue
            att = _according(doc, ix, text, tok)
            if att is not None:
                out.append(att)

    out = _split_rebuttals(doc, ix, text, out)
    out = _drop_nested(out)
    out.sort(key=lambda a: a.start)
    return out


# verbs that answer an accusation in a trailing clause ("..., which Y denied", "..., a charge Y rejects")
REBUTTALS = words("deny reject dispute refute dismiss rebuff contest deny")
CALLING = words("call describe label brand term")
DISMISSALS = FALSE_WORDS | EVALUATIVE


def _split_rebuttals(doc: Any, ix: _Index, text: str, atts: list[Attribution]) -> list[Attribution]:
    """ "X accused Y of ..., which Y denied": two statements, not one.

    The accusation keeps its content up to the comma; the denial becomes a statement of its own whose
    quote is the trailing clause ("which Y denied", "a charge Y rejects") and which points back at the
    accusation (the pipeline links it to the accusation's claims).
    """
    for tok in doc:
        if ix.in_quote(tok) or not (tok.lemma_.lower() in REBUTTALS or _calls_false(tok)):
            continue
        # "a charge Pakistan rejects": the tagger may take the verb for a plural noun after a name
        if tok.pos_ != "VERB" and not (tok.pos_ == "NOUN" and tok.i > 0 and doc[tok.i - 1].pos_ in ("PROPN", "PRON")):
            continue
        start, subj = _rebuttal_clause(doc, tok)
        if start is None or subj is None:
            continue
        cut = doc[start].idx
        sent = tok.sent
        hosts = [a for a in atts if a.cue_token is not None and a.cue_token != tok.i
                 and sent.start <= a.cue_token < start and a.start < cut]
        if not hosts:
            continue
        for a in hosts:
            frags = [(s, min(e, cut)) for s, e in a.fragments if s < cut]
            a.fragments = [(s, e) for s, e in (_strip(text, s, e) for s, e in frags) if e > s]
        atts = [a for a in atts if a.cue_token != tok.i and a.fragments]
        # "a charge Islamabad denies and insists ...": the quote is the pointer ("a charge"); a clause
        # ("which Y denied") is quoted whole
        last = tok.right_edge.i if doc[start].lower_ in ("which", "what") else _pointer_end(doc, start, tok)
        frags = _trim(doc, list(range(start, last + 1)))
        if not frags:
            continue
        conj = [subj.i] + [c.i for c in subj.children if c.dep_ == "conj"]
        atts.append(Attribution(
            fragments=frags, speaker=speaker_span(subj), speaker_head=subj.i, cue=(tok.idx, tok.idx + len(tok)),
            cue_lemma=tok.lemma_.lower(), kind="indirect", cue_token=tok.i, negated=_negated(tok),
            speakers_conj=conj, points_back=True))
    return atts


def _calls_false(tok: Token) -> bool:
    """ "..., which Smith called absurd": a verb of calling with a judgement answers what came before."""
    return tok.lemma_.lower() in CALLING and tok.pos_ == "VERB" and any(
        c.dep_ in ("oprd", "acomp", "xcomp") and c.lower_ in DISMISSALS for c in tok.children)


def _pointer_end(doc: Any, start: int, tok: Token) -> int:
    """The last token of the pointer phrase that opens '..., a charge Y denies'."""
    for k in range(start, tok.i):
        if _content_noun(doc[k]):
            return k
    return tok.i - 1


def _content_noun(tok: Token) -> bool:
    """'a charge', 'an allegation', 'something' in '..., something his lawyers deny'."""
    return (tok.lemma_.lower() in CONTENT_NOUNS and tok.pos_ == "NOUN") or tok.lower_ == "something"


def _rebuttal_clause(doc: Any, tok: Token) -> tuple[int | None, Token | None]:
    """(first token of the trailing clause, its speaker) when `tok` answers what comes before it."""
    subj = next((c for c in tok.children if c.dep_ in SUBJ), None)
    rel = next((c for c in tok.children if c.lower_ in ("which", "what") and c.i < tok.i), None)
    if rel is not None and tok.dep_ == "relcl":
        start = rel.i
    else:
        # "..., a charge Y rejects": the parser may hang the noun and the speaker anywhere
        nouns = [doc[k] for k in range(max(tok.sent.start, tok.i - 5), tok.i)
                 if _content_noun(doc[k])]
        if not nouns:
            return None, None
        noun = nouns[0]
        start = noun.i
        while start > tok.sent.start and doc[start - 1].dep_ in ("det", "amod") and doc[start - 1].i < noun.i:
            start -= 1
        if subj is None:
            subj = next((doc[k] for k in range(noun.i + 1, tok.i)
                         if doc[k].pos_ in ("PROPN", "NOUN", "PRON") and not _content_noun(doc[k])
                         and doc[k].dep_ not in ("poss",)), None)
    if start <= tok.sent.start or doc[start - 1].text not in (",", "—", "–", ";"):
        return None, None
    return start, subj


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;—–"):
        e -= 1
    return s, e


def _make(doc: Any, ix: _Index, text: str, frags_idx: list[int], tok: Token, subj: Token | None,
          cue_end: Token | None = None, quoted: list[tuple[int, int]] | None = None) -> Attribution | None:
    if quoted is not None:
        # "a top priority ''is increasing ...,'' X said": the clause around the quotation was said
        idx, _lead = _content(tok, subj)
        sub = set(_subtree(subj)) if subj is not None else set()
        dep = _trim(doc, [i for i in idx if i not in sub and i != tok.i])
        qs, qe = quoted[0]
        if dep and dep[0][0] < qs - 1 and dep[-1][1] >= qe - 2 and _words(text[dep[0][0]:qs]) >= 1 and \
                "\n" not in text[dep[0][0]:qe]:
            quoted = None
            frags_idx = [i for i in idx if i not in sub and i != tok.i]
    frags = quoted if quoted is not None else _trim(doc, frags_idx)
    if not frags:
        return None
    kind = "indirect"
    if quoted is not None:
        kind = "direct"
    else:
        frags, kind = _with_quotes(ix, text, frags)
    spk = speaker_span(subj) if subj is not None else None
    last = cue_end if cue_end is not None else tok
    first = tok
    if _negated(tok):  # "did not confirm", "haven't said"
        for c in tok.lefts:
            if c.dep_ in ("aux", "neg") and c.i >= tok.i - 3:
                first = doc[min(first.i, c.i)]
    if subj is not None and subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
        subj = tok.head  # the mention stays "who" (as annotators mark it); the actor is the antecedent
    conj = [subj.i] + [c.i for c in subj.children if c.dep_ == "conj"] if subj is not None else []
    return Attribution(
        fragments=frags, speaker=spk, speaker_head=subj.i if subj is not None else None,
        cue=(first.idx, last.idx + len(last)), cue_lemma=tok.lemma_.lower(), kind=kind,
        cue_token=tok.i, recipient=_recipient(tok), negated=_negated(tok), speakers_conj=conj,
    )


def _with_quotes(ix: _Index, text: str, frags: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], str]:
    """Mixed when the content holds a quotation (grown to its marks), direct when it is all quotation."""
    inside = total = 0
    grown: list[tuple[int, int]] = []
    for a, b in frags:
        lo = bisect_right(ix.rstarts, a) - 1
        hi = bisect_left(ix.rstarts, b)
        for k in range(max(lo, 0), hi):
            qa, qb = ix.regions[k]
            if qb > a and qa < b:
                inside += sum(1 for ch in text[max(a, qa):min(b, qb)] if ch.isalnum())
                a, b = min(a, qa), max(b, qb)
        total += sum(1 for ch in text[a:b] if ch.isalnum())
        grown.append((a, b))
    if inside == 0:
        return frags, "indirect"
    return grown, "direct" if inside >= 0.9 * total else "mixed"


def _attach_quote(doc: Any, ix: _Index, text: str, qs: int, qe: int, used: set[int]) -> Attribution | None:
    """A speech verb right after or right before the quotation, with its speaker."""
    n = len(doc)
    after = bisect_left(ix.starts, qe)
    # after: "...," X said / "...," said X  (within a few tokens, same paragraph)
    for seen, i in enumerate(range(after, min(n, after + 40))):
        t = doc[i]
        if "\n" in t.text or ix.in_quote(t):
            break
        if is_cue(t) and t.i not in used and not _subordinate(t):
            subj = subject_of(t) or _inverted(t)
            # "...untrue." His lawyer called the reports hearsay: a verb after a finished sentence that
            # has content of its own says something else
            own = any(c.dep_ in ("ccomp", "xcomp", "oprd") and c.i > t.i for c in t.children) or (
                t.lemma_.lower() in OBJECT_CUES and any(c.dep_ == "dobj" and c.i > t.i for c in t.children))
            if own and text[qs:qe].rstrip("\"”'’» ").endswith("."):
                break  # '"... policy." The network said it would ...': the verb has its own content
            if subj is not None and not ix.in_quote(subj):
                used.add(t.i)
                return _make(doc, ix, text, [], t, subj, quoted=[(qs, qe)])
        if t.text in ".!?;" and seen > 0:
            break
    # before: X said: "..." / X said, "..."
    before = bisect_left(ix.starts, qs) - 1
    gap_ok = True
    for i in range(before, max(-1, before - 25), -1):
        t = doc[i]
        if ix.in_quote(t):
            break
        if "\n" in t.text:
            prev = text[:t.idx].rstrip()
            if not prev.endswith(":"):
                break
            continue
        if t.text in ".!?" and i != before:
            break
        if is_cue(t) and t.i not in used and gap_ok:
            subj = subject_of(t)
            if subj is not None:
                between = text[t.idx + len(t):qs]
                if _words(between) <= 8 or between.rstrip().endswith(":"):
                    used.add(t.i)
                    return _make(doc, ix, text, [], t, subj, quoted=[(qs, qe)])
    return None


def _subordinate(tok: Token) -> bool:
    """ '"...," when Clinton blasted him': a verb in a when/while/because clause is not the quote's cue."""
    return tok.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_MARKS and c.i < tok.i
                                       for c in tok.children)


def _points_out(tok: Token) -> bool:
    """ "The campaign has pointed out that ...": with its particle and a clause, "point" reports speech."""
    kids = list(tok.children)
    return tok.lemma_.lower() == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in kids) and any(
        c.dep_ == "ccomp" for c in kids)


def _inverted(tok: Token) -> Token | None:
    """ "..., said Del. Stacey Plaskett": the parser may take the speaker for an object."""
    for c in tok.children:
        if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > tok.i and c.pos_ in ("PROPN", "NOUN"):
            return c
    return None


def _attach_verb(doc: Any, ix: _Index, text: str, tok: Token) -> Attribution | None:
    if tok.lemma_.lower() in QUOTE_ONLY and not _points_out(tok):
        return None
    subj = subject_of(tok)
    if subj is None or subj.lower_ in ("there",) or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    idx, cue_end = _content(tok, subj)
    if not idx:
        return None
    if subj.dep_ == "nsubjpass":
        # "Mr. Q was accused of using ...": the subject is part of what was said; the speaker is
        # the agent ("by prosecutors") or unnamed
        agent = next((o for a in tok.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"), None)
        mine = {tok.i} | (set(_subtree(agent.head)) if agent is not None else set())
        idx = sorted((set(idx) | set(_subtree(subj))) - mine)
        return _make(doc, ix, text, idx, tok, agent, cue_end)
    sub = set(_subtree(subj)) | {tok.i}
    idx = [i for i in idx if i not in sub]
    return _make(doc, ix, text, idx, tok, subj, cue_end)


def _according(doc: Any, ix: _Index, text: str, tok: Token) -> Attribution | None:
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    subj = objs[0]
    head = tok.head
    while head.dep_ not in ("ROOT",) and head.pos_ not in ("VERB", "AUX") and head.head is not head:
        head = head.head
    if head is tok:
        return None
    mine = set(_subtree(tok))
    idx = [i for i in _subtree(head) if i not in mine]
    att = _make(doc, ix, text, idx, tok, subj, cue_end=to)
    if att is not None:
        att.cue_lemma = "according to"
    return att


def _nominal(doc: Any, ix: _Index, text: str, tok: Token) -> Attribution | None:
    """ "Trump's claim that there have been ...": the possessor said the that-clause."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is None:
        return None
    clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp") and c.i > tok.i
                   and any(k.dep_ == "mark" and k.lower_ == "that" for k in c.children)), None)
    if clause is None and tok.lemma_.lower() in PROPOSAL_NOUNS:
        # what is proposed: "for peace talks", "of a ceasefire", "to cut taxes"
        clause = next((c for c in tok.children if c.i > tok.i and (
            (c.dep_ == "prep" and c.lower_ in ("for", "of") and any(o.dep_ == "pobj" for o in c.children))
            or (c.dep_ in ("acl", "relcl") and any(k.lower_ == "to" and k.dep_ == "aux" for k in c.children)))),
            None)
    if clause is None:
        return None
    idx = _subtree(clause)
    if tok.lemma_.lower() in PROPOSAL_NOUNS:
        # what the proposal says, quoted right after it: 'offer for peace talks "without preconditions,"'
        idx = sorted(set(idx) | {i for c in tok.children if c.i > clause.i and c.dep_ in ("prep", "punct")
                                 for i in _subtree(c)})
    att = _make(doc, ix, text, idx, tok, poss)
    if att is not None:
        att.negated = False
    return att


def _pressure(doc: Any, ix: _Index, text: str, tok: Token) -> Attribution | None:
    """ "Pakistan has been under pressure from Kabul and Washington to stop offering safe havens ...":
    who presses someone to stop doing something alleges that they do it (docs/annotation-guide.md)."""
    src = next((o for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"
                for o in c.children if o.dep_ == "pobj"), None)
    if src is None:
        return None
    around = {tok.i, tok.head.i, tok.head.head.i}
    stop = next((v for v in doc[tok.i + 1:tok.sent.end] if v.lemma_.lower() in STOP_VERBS and v.pos_ == "VERB"
                 and v.head.i in around and any(c.lower_ == "to" and c.dep_ == "aux" for c in v.children)), None)
    if stop is None:
        return None
    idx = [i for i in _subtree(stop) if i not in set(_subtree(src))]
    first = tok.head if tok.head.lower_ == "under" and tok.head.i == tok.i - 1 else tok
    att = _make(doc, ix, text, idx, tok, src)
    if att is None:
        return None
    att.cue = (first.idx, tok.idx + len(tok))
    att.recipient = None
    return att


def _drop_nested(atts: list[Attribution]) -> list[Attribution]:
    """A speech verb inside another statement's content is part of what was said, not a new one."""
    def within(a: Attribution, b: Attribution) -> bool:
        c = a.cue[0] if a.cue else a.start
        return a is not b and any(s <= c < e for s, e in b.fragments)

    return [a for a in atts if not any(within(a, b) and not within(b, a) for b in atts)]
